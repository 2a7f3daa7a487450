"""Fast bulk seeding of a district-scale patrol data set for ``bench/bench_safety.py``.

Per school: the places and people of ``repairs_seed.places_and_people`` plus two guards, 12 checkpoints,
a night route (8 checkpoints, 6 rounds a night) and a day route (7 checkpoints, 6 rounds a day) — 12 rounds
and about 90 scans a day. Rounds and scans go in with PostgreSQL ``COPY`` (secondary indexes dropped and
rebuilt around it); every 37th round is missed, every 23rd incomplete (two checkpoints short). 20 schools ×
3 years ≈ 263,000 rounds and 1,970,000 scans. Not a demo provider: it writes directly and records no history.
"""

import datetime
import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from harness import copy_rows
from repairs_seed import _without_indexes, places_and_people
from safety_plan import DAY, NIGHT, scans_of

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from safety.models import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, Route, RouteStop

PASSWORD = "bench1234"
NAMES = [
    "校门",
    "教学楼",
    "宿舍楼",
    "实验楼",
    "配电房",
    "消防水泵房",
    "东围墙",
    "食堂",
    "图书馆",
    "体育馆",
    "操场",
    "行政楼",
]


def _ts(value):
    return value.isoformat() if value is not None else "\\N"


def seed(days, rng=None, log=print):
    """Seed ``days`` = [days of rounds of school 1, of school 2, …] (ending yesterday)."""
    rng = rng or random.Random(20261201)
    started = time.monotonic()
    User = get_user_model()
    password = make_password(PASSWORD)
    plan = []
    with transaction.atomic():
        schools = places_and_people(len(days), rng)
        for n, info in enumerate(schools, start=1):
            school = info["school"]
            guards = [
                User(username=f"bench-guard-{n}-{k}", display_name=f"保安{n}-{k}", password=password) for k in range(2)
            ]
            User.objects.bulk_create(guards)
            Membership.objects.bulk_create([Membership(user=g, school=school, role=Role.GUARD) for g in guards])
            checkpoints = Checkpoint.objects.bulk_create(
                [
                    Checkpoint(
                        school=school,
                        name=name,
                        spot=name,
                        kind="other",
                        key_area=i < 6,
                        proof="rotating" if i == 4 else "static",
                        code=f"b{n}c{i}",
                    )
                    for i, name in enumerate(NAMES)
                ]
            )
            routes = []
            for name, stops, times in (("夜间巡更", checkpoints[:8], NIGHT), ("白天巡查", checkpoints[4:11], DAY)):
                route = Route.objects.create(school=school, name=name, supervisor=info["head"], min_seconds_between=20)
                RouteStop.objects.bulk_create(
                    [RouteStop(school=school, route=route, checkpoint=c, position=p) for p, c in enumerate(stops, 1)]
                )
                schedules = PatrolSchedule.objects.bulk_create(
                    [
                        PatrolSchedule(
                            school=school,
                            route=route,
                            start_time=datetime.time(h, m),
                            window_minutes=60,
                            grace_minutes=10,
                            guard=guards[0 if name == "夜间巡更" else 1],
                        )
                        for h, m in times
                    ]
                )
                routes.append((route, [c.pk for c in stops], schedules))
            plan.append((school, guards, routes, days[n - 1]))
    log(f"  places, people, checkpoints and routes: {time.monotonic() - started:.1f}s")

    round_cols = [f.column for f in PatrolRound._meta.concrete_fields]
    scan_cols = [f.column for f in PatrolScan._meta.concrete_fields]
    today = timezone.localdate()
    scan_rows = []
    counters = {"round": 0, "scan": 0}

    def rounds():
        for school, _guards, routes, n_days in plan:
            number = 0
            for offset in range(n_days, 0, -1):
                day = today - datetime.timedelta(days=offset)
                for route, stops, schedules in routes:
                    for schedule in schedules:
                        number += 1
                        counters["round"] += 1
                        round_id = counters["round"]
                        start = timezone.make_aware(datetime.datetime.combine(day, schedule.start_time))
                        end = start + datetime.timedelta(minutes=schedule.window_minutes)
                        done = scans_of(number, len(stops))
                        outcome = "complete" if done == len(stops) else "missed" if done == 0 else "incomplete"
                        status = "explained" if outcome != "complete" and number % 2 else outcome
                        values = dict.fromkeys(round_cols, "\\N")
                        values.update(
                            id=str(round_id),
                            school_id=str(school.pk),
                            created=_ts(start - datetime.timedelta(days=1)),
                            updated=_ts(end),
                            route_id=str(route.pk),
                            schedule_id=str(schedule.pk),
                            guard_id=str(schedule.guard_id),
                            planned_start=_ts(start),
                            planned_end=_ts(end),
                            grace_until=_ts(end + datetime.timedelta(minutes=10)),
                            status=status,
                            outcome=outcome,
                            started_at=_ts(start + datetime.timedelta(minutes=2)) if done else "\\N",
                            finished_at=_ts(start + datetime.timedelta(minutes=40)) if done else "\\N",
                            stops_total=str(len(stops)),
                            stops_done=str(done),
                            flagged_scans="0",
                            explanation="当晚临时送学生就医，已补巡。" if status == "explained" else "",
                        )
                        yield tuple(values[c] for c in round_cols)
                        moment = start + datetime.timedelta(minutes=2)
                        for position, checkpoint_id in enumerate(stops[:done], start=1):
                            counters["scan"] += 1
                            moment += datetime.timedelta(seconds=rng.randint(60, 300))
                            scan = dict.fromkeys(scan_cols, "\\N")
                            scan.update(
                                id=str(counters["scan"]),
                                school_id=str(school.pk),
                                created=_ts(moment),
                                updated=_ts(moment),
                                round_id=str(round_id),
                                checkpoint_id=str(checkpoint_id),
                                guard_id=str(schedule.guard_id),
                                client_id=str(uuid.UUID(int=counters["scan"])),
                                scanned_at=_ts(moment),
                                device_time=_ts(moment - datetime.timedelta(seconds=2)),
                                position=str(position),
                                proof="static",
                                code_valid="t",
                                late="f",
                                out_of_order="f",
                                too_fast="f",
                                repeated="f",
                                delay_seconds="2",
                            )
                            scan_rows.append(tuple(scan[c] for c in scan_cols))
                            if len(scan_rows) >= 200_000:
                                flush_scans()

    def flush_scans():
        copy_rows("safety_patrolscan", scan_cols, scan_rows)
        scan_rows.clear()

    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        rebuild = _without_indexes(["safety_patrolround", "safety_patrolscan"])
        # the rounds stream first (they are the scans' parents), the scans follow in chunks
        n_rounds = copy_rows("safety_patrolround", round_cols, rounds())
        flush_scans()
        log(f"  {n_rounds:,} rounds and {counters['scan']:,} scans copied: {time.monotonic() - started:.1f}s")
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
            for table in ("safety_patrolround", "safety_patrolscan"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE safety_patrolround")
        cursor.execute("ANALYZE safety_patrolscan")
    log(f"  indexes rebuilt and analysed: {time.monotonic() - started:.1f}s")
