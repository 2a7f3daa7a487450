"""Demo data of the canteen: four weeks of school-day meals with their dishes and samples, each demo
school its own menu, with a few real gaps (a dish left unsampled) and late entries (a sample typed in the
next day); suppliers and deliveries; health certificates and morning checks. Idempotent: each part is
left alone where the school already has it."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from logistics.tenancy import rules
from logistics.tenancy.models import Sequence
from logistics.workflow import guard

from .choices import MEAL_TIMES, Meal, SampleStatus
from .models import Dish, FoodSample, MealService
from .settings_rules import SAMPLE_HOURS

BREAKFAST = ["白粥", "小米粥", "豆浆", "肉包", "菜包", "鸡蛋", "花卷", "馒头", "油条", "蒸饺"]
LUNCH_MAINS = ["红烧肉", "宫保鸡丁", "鱼香肉丝", "糖醋排骨", "土豆烧牛肉", "清蒸鱼", "番茄炒蛋", "麻婆豆腐", "回锅肉"]
LUNCH_SIDES = ["清炒时蔬", "蒜蓉西兰花", "醋溜白菜", "炒豆芽", "凉拌黄瓜", "干煸四季豆", "地三鲜"]
SOUPS = ["紫菜蛋花汤", "冬瓜排骨汤", "番茄蛋汤", "青菜豆腐汤"]


def _reserve(school_id, year, n):
    with transaction.atomic():
        row, _ = Sequence.objects.select_for_update().get_or_create(school_id=school_id, key=f"LY-{year}")
        first = row.last + 1
        row.last += n
        row.save(update_fields=["last"])
    return first


def _school_days(today, weeks=4):
    day = today - datetime.timedelta(days=7 * weeks)
    while day <= today:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def seed(school, users, scale, rng):
    if MealService.objects.filter(school=school).exists():
        return
    cook = users.get("canteen_staff")
    manager = users.get("canteen_manager") or cook
    if cook is None:
        return
    today = timezone.localdate()
    now = timezone.now()
    hours = float(rules.value(school, SAMPLE_HOURS))
    meals_of_day = [Meal.BREAKFAST, Meal.LUNCH] + ([Meal.DINNER] if school.slug.endswith("1") else [])
    plan = []  # (meal service, [dish names])
    for day in _school_days(today):
        for meal in meals_of_day:
            if meal == Meal.BREAKFAST:
                names = rng.sample(BREAKFAST, 3)
            else:
                names = [*rng.sample(LUNCH_MAINS, 2), *rng.sample(LUNCH_SIDES, 2), rng.choice(SOUPS), "米饭"]
            start, end = MEAL_TIMES[meal]
            plan.append((MealService(school=school, date=day, meal=meal, starts_at=start, ends_at=end), names))
    with transaction.atomic():
        MealService.objects.bulk_create([m for m, _n in plan])
        dishes = []
        for meal, names in plan:
            for position, name in enumerate(names, start=1):
                dishes.append(Dish(school=school, meal=meal, name=name, position=position))
        Dish.objects.bulk_create(dishes)
        by_meal = {}
        for dish in dishes:
            by_meal.setdefault(dish.meal_id, []).append(dish)
        # the gaps: a few past dishes left unsampled, and a few samples typed in the next day
        past = [d for d in dishes if d.meal.ends_at_datetime < now - datetime.timedelta(hours=3)]
        gaps = {d.pk for d in rng.sample(past, min(3, len(past)))}
        late = {d.pk for d in rng.sample(past, min(4, len(past))) if d.pk not in gaps}
        samples = []
        for dish in dishes:
            meal = dish.meal
            served_end = meal.ends_at_datetime
            if dish.pk in gaps or served_end > now:
                continue
            sampled_at = meal.starts_at_datetime - datetime.timedelta(minutes=rng.randint(5, 25))
            delay = datetime.timedelta(hours=rng.randint(18, 30)) if dish.pk in late else None
            created = sampled_at + (delay or datetime.timedelta(minutes=rng.randint(1, 10)))
            keep = sampled_at + datetime.timedelta(hours=hours)
            # discarded the morning after the keeping time ended (the last days' samples are still kept)
            discard_at = keep.replace(hour=0) + datetime.timedelta(days=1, hours=1)
            discarded = discard_at < now
            samples.append(
                FoodSample(
                    school=school,
                    meal=meal,
                    dish=dish,
                    date=meal.date,
                    meal_kind=meal.meal,
                    dish_name=dish.name,
                    weight_grams=rng.choice([125, 130, 140, 150, 160, 180]),
                    container=rng.choice(["留样柜1号", "留样柜2号"]),
                    sampled_at=sampled_at,
                    sampled_by=cook,
                    keep_until=keep,
                    status=SampleStatus.DISCARDED if discarded else SampleStatus.KEPT,
                    discarded_at=discard_at if discarded else None,
                    discarded_by=manager if discarded else None,
                    created_by=cook,
                    created=created,
                )
            )
        first = _reserve(school.pk, today.year, len(samples))
        for n, sample in enumerate(samples):
            number = first + n
            sample.reference_number = today.year * 1_000_000 + number
            sample.reference = f"LY-{today.year}-{number:06d}"
        # ``created`` is the entry time (auto_now_add): the demo writes the time each sample was entered
        field = FoodSample._meta.get_field("created")
        field.auto_now_add = False
        try:
            FoodSample.objects.bulk_create(samples)
        finally:
            field.auto_now_add = True


SUPPLIERS = [
    (
        "粮油",
        True,
        "丰收粮油有限公司",
        "大米、面粉、食用油",
        [("大米", "25kg/袋", "袋", 10, 365), ("食用油", "5L/桶", "桶", 6, 540)],
    ),
    (
        "肉类",
        True,
        "放心肉食品公司",
        "猪肉、牛肉、鸡肉",
        [("猪肉", "冷鲜", "kg", 40, 3), ("鸡腿", "冷冻", "kg", 20, 180)],
    ),
    ("蔬菜", False, "绿源蔬菜合作社", "时令蔬菜", [("白菜", "", "kg", 30, None), ("土豆", "", "kg", 25, None)]),
    ("蛋奶", False, "阳光蛋品公司", "鸡蛋、牛奶", [("鸡蛋", "30枚/盘", "盘", 10, 30)]),
]


def seed_supply(school, users, rng):
    """Suppliers (one with a licence expiring soon, one expired — it cannot deliver), categories, three weeks
    of deliveries inspected line by line (bulk staples by two people; one rejected line)."""
    from . import supply
    from .models import ProductCategory, Supplier, SupplierLicence

    if Supplier.objects.filter(school=school).exists():
        return
    manager, cook = users.get("canteen_manager"), users.get("canteen_staff")
    if manager is None or cook is None:
        return
    today = timezone.localdate()
    made = []
    for n, (category, bulk, name, supplies, products) in enumerate(SUPPLIERS):
        cat = ProductCategory.objects.create(school=school, name=category, bulk_staple=bulk)
        supplier = Supplier.objects.create(
            school=school,
            name=name,
            address=f"示范区{rng.choice(['城东', '城西', '开发区'])}路{rng.randint(1, 99)}号",
            contact=rng.choice(["张经理", "王经理", "刘女士"]),
            phone=f"1380000{rng.randint(1000, 9999)}",
            supplies=supplies,
        )
        until = today + datetime.timedelta(days=[400, 20, 300, -5][n])
        SupplierLicence.objects.create(
            school=school,
            supplier=supplier,
            kind="food_business",
            number=f"JY{school.pk:02d}{rng.randint(10**9, 10**10 - 1)}",
            scope=supplies,
            valid_until=until,
        )
        made.append((cat, supplier, products, until))
    for week in range(3):
        day = today - datetime.timedelta(days=7 * week + 1)
        for cat, supplier, products, until in made:
            if until < day:
                continue
            lines = [
                {
                    "category": cat,
                    "product": product,
                    "spec": spec,
                    "quantity": Decimal(qty),
                    "unit": unit,
                    "production_date": day - datetime.timedelta(days=1),
                    "batch": f"B{day:%m%d}{i}",
                    "shelf_life_days": life,
                    "price": Decimal(rng.randint(50, 800)),
                }
                for i, (product, spec, unit, qty, life) in enumerate(products)
            ]
            delivery = supply.create_delivery(
                school=school, actor=manager, supplier=supplier, delivered_on=day, lines=lines
            )
            if week == 0 and not cat.bulk_staple:
                continue  # this week's vegetables and eggs are still being inspected
            for n, line in enumerate(delivery.lines.order_by("pk")):
                delivery.refresh_from_db()
                if week == 1 and n == 1 and not cat.bulk_staple:
                    guard.run(delivery, "reject_line", cook, line=line, reason="部分腐烂", disposal="returned")
                else:
                    guard.run(delivery, "accept_line", cook, line=line, inspectors=[manager])


def seed_health(school, users, rng):
    """Certificates for the canteen team (one expiring within the month) and two weeks of morning checks
    with one worker off duty for a sore throat."""
    from . import health
    from .models import HealthCertificate, MorningCheck

    if HealthCertificate.objects.filter(school=school).exists():
        return
    manager = users.get("canteen_manager")
    team = health.team_of(school)
    if manager is None or not team:
        return
    today = timezone.localdate()
    for n, person in enumerate(team):
        HealthCertificate.objects.create(
            school=school,
            person=person,
            number=f"JKZ{school.pk:02d}{person.pk:05d}",
            issued_on=today - datetime.timedelta(days=300),
            valid_until=today + datetime.timedelta(days=20 if n == 0 else 65),
        )
    for back in range(14, 0, -1):
        day = today - datetime.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for person in team:
            if MorningCheck.objects.filter(school=school, person=person, date=day).exists():
                continue
            sick = back == 5 and person != manager
            health.record_check(
                school=school,
                person=person,
                checked_by=manager,
                day=day,
                temperature=Decimal(f"36.{rng.randint(2, 8)}"),
                sore_throat=sick,
            )


def seed_all(school, users, scale, rng):
    seed(school, users, scale, rng)
    seed_supply(school, users, rng)
    seed_health(school, users, rng)
    seed_menus(school, users, rng)
    seed_disinfections(school, users, rng)
    seed_cold_chain(school, users, rng)


def seed_menus(school, users, rng):
    """This week's menu published (then changed once: a second version saying what changed) and next
    week's published; each school its own dishes."""
    from . import menus
    from .models import WeeklyMenu

    if WeeklyMenu.objects.filter(school=school).exists():
        return
    manager = users.get("canteen_manager")
    if manager is None:
        return
    monday = menus.monday_of(timezone.localdate())
    for week in (monday, monday + datetime.timedelta(days=7)):
        menu = WeeklyMenu.objects.create(school=school, week_start=week, created_by=manager)
        cells = {}
        for n in range(5):
            day = week + datetime.timedelta(days=n)
            cells[(day, Meal.BREAKFAST)] = [(d, "") for d in rng.sample(BREAKFAST, 3)]
            cells[(day, Meal.LUNCH)] = [
                *[(d, "") for d in rng.sample(LUNCH_MAINS, 2)],
                *[(d, "") for d in rng.sample(LUNCH_SIDES, 2)],
                (rng.choice(SOUPS), ""),
                ("米饭", "大米"),
            ]
        menus.set_items(menu, cells)
        guard.run(menu, "publish", manager)
        if week == monday:
            draft = guard.run(WeeklyMenu.objects.get(pk=menu.pk), "revise", manager)
            changed = menus.grid(draft)
            wednesday = week + datetime.timedelta(days=2)
            lunch = changed[(wednesday, Meal.LUNCH)]
            lunch[0] = ("糖醋排骨" if lunch[0][0] != "糖醋排骨" else "回锅肉", "排骨")
            menus.set_items(draft, changed)
            guard.run(draft, "publish", manager)


