"""Fast bulk seeding of a district-scale canteen data set for ``bench/bench_canteen.py``: 3 school years of
meals (three dining halls × breakfast/lunch/dinner), their dishes and food samples, and a delivery per
school day with its lines. Schools and people go in with ``bulk_create``; meals, dishes, samples,
deliveries and lines with PostgreSQL ``COPY`` (secondary indexes dropped and rebuilt around it, triggers
off). Not a demo provider: it writes directly and records no history."""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from harness import copy_rows

from canteen.choices import MEAL_TIMES, DeliveryStatus, LineDecision, Meal, MenuStatus, SampleStatus
from canteen.models import (
    Delivery,
    DeliveryLine,
    Dish,
    FoodSample,
    MealService,
    MenuItem,
    ProductCategory,
    Supplier,
    SupplierLicence,
    WeeklyMenu,
)
from logistics.accounts.roles import Role
from logistics.tenancy.models import District, Membership, School, Sequence

PASSWORD = "bench1234"
CANTEENS = ("一食堂", "二食堂", "三食堂")
DISHES = {
    Meal.BREAKFAST: ["白粥", "鸡蛋", "包子", "豆浆"],
    Meal.LUNCH: ["红烧肉", "番茄炒蛋", "清炒时蔬", "鱼香肉丝", "冬瓜汤", "米饭", "土豆丝", "凉拌黄瓜"],
    Meal.DINNER: ["宫保鸡丁", "麻婆豆腐", "炒青菜", "紫菜蛋汤", "米饭", "红烧鱼块", "蒸南瓜"],
}
PER_DAY = sum(len(v) for v in DISHES.values()) * len(CANTEENS)  # 57 samples a school day


def _ts(value):
    return value.isoformat() if value is not None else "\\N"


def _without_indexes(tables):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in found]


def school_days(count, today):
    """The last ``count`` weekdays before ``today``, oldest first."""
    days, day = [], today - datetime.timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return list(reversed(days))


def people(schools):
    User = get_user_model()
    district = District.objects.create(name="基准测试区", slug="bench-district")
    password = make_password(PASSWORD)
    result = []
    for n in range(1, schools + 1):
        school = School.objects.create(district=district, name=f"基准第{n}中学", slug=f"bench-{n}", code=f"B{n:02d}")
        manager = User(username=f"bench-canteen-{n}", display_name=f"食堂管理员{n}", password=password)
        cooks = [
            User(username=f"bench-cook-{n}-{k}", display_name=f"炊事员{n}-{k}", password=password) for k in range(4)
        ]
        head = User(username=f"bench-head-{n}", display_name=f"后勤主任{n}", password=password)
        User.objects.bulk_create([manager, head, *cooks])
        Membership.objects.bulk_create(
            [
                Membership(user=manager, school=school, role=Role.CANTEEN_MANAGER),
                Membership(user=head, school=school, role=Role.LOGISTICS_HEAD),
                *[Membership(user=c, school=school, role=Role.CANTEEN_STAFF) for c in cooks],
            ]
        )
        supplier = Supplier.objects.create(school=school, name=f"绿源食品{n}", supplies="蔬菜、肉类、粮油")
        SupplierLicence.objects.create(
            school=school, supplier=supplier, kind="food_business", number=f"JY{n:05d}",
            valid_until=timezone.localdate() + datetime.timedelta(days=365),
        )  # fmt: skip
        category = ProductCategory.objects.create(school=school, name="蔬菜")
        result.append({"school": school, "manager": manager, "cooks": [c.pk for c in cooks], "supplier": supplier,
                       "category": category})  # fmt: skip
    return result


def publish_menu(info, monday):
    """This week's published menu of school ``info`` (the public menu page's rows)."""
    school = info["school"]
    for week in (monday, monday + datetime.timedelta(days=7)):
        menu = WeeklyMenu.objects.create(
            school=school, week_start=week, status=MenuStatus.PUBLISHED, published_at=timezone.now(),
            published_by=info["manager"],
        )  # fmt: skip
        MenuItem.objects.bulk_create(
            [
                MenuItem(
                    school=school,
                    menu=menu,
                    day=week + datetime.timedelta(days=d),
                    meal=meal,
                    dish=dish,
                    main_ingredients="",
                    position=p,
                )
                for d in range(5)
                for meal, dishes in DISHES.items()
                for p, dish in enumerate(dishes)
            ]
        )


def _row(model, values):
    """A COPY row of ``model``: ``values`` by column, every other column its empty value."""
    out = []
    for field in model._meta.concrete_fields:
        value = values.get(field.column)
        if value is None:
            value = "" if (not field.null and field.get_internal_type() in ("CharField", "TextField")) else "\\N"
        out.append(value)
    return tuple(out)


