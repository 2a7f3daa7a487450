"""The dashboard widget of spending approval: expenses awaiting signatures, spending against budget."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from .choices import ExpenseStatus
from .models import Budget, Expense

ZERO = Decimal("0.00")


class SpendingWidget(Widget):
    code = "finance.spending"
    title = _("Spending")
    order = 31
    perm = "finance.view_budget"
    district_columns = (
        ("awaiting", _("Expenses awaiting signatures")),
        ("budget", _("Budget this year (yuan)")),
        ("spent", _("Paid and committed this year (yuan)")),
        ("percent", _("Budget used (%)")),
    )
    district_not_summed = ("percent",)

    def _values(self, school_ids):
        year = timezone.localdate().year
        spent = {
            row["school_id"]: row
            for row in Expense.objects.filter(school_id__in=school_ids)
            .annotate(y=ExtractYear("spent_on"))
            .values("school_id")
            .annotate(
                awaiting=Count("pk", filter=Q(status__in=(ExpenseStatus.SUBMITTED, ExpenseStatus.SIGNED))),
                spent=Sum("amount", filter=Q(y=year, status__in=(ExpenseStatus.PAID, ExpenseStatus.APPROVED))),
            )
            .order_by()
        }
        budget = dict(
            Budget.objects.filter(school_id__in=school_ids, year=year)
            .values("school_id")
            .annotate(total=Sum("amount"))
            .values_list("school_id", "total")
            .order_by()
        )
        result = {}
        for sid in school_ids:
            row = spent.get(sid, {})
            total, used = budget.get(sid) or ZERO, row.get("spent") or ZERO
            result[sid] = {
                "awaiting": row.get("awaiting", 0),
                "budget": total,
                "spent": used,
                "percent": round(used * 100 / total, 1) if total else "—",
            }
        return result

    def context(self, school, user):
        from .expenses import awaiting_principal

        values = self._values([school.pk])[school.pk]
        figures = [(label, values[key]) for key, label in self.district_columns]
        figures.insert(1, (_("Awaiting the principal"), awaiting_principal(school).count()))
        return {"figures": figures}

    def district_values(self, schools):
        return self._values([s.pk for s in schools])