def seed_disinfections(school, users, rng):
    """Two weeks of tableware disinfections after each meal (one dishwasher run too cold: flagged)."""
    from .models import Disinfection

    if Disinfection.objects.filter(school=school).exists():
        return
    cook = users.get("canteen_staff")
    if cook is None:
        return
    today = timezone.localdate()
    flagged = False
    for back in range(14, 0, -1):
        day = today - datetime.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for meal in (Meal.BREAKFAST, Meal.LUNCH):
            cold = not flagged and back == 6 and meal == Meal.LUNCH
            flagged = flagged or cold
            Disinfection.objects.create(
                school=school,
                date=day,
                meal=meal,
                method="dishwasher" if meal == Meal.LUNCH else "steam",
                temperature=Decimal("80")
                if cold
                else Decimal(rng.choice(["86", "88", "90"]) if meal == Meal.LUNCH else "100"),
                minutes=Decimal("1") if meal == Meal.LUNCH else Decimal(rng.choice(["10", "12", "15"])),
                done_by=cook,
                created_by=cook,
            )


def seed_cold_chain(school, users, rng):
    """The sample fridge and a cold store read twice a day for two weeks; the cold store runs warm for
    three readings (one episode, one corrective action: assigned to the canteen manager, put right, and
    verified by the logistics head where the demo has one), then is back in range."""
    from logistics.corrective.services import actions_for
    from logistics.workflow import guard

    from . import cold
    from .models import ColdEpisode, ColdStore

    if ColdStore.objects.filter(school=school).exists():
        return
    cook = users.get("canteen_staff")
    if cook is None:
        return
    stores = [ColdStore.objects.create(school=school, name=name) for name in ("留样冰箱", "冷藏库")]
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0) - datetime.timedelta(days=14)
    for n in range(28):
        taken = start + datetime.timedelta(hours=12 * (n // 2) + (0 if n % 2 == 0 else 9))
        if taken > now:
            break
        for store in stores:
            warm = store.name == "冷藏库" and 10 <= n <= 12
            value = (
                Decimal(rng.choice(["9.5", "10.2", "11.0"]))
                if warm
                else Decimal(f"{rng.randint(2, 6)}.{rng.randint(0, 9)}")
            )
            cold.record_reading(store=store, actor=cook, celsius=value, taken_at=taken)
    episode = ColdEpisode.objects.filter(school=school).select_related("store").first()
    manager, head = users.get("canteen_manager"), users.get("logistics_head")
    if episode is None or manager is None or head is None:
        return
    action = next(iter(actions_for(episode)), None)
    if action is None:
        return
    guard.run(
        action,
        "assign",
        head,
        owner=manager,
        deadline=timezone.localdate() + datetime.timedelta(days=1),
        measures="检修冷藏库温控器，库内食材转入备用冰柜并逐一查验",
    )
    guard.run(action, "rectify", manager, rectification="更换温控器继电器，复测 4.5 °C；转移的食材查验无变质")
    guard.run(action, "verify", head, note="现场复测温度正常")
