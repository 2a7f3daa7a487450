"""Fast bulk seeding of a district-scale repairs data set for ``bench/bench_repairs.py``.

Places and people go in with ``bulk_create``; tickets, their assignees, parts and work logs with
PostgreSQL ``COPY`` (indexes dropped and rebuilt around it, triggers off), so a million tickets load
in a few minutes. Not a demo provider: it writes directly and records no history.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from harness import copy_rows

from logistics.accounts.roles import Role
from logistics.tenancy.models import Building, Campus, District, Membership, Room, School, Sequence
from repairs.choices import Cause, TicketStatus, Trade, Urgency
from repairs.models import PartUsage, Ticket, WorkLog

PASSWORD = "bench1234"
TRADES = (
    [Trade.PLUMBING] * 34
    + [Trade.ELECTRICAL] * 25
    + [Trade.CARPENTRY] * 32
    + [Trade.HVAC] * 4
    + [Trade.IT] * 3
    + [Trade.OTHER] * 2
)
URGENCIES = [Urgency.EMERGENCY] * 3 + [Urgency.HIGH] * 15 + [Urgency.NORMAL] * 70 + [Urgency.LOW] * 12
HOURS = {Urgency.EMERGENCY: 2, Urgency.HIGH: 24, Urgency.NORMAL: 72, Urgency.LOW: 168}
TEXTS = {
    Trade.PLUMBING: ["拖把池堵塞", "地漏堵塞", "台盆水管漏水", "水龙头关不紧"],
    Trade.ELECTRICAL: ["日光灯不亮", "插座没电", "开关坏了", "电路跳闸"],
    Trade.CARPENTRY: ["移门滑轮坏了", "门锁打不开", "窗玻璃破裂", "凳子腿松动"],
    Trade.HVAC: ["空调不制冷", "空调漏水"],
    Trade.IT: ["投影仪无信号", "电脑无法开机"],
    Trade.OTHER: ["窗帘轨道脱落"],
}
PARTS = {
    Trade.PLUMBING: ("水龙头", "只", "35.00"),
    Trade.ELECTRICAL: ("灯管", "只", "12.00"),
    Trade.CARPENTRY: ("推拉门滑轮", "只", "8.00"),
}
SPAN_DAYS = 3 * 365


def _ts(value):
    return value.isoformat() if value is not None else "\\N"


def _without_indexes(tables):
    """Drop the secondary indexes of ``tables`` (kept: primary keys and constraint indexes); return
    the statements that rebuild them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in found]


def places_and_people(schools, rng):
    """A district of ``schools`` schools: 6 buildings × 40 rooms, a head, 3 workers, 30 teachers each."""
    User = get_user_model()
    district = District.objects.create(name="基准测试区", slug="bench-district")
    password = make_password(PASSWORD)
    result = []
    for n in range(1, schools + 1):
        school = School.objects.create(district=district, name=f"基准第{n}中学", slug=f"bench-{n}", code=f"B{n:02d}")
        campus = Campus.objects.create(school=school, name="本部")
        buildings = Building.objects.bulk_create(
            [Building(school=school, campus=campus, name=f"{b}号楼", code=str(b), floors=4) for b in range(1, 7)]
        )
        rooms = Room.objects.bulk_create(
            [
                Room(
                    school=school,
                    building=b,
                    name=f"{f}{r:02d}室",
                    code=f"{b.code}{f}{r:02d}",
                    floor=f,
                    kind="classroom",
                )
                for b in buildings
                for f in range(1, 5)
                for r in range(1, 11)
            ]
        )
        head = User(username=f"bench-head-{n}", display_name=f"后勤主任{n}", password=password)
        workers = [
            User(username=f"bench-worker-{n}-{k}", display_name=f"维修工{n}-{k}", password=password) for k in range(3)
        ]
        teachers = [
            User(username=f"bench-teacher-{n}-{k}", display_name=f"教师{n}-{k}", password=password) for k in range(30)
        ]
        User.objects.bulk_create([head, *workers, *teachers])
        trades = ["plumbing,electrical", "carpentry", "hvac,it,other"]
        Membership.objects.bulk_create(
            [Membership(user=head, school=school, role=Role.LOGISTICS_HEAD)]
            + [
                Membership(user=w, school=school, role=Role.REPAIR_WORKER, trades=t)
                for w, t in zip(workers, trades, strict=True)
            ]
            + [Membership(user=t, school=school, role=Role.TEACHER) for t in teachers]
        )
        result.append(
            {
                "school": school,
                "buildings": {b.pk: b for b in buildings},
                "rooms": [(r.pk, r.building_id) for r in rooms],
                "head": head,
                "workers": {
                    Trade.PLUMBING: workers[0].pk,
                    Trade.ELECTRICAL: workers[0].pk,
                    Trade.CARPENTRY: workers[1].pk,
                    Trade.HVAC: workers[2].pk,
                    Trade.IT: workers[2].pk,
                    Trade.OTHER: workers[2].pk,
                },
                "teachers": [t.pk for t in teachers],
            }
        )
    Membership.objects.create(
        user=User.objects.create(username="bench-officer", display_name="区后勤中心", password=password),
        district=district,
        role=Role.DISTRICT_OFFICER,
    )
    return result


