"""Dashboard widget: ledger value, assets by status, stock-take progress, overdue loans, low stock."""

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from . import reports_data
from .choices import AssetStatus, StockTakeStatus
from .models import AssetLoan, Consumable, StockTake


class AssetsWidget(Widget):
    code = "assets"
    title = _("Fixed assets")
    order = 30
    template = "assets/widgets/assets.html"
    district_columns = (
        ("value", _("Ledger value (yuan)")),
        ("assets", _("Assets")),
        ("overdue_loans", _("Overdue loans")),
        ("low_stock", _("Low stock items")),
    )

    def context(self, school, user):
        today = timezone.localdate()
        statuses = reports_data.status_counts([school.pk]).get(school.pk, {})
        value = reports_data.ledger_values([school.pk]).get(school.pk) or 0
        overdue = AssetLoan.objects.filter(school=school, returned_on__isnull=True, expected_return__lt=today).count()
        low = Consumable.objects.filter(
            school=school, minimum_level__gt=0, total_quantity__lte=F("minimum_level")
        ).count()
        stocktake = (
            StockTake.objects.filter(school=school, status__in=(StockTakeStatus.IN_PROGRESS, StockTakeStatus.SUBMITTED))
            .order_by("-pk")
            .first()
        )
        from .services import progress

        return {
            "figures": [
                (_("Ledger value (yuan)"), f"{value:,.0f}"),
                (_("Assets"), sum(n for s, n in statuses.items() if s != AssetStatus.DISPOSED)),
                (_("Overdue loans"), overdue),
                (_("Low stock items"), low),
            ],
            "by_status": [(label, statuses.get(code, 0)) for code, label in AssetStatus.choices if statuses.get(code)],
            "stocktake": stocktake,
            "stocktake_progress": progress(stocktake) if stocktake else None,
        }

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        today = timezone.localdate()
        values = reports_data.ledger_values(ids)
        statuses = reports_data.status_counts(ids)
        overdue = dict(
            AssetLoan.objects.filter(school__in=ids, returned_on__isnull=True, expected_return__lt=today)
            .values_list("school")
            .annotate(n=Count("pk"))
            .order_by()
        )
        low = dict(
            Consumable.objects.filter(school__in=ids, minimum_level__gt=0, total_quantity__lte=F("minimum_level"))
            .values_list("school")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {
            sid: {
                "value": f"{values.get(sid) or 0:,.0f}",
                "assets": sum(n for s, n in statuses.get(sid, {}).items() if s != AssetStatus.DISPOSED),
                "overdue_loans": overdue.get(sid, 0),
                "low_stock": low.get(sid, 0),
            }
            for sid in ids
        }
