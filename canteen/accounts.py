"""The canteen's monthly accounts (食堂按月公示收支): drafting a month from the records the system holds,
publishing it as an unchangeable snapshot, correcting it with a new version.

Sources of the figures (each month says which it used):
- meal-fee income: finance's payments (recorded, not reversed) of the fee items that are meal fees — billed
  per meal, or named 伙食费/餐费 — paid in the month, less the refunds of those items approved in the month;
  where finance has no such item, the canteen enters the figure;
- food expense: the prices of the accepted lines of the month's deliveries (进货查验), or entered.
Rule: 学校食品安全与营养健康管理规定 (2019): 食堂按月对收支情况和结余进行公示."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.workflow import guard
from logistics.workflow.guard import StepResult

from .choices import AccountStatus, FoodCostSource, IncomeSource, LineDecision
from .models import DeliveryLine, MonthlyAccount
from .models.accounts import MONEY_FIELDS

ZERO = Decimal("0.00")
#: the words that make a finance fee item a meal fee (besides being billed per meal)
MEAL_FEE_WORDS = ("伙食", "餐费", "午餐", "膳食")


def month_range(month):
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def _meal_fee_items(school):
    if not apps.is_installed("finance"):
        return None
    FeeItem = apps.get_model("finance", "FeeItem")
    words = Q(unit="meal")
    for word in MEAL_FEE_WORDS:
        words |= Q(name__contains=word)
    return FeeItem.objects.filter(school=school).filter(words)


def finance_meal_fees(school, month):
    """The meal fees finance recorded as paid in ``month`` (payments − approved refunds), or None where
    finance has no meal-fee item for the school."""
    items = _meal_fee_items(school)
    if items is None or not items.exists():
        return None
    start, end = month_range(month)
    Payment = apps.get_model("finance", "Payment")
    Refund = apps.get_model("finance", "Refund")
    paid = (
        Payment.objects.filter(
            school=school, charge__fee_item__in=items, paid_on__gte=start, paid_on__lt=end, status="recorded"
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    refunded = (
        Refund.objects.filter(
            school=school,
            charge__fee_item__in=items,
            status="approved",
            decided_at__date__gte=start,
            decided_at__date__lt=end,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return paid - refunded


def delivery_food_cost(school, month):
    """The prices of the accepted lines of the deliveries of ``month``."""
    start, end = month_range(month)
    return (
        DeliveryLine.objects.filter(
            school=school,
            decision=LineDecision.ACCEPTED,
            delivery__delivered_on__gte=start,
            delivery__delivered_on__lt=end,
        ).aggregate(total=Sum("price"))["total"]
        or ZERO
    )


def previous_closing(school, month):
    """The closing balance of the latest published month before ``month`` (0 without one)."""
    earlier = (
        MonthlyAccount.objects.filter(school=school, month__lt=month, status=AccountStatus.PUBLISHED)
        .order_by("-month")
        .first()
    )
    return earlier.closing_balance if earlier else ZERO


def fill_from_sources(account):
    """Set the figures the account takes from the system (finance, deliveries); refuse finance as the
    source where finance has no meal-fee item."""
    if account.income_source == IncomeSource.FINANCE:
        fees = finance_meal_fees(account.school, account.month)
        if fees is None:
            raise ValidationError(
                {"income_source": _("Finance has no meal-fee item for this school: enter the meal fees collected.")}
            )
        account.meal_fee_income = fees
    if account.food_source == FoodCostSource.DELIVERIES:
        account.food_expense = delivery_food_cost(account.school, account.month)


def draft(*, school, month, actor, **values):
    """A new draft of ``month`` (the first version; a published month is corrected with ``revise``).
    The balance brought forward defaults to the previous published month's closing balance; meal fees
    come from finance where it recorded some for the month, food from the deliveries, unless the values
    say otherwise."""
    month = month.replace(day=1)
    if MonthlyAccount.objects.filter(school=school, month=month).exists():
        raise ValidationError(
            {"month": _("This month's accounts exist already: open them (a published month is corrected).")}
        )
    account = MonthlyAccount(school=school, month=month, created_by=actor)
    if "income_source" not in values:
        values["income_source"] = IncomeSource.FINANCE if finance_meal_fees(school, month) else IncomeSource.ENTERED
    values.setdefault("food_source", FoodCostSource.DELIVERIES)
    if "opening_balance" not in values:
        values["opening_balance"] = previous_closing(school, month)
    for name, value in values.items():
        setattr(account, name, value)
    fill_from_sources(account)
    account.full_clean(exclude=["school"])
    account.save()
    return account


def describe_changes(old, new):
    """ "food: 52,300.00 → 51,900.00; …" — the figures a correction changed."""
    return new.describe_changes(old)


def publish(account, actor):
    """The ``publish`` step: the figures taken from finance or the deliveries are read again and frozen;
    a correction must say why and supersedes the month's published version, recording what changed."""
    fill_from_sources(account)
    current = (
        MonthlyAccount.objects.filter(school=account.school, month=account.month, status=AccountStatus.PUBLISHED)
        .exclude(pk=account.pk)
        .first()
    )
    now = timezone.now()
    if current is not None:
        if not (account.reason or "").strip():
            raise ValidationError({"reason": _("Say why the published figures are corrected.")})
        account.changes = describe_changes(current, account) or _("No figure changed.")
        guard.run(current, "supersede", actor)
    account.published_at, account.published_by = now, actor
    return StepResult(_("Published (version %(v)s)") % {"v": account.version}, {"version": account.version})


def supersede(account, actor):
    """The hidden ``supersede`` step (taken by ``publish`` of the correction): when it stopped being current."""
    account.superseded_at = timezone.now()
    return StepResult(_("Superseded by a correction"), {})


def revise(account, actor):
    """The ``revise`` step: a new draft version of a published month with its figures (the published one
    stays on the public page until the correction is published)."""
    existing = MonthlyAccount.objects.filter(
        school=account.school, month=account.month, status=AccountStatus.DRAFT
    ).first()
    if existing is not None:
        return StepResult(_("A correction is already being drafted."), {"draft": existing.pk}, value=existing)
    latest = MonthlyAccount.objects.filter(school=account.school, month=account.month).order_by("-version").first()
    fields = {name: getattr(account, name) for name in (*MONEY_FIELDS, "income_source", "food_source", "notes")}
    correction = MonthlyAccount.objects.create(
        school=account.school,
        month=account.month,
        version=latest.version + 1,
        supersedes=account,
        created_by=actor,
        **fields,
    )
    return StepResult(
        _("Correction (version %(v)s) started") % {"v": correction.version},
        {"draft": correction.pk},
        value=correction,
    )


def update_draft(account, actor, **values):
    """Change a draft's figures (a published or superseded version is never changed)."""
    if account.status != AccountStatus.DRAFT:
        raise ValidationError(_("Published accounts are never changed: start a correction."))
    for name, value in values.items():
        setattr(account, name, value)
    fill_from_sources(account)
    account.full_clean(exclude=["school"])
    account.updated_by = actor
    account.save()
    return account


def public_months(school, limit=24):
    """{month: [published version, then the superseded ones, newest first]} of the last ``limit`` months."""
    rows = list(
        MonthlyAccount.objects.filter(school=school, status__in=[AccountStatus.PUBLISHED, AccountStatus.SUPERSEDED])
        .select_related("supersedes")
        .order_by("-month", "-version")[: limit * 4]
    )
    months = {}
    for row in rows:
        months.setdefault(row.month, []).append(row)
    return list(months.items())[:limit]
