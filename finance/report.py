"""The fees section of the monthly report: collected and refunded by item in the month, settlements
approved, the board in force."""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import Section, SectionData, Table, comparisons, full_stop, paren

from .choices import ApprovalStatus, PaymentStatus, SettlementStatus
from .models import Payment, Refund, Settlement
from .services import published_board


def _by_item(school, start, end):
    """Rows [fee item, payments, collected, refunded] and the totals: the table's and the narrative's numbers."""
    paid = {
        row["charge__fee_item__name"]: row
        for row in Payment.objects.filter(
            school=school, status=PaymentStatus.RECORDED, paid_on__gte=start, paid_on__lt=end
        )
        .values("charge__fee_item__name")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("charge__fee_item__name")
    }
    refunded = dict(
        Refund.objects.filter(
            school=school, status=ApprovalStatus.APPROVED, decided_at__date__gte=start, decided_at__date__lt=end
        )
        .values("charge__fee_item__name")
        .annotate(total=Sum("amount"))
        .values_list("charge__fee_item__name", "total")
        .order_by()
    )
    names = sorted(set(paid) | set(refunded))
    rows = [
        [name, paid.get(name, {}).get("n", 0), paid.get(name, {}).get("total") or 0, refunded.get(name) or 0]
        for name in names
    ]
    total_paid = sum((r[2] for r in rows), 0)
    total_refunded = sum((r[3] for r in rows), 0)
    return rows, total_paid, total_refunded


class FinanceSection(Section):
    code = "finance"
    title = gettext_lazy("Fees")
    order = 30

    def figures(self, school, start, end):
        rows, paid, refunded = _by_item(school, start, end)
        return {"paid": paid, "refunded": refunded, "payments": sum(r[1] for r in rows)} if rows else None

    def narrative(self, period, f, previous, last_year):
        if f is None:
            return [_("%(period)s no fees were collected or refunded.") % {"period": period.word}]
        text = _(
            "%(period)s %(payments)s payments were recorded: %(paid)s yuan collected, %(refunded)s yuan refunded"
        ) % {"period": period.word, **f}
        text += paren(comparisons(period, "paid", f, previous, last_year, unit=_(" yuan")))
        return [text + full_stop()]

    def build(self, school, start, end):
        rows, total_paid, total_refunded = _by_item(school, start, end)
        settlements = Settlement.objects.filter(
            school=school, status=SettlementStatus.APPROVED, approved_at__date__gte=start, approved_at__date__lt=end
        ).select_related("fee_item")
        board = published_board(school)
        paragraphs = [
            _("Fee disclosure in force: version %(version)s, published %(date)s.")
            % {"version": board.version, "date": board.published_at.date().isoformat()}
            if board
            else _("No fee disclosure is published: no fee may be charged."),
        ]
        return SectionData(
            str(self.title),
            paragraphs=paragraphs,
            tables=[
                Table(
                    _("Fees by item"),
                    [_("Fee item"), _("Payments"), _("Collected (yuan)"), _("Refunded (yuan)")],
                    rows,
                    footer=[_("Total"), sum(r[1] for r in rows), total_paid, total_refunded],
                ),
                Table(
                    _("Term settlements approved"),
                    [_("Fee item"), _("Collected (yuan)"), _("Actual cost (yuan)"), _("Refunded (yuan)")],
                    [[s.fee_item.name, s.collected_total, s.actual_total, s.refund_total] for s in settlements],
                ),
            ],
        )