def seed(counts, rng=None, log=print):
    """Seed ``counts`` = [food samples of school 1, of school 2, …] (multiples of 57: whole school days)."""
    rng = rng or random.Random(20261201)
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        infos = people(len(counts))
        monday = today - datetime.timedelta(days=today.weekday())
        publish_menu(infos[0], monday)
    log(f"  schools and people: {time.monotonic() - started:.1f}s")
    meal_rows, dish_rows, sample_rows, delivery_rows, line_rows = [], [], [], [], []
    meal_id = dish_id = sample_id = delivery_id = line_id = 0
    tz = timezone.get_current_timezone()
    for info, count in zip(infos, counts, strict=True):
        school_id = str(info["school"].pk)
        days = school_days(max(count // PER_DAY, 0), today)
        number = 0
        for day in days:
            for canteen in CANTEENS:
                for meal, dishes in DISHES.items():
                    meal_id += 1
                    start, end = MEAL_TIMES[meal]
                    begin = timezone.make_aware(datetime.datetime.combine(day, start), tz)
                    meal_rows.append(
                        _row(MealService, {"id": str(meal_id), "school_id": school_id, "created": _ts(begin),
                                           "updated": _ts(begin), "date": day.isoformat(), "meal": meal,
                                           "canteen": canteen, "starts_at": start.isoformat(), "ends_at": end.isoformat()})
                    )  # fmt: skip
                    for position, name in enumerate(dishes):
                        dish_id += 1
                        sample_id += 1
                        number += 1
                        dish_rows.append(
                            _row(Dish, {"id": str(dish_id), "school_id": school_id, "created": _ts(begin),
                                        "updated": _ts(begin), "meal_id": str(meal_id), "name": name,
                                        "position": str(position), "served": "t"})
                        )  # fmt: skip
                        at = begin - datetime.timedelta(minutes=rng.randint(5, 25))
                        late = rng.random() < 0.01
                        entered = at + (datetime.timedelta(hours=20) if late else datetime.timedelta(minutes=3))
                        keep = at + datetime.timedelta(hours=48)
                        discarded = keep < now
                        sample_rows.append(
                            _row(FoodSample, {"id": str(sample_id), "school_id": school_id, "created": _ts(entered),
                                              "updated": _ts(entered), "reference": f"LY-{year}-{number:06d}",
                                              "reference_number": str(year * 1_000_000 + number),
                                              "meal_id": str(meal_id), "dish_id": str(dish_id), "date": day.isoformat(),
                                              "meal_kind": meal, "dish_name": name,
                                              "weight_grams": str(rng.choice((125, 130, 150, 160))),
                                              "container": "留样柜1号", "sampled_at": _ts(at),
                                              "sampled_by_id": str(rng.choice(info["cooks"])), "keep_until": _ts(keep),
                                              "status": SampleStatus.DISCARDED if discarded else SampleStatus.KEPT,
                                              "discarded_at": _ts(keep + datetime.timedelta(hours=2)) if discarded else None,
                                              "discarded_by_id": str(info["manager"].pk) if discarded else None,
                                              "late_entry": "t" if late else "f"})
                        )  # fmt: skip
            delivery_id += 1
            stamp = _ts(timezone.make_aware(datetime.datetime.combine(day, datetime.time(6, 30)), tz))
            delivery_rows.append(
                _row(Delivery, {"id": str(delivery_id), "school_id": school_id, "created": stamp, "updated": stamp,
                                "reference": f"JH-{year}-{delivery_id:06d}",
                                "reference_number": str(year * 1_000_000 + delivery_id),
                                "supplier_id": str(info["supplier"].pk), "delivered_on": day.isoformat(),
                                "status": DeliveryStatus.CHECKED,
                                "retain_until": (day + datetime.timedelta(days=730)).isoformat(), "late_entry": "f"})
            )  # fmt: skip
            for k in range(6):
                line_id += 1
                line_rows.append(
                    _row(DeliveryLine, {"id": str(line_id), "school_id": school_id, "created": stamp, "updated": stamp,
                                        "delivery_id": str(delivery_id), "category_id": str(info["category"].pk),
                                        "product": ("青菜", "猪肉", "大米", "鸡蛋", "豆腐", "土豆")[k], "spec": "散装",
                                        "quantity": "20", "unit": "kg", "shelf_life_days": "3",
                                        "price": str(rng.randint(80, 600)), "decision": LineDecision.ACCEPTED,
                                        "decided_at": stamp})
                )  # fmt: skip
        Sequence.objects.update_or_create(school=info["school"], key=f"LY-{year}", defaults={"last": number})
    log(f"  rows built: {time.monotonic() - started:.1f}s")
    models = (MealService, Dish, FoodSample, Delivery, DeliveryLine)
    tables = [m._meta.db_table for m in models]
    with transaction.atomic():
        rebuild = _without_indexes(tables)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        for model, rows in zip(models, (meal_rows, dish_rows, sample_rows, delivery_rows, line_rows), strict=True):
            t0 = time.monotonic()
            columns = [f.column for f in model._meta.concrete_fields]
            n = copy_rows(model._meta.db_table, columns, iter(rows))
            log(f"  {n:,} {model._meta.verbose_name_plural}: {time.monotonic() - t0:.1f}s")
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
    t0 = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in rebuild:
            cursor.execute(statement)
        log(f"  {len(rebuild)} indexes rebuilt: {time.monotonic() - t0:.1f}s")
        cursor.execute("VACUUM ANALYZE")
    log(f"  seeded in {time.monotonic() - started:.1f}s")
