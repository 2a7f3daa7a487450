"""What the finance app shows on the principal's dashboard and the district comparison: fee boards,
settlements, refunds and expenses waiting for a decision, collected against due, refunds pending, the
year's spending against its budgets (预算执行), and whether the fee board (收费公示) is published and current."""

import datetime
import importlib.util

from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.dashboard import metrics, needs

from .choices import ApprovalStatus, DisclosureStatus, ExpenseStatus, PaymentStatus
from .models import Budget, Charge, Expense, FeeDisclosure, FeeItem, Payment, Refund

AREA = _("Fees")


def _charge_day():
    return Coalesce("due_date", Cast("created", DateField()))


def _collected(ids, start, end):
    """(collected, due) of the charges due in the period: payments not reversed against the amounts."""
    due = dict(
        Charge.objects.filter(school_id__in=ids)
        .annotate(day=_charge_day())
        .filter(day__gte=start, day__lt=end)
        .values_list("school_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = dict(
        Payment.objects.filter(school_id__in=ids, status=PaymentStatus.RECORDED)
        .annotate(day=Coalesce("charge__due_date", Cast("charge__created", DateField())))
        .filter(day__gte=start, day__lt=end)
        .values_list("school_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {sid: (paid.get(sid) or 0, total) for sid, total in due.items() if total}


def _refunds_pending(ids, start, end):
    rows = (
        Refund.objects.filter(school_id__in=ids, status=ApprovalStatus.REQUESTED)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = dict(rows)
    users = _finance_in_use(ids)
    return {sid: found.get(sid, 0) for sid in users}


def _finance_in_use(ids):
    return set(FeeItem.objects.filter(school_id__in=ids).order_by().values_list("school_id", flat=True).distinct())


def _board_current(ids, start, end):
    """Whether a published fee board was in force at the end of the period (not superseded by then).
    Missing for a school that keeps no fees in Houqin."""
    moment = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
    current = set(
        FeeDisclosure.objects.filter(
            school_id__in=ids,
            status__in=(DisclosureStatus.PUBLISHED, DisclosureStatus.SUPERSEDED),
            published_at__lt=moment,
        )
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gte=moment))
        .order_by()
        .values_list("school_id", flat=True)
        .distinct()
    )
    in_use = _finance_in_use(ids)
    return {sid: sid in current for sid in in_use | current}


def _budget_used(ids, start, end):
    """(spent, budget) of the year the period ends in: the expenses paid or approved (committed) that year
    in the categories that have a budget, against the sum of those budgets (the figures of
    ``finance.budgets.figures_for``, for all the schools in two queries). Missing for a school without a
    budget that year."""
    year = (end - datetime.timedelta(days=1)).year
    budgets = {}
    for sid, category, amount in Budget.objects.filter(school_id__in=ids, year=year).values_list(
        "school_id", "category", "amount"
    ):
        budgets.setdefault(sid, {})[category] = amount
    spent = (
        Expense.objects.filter(
            school_id__in=ids,
            spent_on__year=year,
            status__in=(ExpenseStatus.PAID, ExpenseStatus.APPROVED),
        )
        .values_list("school_id", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    used = {}
    for sid, category, total in spent:
        if category in budgets.get(sid, {}):
            used[sid] = used.get(sid, 0) + (total or 0)
    return {sid: (used.get(sid, 0), sum(rows.values())) for sid, rows in budgets.items() if sum(rows.values())}


def _budgets(school, start, end):
    year = (end - datetime.timedelta(days=1)).year
    return f"{reverse('finance:budget_list')}?year={year}"


def _expense_label(school, user):
    """The principal signs what is above the logistics head's limit; anyone else in this queue (the head,
    the finance officer) gives the signature that comes before the principal's."""
    from logistics.accounts.permissions import roles_in
    from logistics.accounts.roles import Role

    if Role.PRINCIPAL in roles_in(user, school.pk):
        return _("Expenses above the logistics head's limit")
    return _("Expenses to sign before the principal's")


def _not_filed_bought_or_signed_by(user):
    """``finance.expenses.sign`` refuses whoever filed or bought the expense and a second signature of the
    same person: such an expense is not waiting for them."""
    from .models import ExpenseSignature

    signed = ExpenseSignature.objects.filter(signer=user).values("expense_id")
    return ~Q(filed_by=user) & ~Q(buyer=user) & ~Q(pk__in=signed)


def _not_asked_or_collected_by(user):
    """The refund steps refuse whoever asked for the refund or recorded a payment of its charge
    (``finance.money.approve_record``, 管钱不管帐): such a refund is not waiting for them."""
    paid_by_user = Payment.objects.filter(created_by=user).values("charge_id")
    return ~Q(created_by=user) & ~Q(charge_id__in=paid_by_user)


def _awaiting_expenses(school):
    from finance.expenses import awaiting_principal  # the financeA helper's module, when merged

    return awaiting_principal(school)


def register():
    """Called from ``FinanceConfig.ready()``."""
    needs.register(
        needs.Queue(
            "finance.feedisclosure",
            _("Fee boards to approve"),
            "finance.FeeDisclosure",
            steps=("approve",),
            area=AREA,
            order=20,
            date_field="submitted_at",
            more_url="finance:feedisclosure_list",
        )
    )
    needs.register(
        needs.Queue(
            "finance.settlement",
            _("Term settlements to approve"),
            "finance.Settlement",
            steps=("approve",),
            area=AREA,
            order=21,
            select_related=("fee_item",),
            date_field="computed_at",
            more_url="finance:settlement_list",
        )
    )
    needs.register(
        needs.Queue(
            "finance.refund",
            _("Refunds to approve"),
            "finance.Refund",
            steps=("approve",),
            area=AREA,
            order=22,
            select_related=("charge", "charge__student", "charge__fee_item"),
            condition=_not_asked_or_collected_by,
            watch=("finance.Payment",),
            describe=lambda r: f"{r.charge.student} · {r.reason}",
        )
    )
    if importlib.util.find_spec("finance.expenses") is not None:
        # expenses above the logistics head's band (finance.expenses.awaiting_principal): lights up once
        # that module is merged; the rows are still narrowed to the steps this user may take now
        from django.apps import apps

        try:
            model = apps.get_model("finance", "Expense")
        except LookupError:
            model = None
        if model is not None:
            needs.register(
                needs.Queue(
                    "finance.expense",
                    _("Expenses above the logistics head's limit"),
                    "finance.Expense",
                    steps=tuple(s.name for s in _approve_steps(model)),
                    area=AREA,
                    order=15,
                    base=_awaiting_expenses,
                    condition=_not_filed_bought_or_signed_by,
                    watch=("finance.ExpenseSignature", "finance.Budget"),
                    label_for=_expense_label,
                )
            )

    metrics.register_area(metrics.Area("finance", AREA, perm="finance.view_charge", order=40))
    metrics.register(
        metrics.Metric(
            "finance.collected",
            "finance",
            _("Collected of what is due"),
            kind=metrics.RATE,
            compute=_collected,
            link=lambda school, start, end: reverse("finance:charge_list"),
            order=10,
        )
    )
    metrics.register(
        metrics.Metric(
            "finance.refunds_pending",
            "finance",
            _("Refunds awaiting approval"),
            compute=_refunds_pending,
            link=lambda school, start, end: reverse("finance:charge_list"),
            trend=False,
            lower_is_better=True,
            order=20,
        )
    )
    metrics.register(
        metrics.Metric(
            "finance.budget",
            "finance",
            _("Spent of this year's budgets (paid and committed)"),
            kind=metrics.RATE,
            compute=_budget_used,
            perm="finance.view_budget",
            link=_budgets,
            trend=False,
            order=25,
        )
    )
    metrics.register(
        metrics.Metric(
            "finance.board",
            "finance",
            _("Fee board published and current"),
            kind=metrics.FLAG,
            compute=_board_current,
            perm="finance.view_feedisclosure",
            link=lambda school, start, end: reverse("finance:feedisclosure_list"),
            trend=False,
            district=True,
            yes=pgettext_lazy("fee board", "published"),
            no=pgettext_lazy("fee board", "not published"),
            order=30,
        )
    )


def _approve_steps(model):
    from logistics.workflow.steps import steps_of

    steps = [s for s in steps_of(model) if not s.system]
    approving = [s for s in steps if "approve" in s.name]
    return approving or steps


def demo(school, users, scale, rng):
    """Demo: a refund asked for by the logistics head and waiting for the principal (a student who moved
    away); in the second school a larger one. Idempotent."""
    from decimal import Decimal

    from . import money

    head = users.get("logistics_head")
    reason = "学生中途转学，按未就餐天数退还伙食费"
    if not head or Refund.objects.filter(school=school, reason=reason).exists():
        return
    amount = Decimal("30.00") if school.slug.endswith("1") else Decimal("45.00")
    from django.core.exceptions import ValidationError

    for charge in Charge.objects.filter(school=school).order_by("pk")[:40]:
        try:
            money.request_refund(charge, head, amount, reason)
        except ValidationError:
            pass  # not enough paid on this charge: the next one
        else:
            return
