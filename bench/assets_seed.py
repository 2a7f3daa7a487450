"""Fast bulk seeding of a district-scale asset ledger for ``bench/bench_assets.py``.

Places, people and categories go in with the ORM; asset cards with PostgreSQL ``COPY`` (a few hundred
thousand rows a minute). Not a demo provider: it writes directly and records no history. School 1
also gets a whole-school stock-take in progress (its lines snapshot by the real service) for the scan
benchmark, and an API token for its logistics head.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from harness import copy_rows

from assets.categories import DEFAULT_CATEGORIES, ensure_default_categories
from logistics.accounts.roles import Role
from logistics.tenancy.models import Building, Campus, District, Membership, Room, School, Sequence

PASSWORD = "bench1234"
ROOMS_PER_SCHOOL = 240
ITEMS = [
    ("A05010203", "学生课桌椅", "1.2m 升降式", (280, 450)),
    ("A02010105", "台式计算机", "i5/16G/512G", (3800, 6200)),
    ("A02020100", "投影仪", "3LCD 4000流明", (3200, 5600)),
    ("A02020600", "交互式教学一体机", "86英寸", (9800, 16800)),
    ("A02100400", "生物显微镜", "XSP-2CA", (1100, 1800)),
    ("A02100300", "实验室仪器", "DISLab", (2000, 19000)),
    ("A02150100", "燃气大炒炉", "双头", (6000, 12000)),
    ("A05010000", "办公桌", "1.4m", (1000, 2400)),
    ("A02061800", "空调机", "1.5匹 挂机", (2600, 4200)),
    ("A03060000", "篮球架", "移动式", (3000, 8000)),
]


def places(district, n, password):
    school = School.objects.create(district=district, name=f"基准第{n}学校", slug=f"bench-{n}", code=f"B{n:02d}")
    campus = Campus.objects.create(school=school, name="本部")
    buildings = [
        Building.objects.create(school=school, campus=campus, name=f"{k}号楼", code=str(k)) for k in range(1, 7)
    ]
    Room.objects.bulk_create(
        [
            Room(
                school=school,
                building=buildings[i % len(buildings)],
                name=f"{i + 101}室",
                code=f"{i + 101}",
                kind="store" if i == 0 else ("classroom" if i % 3 else "office"),
            )
            for i in range(ROOMS_PER_SCHOOL)
        ]
    )
    User = get_user_model()
    users = {}
    for role in (Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF, Role.PRINCIPAL, Role.FINANCE_OFFICER, Role.TEACHER):
        short = str(role).split("_")[-1]
        user = User.objects.create(username=f"bench-{short}-{n}", display_name=f"基准{short}{n}", password=password)
        Membership.objects.create(user=user, school=school, role=role)
        users[str(role)] = user
    return school, users


def seed(counts):
    started = time.monotonic()
    rng = random.Random(500_000)
    password = make_password(PASSWORD)
    with transaction.atomic():
        district, _ = District.objects.get_or_create(slug="bench-district", defaults={"name": "基准区"})
        schools = []
        for n, count in enumerate(counts, start=1):
            school, users = places(district, n, password)
            schools.append((school, users, count))
    print(f"  places and people: {time.monotonic() - started:.0f}s")
    today = datetime.date.today()
    columns = [
        "school_id",
        "created",
        "updated",
        "created_by_id",
        "updated_by_id",
        "code",
        "sequence",
        "name",
        "category_id",
        "model_spec",
        "serial_number",
        "unit_price",
        "purchase_date",
        "funding_source",
        "supplier",
        "invoice_number",
        "warranty_end",
        "life_years",
        "room_id",
        "custodian_id",
        "department",
        "status",
        "bulk_item",
        "batch",
        "disposed_on",
        "notes",
    ]
    statuses = ["in_use"] * 90 + ["idle"] * 5 + ["under_repair"] * 2 + ["on_loan"] + ["lost"] + ["disposed"]
    now = datetime.datetime.now(datetime.UTC).isoformat()
    total = 0
    for school, users, count in schools:
        categories = ensure_default_categories(school)
        rooms = list(Room.objects.filter(school=school).values_list("pk", flat=True))
        teacher = users[str(Role.TEACHER)].pk

        def rows(school=school, count=count, categories=categories, rooms=rooms, teacher=teacher):
            for i in range(1, count + 1):
                code, name, spec, (low, high) = ITEMS[i % len(ITEMS)]
                status = statuses[i % len(statuses)]
                bought = today - datetime.timedelta(days=rng.randint(30, 12 * 365))
                price = f"{rng.randint(low, high)}.00"
                yield (
                    str(school.pk),
                    now,
                    now,
                    "\\N",
                    "\\N",
                    f"{school.code}-{i:06d}",
                    str(i),
                    name,
                    str(categories[code].pk),
                    spec,
                    f"SN{rng.randint(10**7, 10**8)}",
                    price,
                    bought.isoformat(),
                    "budget",
                    "教育装备公司",
                    f"FP{i:08d}",
                    "\\N",
                    "\\N",
                    str(rooms[i % len(rooms)]),
                    str(teacher) if i % 7 == 0 else "\\N",
                    "总务处",
                    status,
                    "t" if code == "A05010203" else "f",
                    "",
                    (today - datetime.timedelta(days=10)).isoformat() if status == "disposed" else "\\N",
                    "",
                )

        total += copy_rows("assets_asset", columns, rows(), chunk=50_000)
        Sequence.objects.update_or_create(school=school, key="asset", defaults={"last": count})
        print(f"  {school.slug}: {count:,} assets ({time.monotonic() - started:.0f}s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_asset")
    # the scan benchmark: a whole-school stock-take of school 1 in progress, and an API token
    from rest_framework.authtoken.models import Token

    from assets import services

    school, users, _count = schools[0]
    services.start_stocktake(
        school=school, user=users[str(Role.LOGISTICS_STAFF)], name="基准全校清查", whole_school=True
    )
    for user in users.values():
        Token.objects.get_or_create(user=user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_stocktakeline")
    # what autovacuum does in production: the visibility map lets counts use index-only scans
    from django.db import connections

    vacuum = connections.create_connection("default")
    vacuum.connect()
    vacuum.connection.autocommit = True
    with vacuum.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE assets_asset")
        cursor.execute("VACUUM ANALYZE assets_stocktakeline")
    vacuum.close()
    print(
        f"  {total:,} assets seeded in {time.monotonic() - started:.0f}s ({len(DEFAULT_CATEGORIES)} categories/school)"
    )
