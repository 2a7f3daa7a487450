"""The staff income/expense statement per half term (经费收支情况通报, "一学期两次向教师通报经费收支情况"):
figures computed from the records, frozen when submitted, reviewed and published by the principal;
a correction is a new version that supersedes the published one."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.workflow import guard
from logistics.workflow.guard import StepResult

from . import budgets
from .choices import ApprovalStatus, ExpenseCategory, ExpenseStatus, PaymentStatus, StatementStatus
from .models import Expense, Payment, Refund, StaffStatement

ZERO = Decimal("0.00")


def _money(value):
    return str((value or ZERO).quantize(Decimal("0.01")))


def compute(school, start, end):
    """The statement's figures for ``school`` between ``start`` and ``end`` (inclusive), as JSON-ready
    strings: fee income by item (payments recorded, reversals left out), refunds by item (approved in the
    period), expenses paid in the period by category, and the year's budget position by category."""
    income = (
        Payment.objects.filter(school=school, paid_on__range=(start, end), status=PaymentStatus.RECORDED)
        .values("charge__fee_item__name")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("charge__fee_item__name")
    )
    refunds = (
        Refund.objects.filter(school=school, status=ApprovalStatus.APPROVED, decided_at__date__range=(start, end))
        .values("charge__fee_item__name")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("charge__fee_item__name")
    )
    spent = {
        row["category"]: row
        for row in Expense.objects.filter(school=school, status=ExpenseStatus.PAID, paid_on__range=(start, end))
        .values("category")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    }
    year_rows, _total = budgets.table(school.pk, end.year)
    by_category = {row["category"]: row for row in year_rows}
    expense_rows = []
    for category in ExpenseCategory.values:
        period = spent.get(category)
        year = by_category.get(category)
        if period is None and year is None:
            continue
        expense_rows.append(
            {
                "category": category,
                "label": str(ExpenseCategory(category).label),
                "period": _money(period["total"] if period else ZERO),
                "count": period["n"] if period else 0,
                "budget": _money(year["budget"]) if year and year["budget"] is not None else "",
                "year_actual": _money(year["actual"] if year else ZERO),
                "remaining": _money(year["remaining"]) if year and year["remaining"] is not None else "",
            }
        )
    income_rows = [{"item": r["charge__fee_item__name"], "amount": _money(r["total"]), "count": r["n"]} for r in income]
    refund_rows = [
        {"item": r["charge__fee_item__name"], "amount": _money(r["total"]), "count": r["n"]} for r in refunds
    ]
    income_total = sum((Decimal(r["amount"]) for r in income_rows), ZERO)
    refund_total = sum((Decimal(r["amount"]) for r in refund_rows), ZERO)
    expense_total = sum((Decimal(r["period"]) for r in expense_rows), ZERO)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "budget_year": end.year,
        "income": income_rows,
        "refunds": refund_rows,
        "expenses": expense_rows,
        "income_total": _money(income_total),
        "refund_total": _money(refund_total),
        "expense_total": _money(expense_total),
        "net": _money(income_total - refund_total - expense_total),
        "computed_at": timezone.now().isoformat(),
    }


def new_statement(*, school, actor, title, period_start, period_end, note="", corrects=None):
    """A draft statement for a period, its figures computed now. ``corrects``: the published version it
    will supersede (its period is taken; the version number follows)."""
    if corrects is not None:
        if corrects.school_id != school.pk:
            raise ValidationError({"corrects": _("This belongs to another school.")})
        if corrects.status != StatementStatus.PUBLISHED:
            raise ValidationError({"corrects": _("Only the published statement can be corrected.")})
        period_start, period_end = corrects.period_start, corrects.period_end
        if not (note or "").strip():
            raise ValidationError({"note": _("Say what was wrong in the published statement.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end on or after its first day.")})
    latest = (
        StaffStatement.objects.filter(school=school, period_start=period_start, period_end=period_end)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.status in (StatementStatus.DRAFTED, StatementStatus.SUBMITTED):
        raise ValidationError(
            _("A statement for this period is already being prepared: %(title)s.") % {"title": latest}
        )
    if latest is not None and corrects is None:
        raise ValidationError(_("The statement for this period is published: open it and make a correction instead."))
    statement = StaffStatement(
        school=school,
        title=title,
        period_start=period_start,
        period_end=period_end,
        note=note,
        version=(latest.version + 1) if latest else 1,
        supersedes=corrects,
        figures=compute(school, period_start, period_end),
        created_by=actor,
    )
    statement.full_clean()
    statement.save()
    return statement


# --- step services -----------------------------------------------------------------------------------


def refresh(statement, actor):
    statement.figures = compute(statement.school, statement.period_start, statement.period_end)
    return StepResult(_("Figures recomputed from the records."))


def submit(statement, actor):
    statement.figures = compute(statement.school, statement.period_start, statement.period_end)
    statement.submitted_at = timezone.now()
    statement.return_reason = ""


def return_for_changes(statement, actor, reason):
    statement.return_reason = reason
    return StepResult(_("Returned for changes: %(reason)s") % {"reason": reason}, {"reason": reason})


def publish(statement, actor):
    previous = statement.supersedes
    if previous is not None and previous.status == StatementStatus.PUBLISHED:
        guard.run(previous, "supersede", actor)
    statement.published_at = timezone.now()
    statement.published_by = actor


def supersede(statement, actor):
    statement.superseded_at = timezone.now()


def for_display(figures):
    """The frozen figures with each category's label in the reader's language (the JSON keeps the
    category's code; a label stored at computation would stay in the language of that moment)."""
    shown = dict(figures or {})
    rows = []
    for row in shown.get("expenses", []):
        try:
            label = str(ExpenseCategory(row["category"]).label)
        except ValueError:
            label = row.get("label") or row["category"]
        rows.append({**row, "label": label})
    shown["expenses"] = rows
    return shown


def published_for(queryset):
    return queryset.filter(Q(status=StatementStatus.PUBLISHED) | Q(status=StatementStatus.SUPERSEDED))
