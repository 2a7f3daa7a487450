"""Demo data of 陪餐, the monthly accounts and late entries, for each demo school (run by ``seed_demo``
after the canteen's own demo): four weeks of leaders' 陪餐 with two meals left without a record, a parent's
feedback answered and one waiting, three published months with one corrected, a few late entries."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from logistics.audit.recorder import recorded_update

from . import accompanied, accounts
from .choices import AccompanimentStatus, AccountStatus, CompanionKind, FoodCostSource, IncomeSource
from .models import AccompaniedMeal, ColdReading, Delivery, Disinfection, FoodSample, MonthlyAccount, MorningCheck
from .models.tamper import is_late

OBSERVATIONS = [
    ("菜品口味适中，米饭软硬合适", "分量充足，学生基本吃完", "餐桌、餐具干净", "价格合理"),
    ("红烧肉略咸，其余菜品正常", "分量足", "地面有少量水渍，已提醒", "与公示价格一致"),
    ("蔬菜新鲜，汤偏淡", "个别学生反映不够吃，已添饭", "操作间整洁", "合理"),
    ("饭菜温度合适，学生反映好", "适量", "留样、消毒记录齐全", "合理"),
]


def seed_all(school, users, scale, rng):
    seed_accompanied(school, users, rng)
    seed_accounts(school, users, rng)
    seed_late_entries(school, users, rng)


def seed_accompanied(school, users, rng):
    if AccompaniedMeal.objects.filter(school=school).exists():
        return
    leaders = [u for u in (users.get("principal"), users.get("logistics_head")) if u is not None]
    parent = users.get("parent")
    manager = users.get("canteen_manager")
    if not leaders:
        return
    now = timezone.now()
    today = timezone.localdate()
    meals = list(
        accompanied.served_meals(
            school, today - datetime.timedelta(days=28), today + datetime.timedelta(days=1), now
        ).order_by("date", "starts_at")
    )
    if not meals:
        return
    # two real gaps in the last week: a meal no leader ate with the students
    recent = [m for m in meals if m.date >= today - datetime.timedelta(days=7)]
    gaps = {m.pk for m in rng.sample(recent, min(2, len(recent)))}
    late = {m.pk for m in rng.sample(meals, min(2, len(meals))) if m.pk not in gaps}
    titles = {users.get("principal"): "校长", users.get("logistics_head"): "总务主任"}
    rows = []
    for n, meal in enumerate(meals):
        if meal.pk in gaps:
            continue
        leader = leaders[n % len(leaders)]
        end = meal.ends_at_datetime
        created = end + (
            datetime.timedelta(hours=rng.randint(20, 30))
            if meal.pk in late
            else datetime.timedelta(minutes=rng.randint(5, 40))
        )
        quality, quantity, hygiene, price = rng.choice(OBSERVATIONS)
        rows.append(
            AccompaniedMeal(
                school=school, meal=meal, date=meal.date, meal_kind=meal.meal, companion=leader,
                kind=CompanionKind.LEADER, companion_title=titles.get(leader, ""), quality=quality, quantity=quantity,
                hygiene=hygiene, price=price, rating=rng.choice([4, 4, 5, 5, 3]), status=AccompanimentStatus.RECORDED,
                created_by=leader, created=created, late_entry=is_late(school, end, created),
            )
        )  # fmt: skip
    if parent is not None and len(meals) > 6:
        for meal, answered in ((meals[-6], True), (meals[-2], False)):
            end = meal.ends_at_datetime
            created = end + datetime.timedelta(hours=2)
            rows.append(
                AccompaniedMeal(
                    school=school, meal=meal, date=meal.date, meal_kind=meal.meal, companion=parent,
                    kind=CompanionKind.PARENT, companion_title="家长委员会", quality="孩子说今天的菜很好吃",
                    quantity="分量够", hygiene="就餐环境干净", price="价格可以接受",
                    rating=4 if answered else 3,
                    feedback="希望多一些蔬菜和水果，少一些油炸食品。" if answered else "汤有点凉，能否保温？",
                    status=AccompanimentStatus.ANSWERED if answered else AccompanimentStatus.AWAITING_ANSWER,
                    answer_text="感谢您的建议！下周起每天增加一份时令水果，油炸菜品每周不超过一次。" if answered else "",
                    answered_by=manager if answered else None,
                    answered_at=created + datetime.timedelta(hours=20) if answered else None,
                    created_by=parent, created=created, late_entry=False,
                )
            )  # fmt: skip
    field = AccompaniedMeal._meta.get_field("created")
    field.auto_now_add = False
    try:
        with transaction.atomic():
            AccompaniedMeal.objects.bulk_create(rows)
    finally:
        field.auto_now_add = True


def _month(today, back):
    first = today.replace(day=1)
    for _n in range(back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def seed_accounts(school, users, rng):
    """The last three months published on the 3rd of the next month, the middle one corrected a week
    later (a fuel invoice entered twice); this month drafted from the deliveries so far."""
    if MonthlyAccount.objects.filter(school=school).exists():
        return
    manager = users.get("canteen_manager")
    if manager is None:
        return
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    pupils = rng.randint(600, 1200)
    opening = Decimal("0.00")
    rows = []
    for back in (3, 2, 1):
        month = _month(today, back)
        published = timezone.make_aware(
            datetime.datetime.combine(_month(today, back - 1) + datetime.timedelta(days=2), datetime.time(16, 0)), tz
        )
        published = min(published, timezone.now() - datetime.timedelta(hours=2))  # never in the future
        meal_fees = Decimal(pupils * rng.randint(18, 22) * 9)
        account = MonthlyAccount(
            school=school, month=month, version=1, status=AccountStatus.PUBLISHED, opening_balance=opening,
            income_source=IncomeSource.ENTERED, meal_fee_income=meal_fees, other_income=Decimal(pupils * 4 * 20),
            food_source=FoodCostSource.ENTERED, food_expense=(meal_fees * Decimal("0.74")).quantize(Decimal("0.01")),
            fuel_expense=Decimal(rng.randint(9000, 14000)), wage_expense=Decimal(rng.randint(8, 12) * 4200),
            other_expense=Decimal(rng.randint(2000, 6000)), notes="伙食费专款专用，食堂不以营利为目的。",
            published_at=published, published_by=manager, created_by=manager,
        )  # fmt: skip
        rows.append(account)
        if back == 2:
            # the correction: published a week later; the first version stays, superseded
            account.status, account.superseded_at = AccountStatus.SUPERSEDED, published + datetime.timedelta(days=7)
            fixed = MonthlyAccount(
                school=school, month=month, version=2, status=AccountStatus.PUBLISHED,
                **{name: getattr(account, name) for name in ("opening_balance", "income_source", "meal_fee_income",
                                                              "other_income", "food_source", "food_expense",
                                                              "wage_expense", "other_expense", "notes")},
                fuel_expense=(account.fuel_expense / 2).quantize(Decimal("0.01")),
                reason="燃料费的一张发票重复入账，已更正", published_at=account.superseded_at, published_by=manager,
                created_by=manager,
            )  # fmt: skip
            fixed.changes = fixed.describe_changes(account)
            rows.append(fixed)
            opening = fixed.closing_balance
        else:
            opening = account.closing_balance
    with transaction.atomic():
        for row in rows:  # in order: a correction points at the version it corrects
            if row.version == 2:
                row.supersedes = rows[rows.index(row) - 1]
            MonthlyAccount.objects.bulk_create([row])
        accounts.draft(
            school=school, month=today.replace(day=1), actor=manager, income_source=IncomeSource.ENTERED,
            meal_fee_income=Decimal(pupils * 20 * 9), other_income=Decimal(pupils * 4 * 20),
            food_source=FoodCostSource.DELIVERIES, fuel_expense=Decimal("4000.00"),
            notes="本月收支截至目前，月底核对后公示。",
        )  # fmt: skip


def seed_late_entries(school, users, rng):
    """The demo writes past records all at once: they were entered on time, except a few typed in late."""
    # the canteen's demo writes each sample's entry time itself: mark those typed in late
    late_samples = [
        s.pk
        for s in FoodSample.objects.filter(school=school, late_entry=False).only(
            "pk", "created", "sampled_at", "school"
        )
        if is_late(school, s.sampled_at, s.created)
    ]
    if late_samples:
        recorded_update(FoodSample.objects.filter(pk__in=late_samples), late_entry=True)
    for model, event in (
        (MorningCheck, "date"),
        (Disinfection, "date"),
        (ColdReading, "taken_at"),
        (Delivery, "delivered_on"),
    ):
        rows = model.objects.filter(school=school)
        if not rows.exists() or rows.filter(late_entry=True).count() <= 3:
            continue
        recorded_update(rows.filter(late_entry=True), late_entry=False)
        pks = list(rows.order_by(f"-{event}").values_list("pk", flat=True)[5:40])
        chosen = rng.sample(pks, min(2 if model is not Delivery else 1, len(pks)))
        recorded_update(model.objects.filter(pk__in=chosen), late_entry=True)
