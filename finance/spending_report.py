"""The spending section of the monthly report: expenses paid in the month by category against the
year's budget, and what waits for a signature."""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import Section, SectionData, Table

from . import budgets
from .choices import AWAITING_SIGNATURE, ExpenseCategory, ExpenseStatus
from .models import Expense


class SpendingSection(Section):
    code = "finance.spending"
    title = gettext_lazy("Spending against budget")
    order = 31

    def build(self, school, start, end):
        month = {
            row["category"]: row
            for row in Expense.objects.filter(
                school=school, status=ExpenseStatus.PAID, paid_on__gte=start, paid_on__lt=end
            )
            .values("category")
            .annotate(total=Sum("amount"), n=Count("pk"))
            .order_by()
        }
        year_rows, total = budgets.table(school.pk, start.year)
        by_category = {r["category"]: r for r in year_rows}
        rows = []
        for category in ExpenseCategory.values:
            m, y = month.get(category), by_category.get(category)
            if m is None and y is None:
                continue
            rows.append(
                [
                    str(ExpenseCategory(category).label),
                    m["n"] if m else 0,
                    m["total"] if m else 0,
                    y["budget"] if y and y["budget"] is not None else 0,
                    y["actual"] if y else 0,
                    y["committed"] if y else 0,
                    y["remaining"] if y and y["remaining"] is not None else 0,
                ]
            )
        footer = [_("Total"), *(sum((r[i] for r in rows), 0) for i in range(1, 7))]
        waiting = Expense.objects.filter(school=school, status__in=AWAITING_SIGNATURE).aggregate(
            n=Count("pk"), total=Sum("amount")
        )
        over = [r[0] for r in rows if r[3] and r[6] < 0]
        paragraphs = [
            _("Expenses paid this month: %(total)s yuan; waiting for signatures: %(n)s (%(waiting)s yuan).")
            % {"total": footer[2], "n": waiting["n"], "waiting": waiting["total"] or 0},
        ]
        if over:
            paragraphs.append(_("Over budget: %(categories)s.") % {"categories": "、".join(over)})
        return SectionData(
            str(self.title),
            paragraphs=paragraphs,
            tables=[
                Table(
                    _("Spending by category (budget of %(year)s)") % {"year": start.year},
                    [
                        _("Category"),
                        _("Expenses this month"),
                        _("Paid this month (yuan)"),
                        _("Budget (yuan)"),
                        _("Paid this year (yuan)"),
                        _("Committed (yuan)"),
                        _("Remaining (yuan)"),
                    ],
                    rows,
                    footer=footer,
                )
            ],
        )
