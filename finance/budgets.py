"""Budgets per category and year (预算): the actual (paid expenses) and committed (approved, not yet paid)
figures against each budget, always computed from the expenses; revisions with their reason."""

from contextlib import nullcontext
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from logistics.audit.context import change_context, current
from logistics.audit.recorder import record_event

from .choices import ExpenseCategory, ExpenseStatus
from .models import Budget, BudgetRevision, Expense

ZERO = Decimal("0.00")


def figures_for(school_id, year, categories=None, exclude=None):
    """``{category: {"category", "label", "budget", "actual", "committed", "remaining", "percent",
    "budget_id"}}`` for one school and year — two queries whatever the number of expenses. ``budget`` is
    None where the category has no budget (then remaining and percent are None too). ``exclude``: an
    expense left out of the figures (the one being checked)."""
    school_id = getattr(school_id, "pk", school_id)
    budgets = Budget.objects.filter(school_id=school_id, year=year)
    expenses = Expense.objects.filter(
        school_id=school_id,
        spent_on__year=year,
        status__in=(ExpenseStatus.PAID, ExpenseStatus.APPROVED),
    )
    if categories is not None:
        budgets = budgets.filter(category__in=categories)
        expenses = expenses.filter(category__in=categories)
    if exclude is not None:
        expenses = expenses.exclude(pk=exclude)
    sums = expenses.values("category").annotate(
        actual=Sum("amount", filter=Q(status=ExpenseStatus.PAID)),
        committed=Sum("amount", filter=Q(status=ExpenseStatus.APPROVED)),
    )
    spent = {row["category"]: row for row in sums.order_by()}
    rows = {}
    for budget in budgets.values("pk", "category", "amount"):
        rows[budget["category"]] = {"budget": budget["amount"], "budget_id": budget["pk"]}
    for category in set(spent) | set(rows):
        row = rows.setdefault(category, {"budget": None, "budget_id": None})
        actual = (spent.get(category) or {}).get("actual") or ZERO
        committed = (spent.get(category) or {}).get("committed") or ZERO
        row.update(category=category, label=_label(category), actual=actual, committed=committed)
        if row["budget"] is not None:
            row["remaining"] = row["budget"] - actual - committed
            row["percent"] = round((actual + committed) * 100 / row["budget"], 1) if row["budget"] else None
        else:
            row["remaining"] = None
            row["percent"] = None
    return rows


def _label(category):
    try:
        return str(ExpenseCategory(category).label)
    except ValueError:
        return category


def table(school_id, year):
    """The rows of :func:`figures_for` in the categories' order, with a total row."""
    rows = figures_for(school_id, year)
    order = {value: i for i, value in enumerate(ExpenseCategory.values)}
    ordered = sorted(rows.values(), key=lambda r: order.get(r["category"], 99))
    total_budget = sum((r["budget"] or ZERO for r in ordered), ZERO)
    actual = sum((r["actual"] for r in ordered), ZERO)
    committed = sum((r["committed"] for r in ordered), ZERO)
    total = {
        "budget": total_budget,
        "actual": actual,
        "committed": committed,
        "remaining": total_budget - actual - committed,
        "percent": round((actual + committed) * 100 / total_budget, 1) if total_budget else None,
    }
    return ordered, total


def revise(budget, actor, amount, reason):
    """Change a budget's amount (预算调整): the revision (before, after, reason, who, when) is kept and
    shown as the budget's history; the amount is never changed any other way."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Enter an amount of 0 or more.")})
    ctx = current()
    acting = change_context(user=actor) if ctx is None or ctx.user is None else nullcontext()
    with transaction.atomic(), acting:
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        if locked.amount == amount:
            raise ValidationError({"amount": _("The amount is unchanged.")})
        revision = BudgetRevision.objects.create(
            school_id=locked.school_id,
            budget=locked,
            previous_amount=locked.amount,
            amount=amount,
            reason=reason,
            created_by=actor,
        )
        locked.amount = amount
        locked.save()
        record_event(
            locked,
            "budget.revised",
            _("Budget revised from %(before)s to %(after)s: %(reason)s")
            % {"before": revision.previous_amount, "after": amount, "reason": reason},
            {"before": str(revision.previous_amount), "after": str(amount), "reason": reason},
        )
    budget.amount = amount
    return revision