def seed(counts, rng=None, log=print):
    """Seed ``counts`` = [tickets of school 1, of school 2, …] into the (migrated, empty) database."""
    rng = rng or random.Random(20261121)
    started = time.monotonic()
    with transaction.atomic():
        schools = places_and_people(len(counts), rng)
    log(f"  places and people: {time.monotonic() - started:.1f}s")

    ticket_fields = [f for f in Ticket._meta.concrete_fields]
    ticket_cols = [f.column for f in ticket_fields]
    now = timezone.now()
    year = now.year
    assignee_rows, part_rows, log_rows = [], [], []

    def tickets():
        # rows go in in the order they were filed (ids and references grow with time, as in real
        # use), the district's schools interleaved
        stamps = sorted(
            (now - datetime.timedelta(seconds=rng.random() * SPAN_DAYS * 86400), index)
            for index, count in enumerate(counts)
            for _ in range(count)
        )
        numbers = [0] * len(counts)
        for ticket_id, (submitted, index) in enumerate(stamps, start=1):
            info = schools[index]
            numbers[index] += 1
            number = numbers[index]
            school_id = info["school"].pk
            rooms, teachers, workers = info["rooms"], info["teachers"], info["workers"]
            trade = rng.choice(TRADES)
            urgency = rng.choice(URGENCIES)
            room_id, building_id = rng.choice(rooms)
            target = submitted + datetime.timedelta(hours=HOURS[urgency])
            age_h = (now - submitted).total_seconds() / 3600
            took = HOURS[urgency] * rng.choice((0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 2.0))
            values = dict.fromkeys(ticket_cols, "\\N")
            values.update(
                id=str(ticket_id),
                school_id=str(school_id),
                created=_ts(submitted),
                updated=_ts(submitted),
                reference=f"REP-{year}-{number:06d}",
                reference_number=str(year * 1_000_000 + number),
                kind="reactive",
                room_id=str(room_id),
                building_id=str(building_id),
                trade=trade,
                urgency=urgency,
                description=rng.choice(TEXTS[trade]),
                requester_id=str(rng.choice(teachers)),
                checklist="[]",
                submitted_at=_ts(submitted),
                target_at=_ts(target),
                auto_confirmed="f",
                reopen_count="0",
                status_reason="",
                cause="",
                resolution="",
                labour_minutes="0",
                parts_cost="0",
                rating_comment="",
                damage_responsible="",
            )
            worker = workers[trade]
            if took < age_h:
                done = submitted + datetime.timedelta(hours=took)
                confirmed = took + 72 < age_h
                values.update(
                    status=TicketStatus.CONFIRMED if confirmed else TicketStatus.DONE,
                    assigned_at=_ts(submitted + datetime.timedelta(hours=took * 0.1)),
                    started_at=_ts(submitted + datetime.timedelta(hours=took * 0.3)),
                    done_at=_ts(done),
                    confirmed_at=_ts(done + datetime.timedelta(hours=30)) if confirmed else "\\N",
                    cause=Cause.HUMAN_DAMAGE if rng.random() < 0.1 else Cause.WEAR,
                    labour_minutes=str(rng.choice((15, 30, 45, 60))),
                    rating=str(rng.choice((4, 5, 5))) if confirmed else "\\N",
                )
                if trade in PARTS and rng.random() < 0.3:
                    name, unit, cost = PARTS[trade]
                    values["parts_cost"] = cost
                    stamp = values["done_at"]
                    part_rows.append((str(school_id), stamp, stamp, str(ticket_id), name, "1", unit, cost, cost, ""))
                    log_rows.append(
                        (
                            str(school_id),
                            stamp,
                            stamp,
                            str(ticket_id),
                            str(worker),
                            done.date().isoformat(),
                            values["labour_minutes"],
                            "",
                        )
                    )
                assignee_rows.append((str(ticket_id), str(worker)))
            else:
                status = rng.choice((TicketStatus.SUBMITTED, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS))
                values["status"] = status
                if status != TicketStatus.SUBMITTED:
                    values["assigned_at"] = _ts(submitted + datetime.timedelta(minutes=20))
                    assignee_rows.append((str(ticket_id), str(worker)))
                if target < now:
                    values["escalated_at"] = _ts(target + datetime.timedelta(minutes=15))
            yield tuple(values[c] for c in ticket_cols)

    tables = [
        Ticket._meta.db_table,
        Ticket.assignees.through._meta.db_table,
        PartUsage._meta.db_table,
        WorkLog._meta.db_table,
    ]
    with transaction.atomic():
        rebuild = _without_indexes(tables)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        t0 = time.monotonic()
        n = copy_rows(Ticket._meta.db_table, ticket_cols, tickets())
        log(f"  {n:,} tickets: {time.monotonic() - t0:.1f}s")
        t0 = time.monotonic()
        through = Ticket.assignees.through._meta.db_table
        copy_rows(through, ["ticket_id", "user_id"], iter(assignee_rows))
        copy_rows(
            PartUsage._meta.db_table,
            [
                "school_id",
                "created",
                "updated",
                "ticket_id",
                "name",
                "quantity",
                "unit",
                "unit_cost",
                "cost",
                "reversal_reason",
            ],
            iter(part_rows),
        )
        copy_rows(
            WorkLog._meta.db_table,
            ["school_id", "created", "updated", "ticket_id", "worker_id", "work_date", "minutes", "note"],
            iter(log_rows),
        )
        log(
            f"  {len(assignee_rows):,} assignees, {len(part_rows):,} parts, {len(log_rows):,} work logs: {time.monotonic() - t0:.1f}s"
        )
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
            for table in (Ticket._meta.db_table,):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
        for info, count in zip(schools, counts, strict=True):
            Sequence.objects.update_or_create(school=info["school"], key=f"REP-{year}", defaults={"last": count})
    t0 = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in rebuild:
            cursor.execute(statement)
        log(f"  {len(rebuild)} indexes rebuilt: {time.monotonic() - t0:.1f}s")
        # VACUUM sets the visibility map (counts and id pages become index-only scans); ANALYZE gives
        # the planner real sizes of every table (rooms and users too), as autovacuum would
        cursor.execute("VACUUM ANALYZE")
    log(f"  seeded in {time.monotonic() - started:.1f}s")
    return schools
