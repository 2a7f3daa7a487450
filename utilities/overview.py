"""What the utilities app shows on the principal's dashboard: water and electricity used in the months
of the period (readings are monthly), and the meters above their usual use (用量异常)."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from logistics.dashboard import metrics

from .choices import MeterKind
from .models import MeterReading

AREA = _("Water, electricity and gas")


def _use(kind):
    def compute(ids, start, end):
        rows = (
            MeterReading.objects.filter(school_id__in=ids, meter__kind=kind, month__gte=start, month__lt=end)
            .values_list("school_id")
            .annotate(v=Sum("consumption"))
            .order_by()
        )
        return {sid: v for sid, v in rows if v is not None}

    return compute


def _flagged(ids, start, end):
    rows = (
        MeterReading.objects.filter(school_id__in=ids, month__gte=start, month__lt=end)
        .values("school_id")
        .annotate(n=Count("pk"), flagged=Count("pk", filter=Q(flagged=True)))
        .order_by()
    )
    return {row["school_id"]: row["flagged"] for row in rows if row["n"]}


def _readings(school, start, end):
    return f"{reverse('utilities:meterreading_list')}?{urlencode({'month_after': start.isoformat()})}"


def register():
    """Called from ``UtilitiesConfig.ready()``."""
    metrics.register_area(metrics.Area("utilities", AREA, perm="utilities.view_utility_figures", order=60))
    for code, kind, label, order in (
        ("utilities.electricity", MeterKind.ELECTRICITY, _("Electricity used (kWh)"), 10),
        ("utilities.water", MeterKind.WATER, _("Water used (m³)"), 20),
    ):
        metrics.register(metrics.Metric(code, "utilities", label, compute=_use(kind), link=_readings, order=order))
    metrics.register(
        metrics.Metric(
            "utilities.flagged",
            "utilities",
            _("Readings above the usual"),
            compute=_flagged,
            link=lambda school, start, end: f"{reverse('utilities:meterreading_list')}?flagged=true",
            lower_is_better=True,
            order=30,
        )
    )
