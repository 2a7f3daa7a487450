"""Fast seeding of a district of 200 schools for ``bench/bench_dashboard.py``: six months of repairs,
meals with their dishes and food samples, morning checks, patrol rounds and hazards in every school, with
``bulk_create`` (no history written: not a demo provider). Each school differs (a few record no canteen at
all, so the comparison shows missing figures), as a district does.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from canteen.models import Dish, FoodSample, MealService, MorningCheck
from logistics.accounts.roles import Role
from logistics.corrective.models import CorrectiveAction
from logistics.tenancy.models import Building, Campus, District, Membership, Room, School
from repairs.models import Ticket
from safety.models import PatrolRound, Route

PASSWORD = "bench1234"
DAYS = 183
TICKETS_PER_SCHOOL = 150
DISHES = ("番茄炒蛋", "红烧肉", "清炒时蔬", "米饭")


def _aware(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(counts, rng=None, log=print):
    """``counts`` = [number of schools]."""
    rng = rng or random.Random(20261201)
    n_schools = counts[0]
    started = time.monotonic()
    User = get_user_model()
    password = make_password(PASSWORD)
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=DAYS)
    year = today.year
    with transaction.atomic():
        district = District.objects.create(name="基准测试区", slug="bench-district")
        schools = School.objects.bulk_create(
            [
                School(district=district, name=f"基准第{n}学校", slug=f"bench-{n}", code=f"B{n:03d}")
                for n in range(1, n_schools + 1)
            ]
        )
        campuses = Campus.objects.bulk_create([Campus(school=s, name="本部") for s in schools])
        buildings = Building.objects.bulk_create(
            [Building(school=s, campus=c, name="教学楼", code="1") for s, c in zip(schools, campuses, strict=True)]
        )
        rooms = Room.objects.bulk_create(
            [
                Room(school=s, building=b, name=f"{r}室", code=str(r))
                for s, b in zip(schools, buildings, strict=True)
                for r in range(101, 111)
            ]
        )
        rooms_of = {}
        for room in rooms:
            rooms_of.setdefault(room.school_id, []).append(room)
        people = {}
        users, memberships = [], []
        for school in schools:
            mine = {}
            for role, short in (
                (Role.PRINCIPAL, "principal"),
                (Role.LOGISTICS_HEAD, "head"),
                (Role.TEACHER, "teacher"),
                (Role.GUARD, "guard"),
                (Role.CANTEEN_STAFF, "cook1"),
                (Role.CANTEEN_STAFF, "cook2"),
                (Role.CANTEEN_MANAGER, "manager"),
            ):
                user = User(
                    username=f"bench-{short}-{school.code}", display_name=f"{short}{school.code}", password=password
                )
                users.append(user)
                mine[short] = (user, role)
            people[school.pk] = mine
        User.objects.bulk_create(users)
        for school in schools:
            for user, role in people[school.pk].values():
                memberships.append(Membership(user=user, school=school, role=role))
        officer = User.objects.create(username="bench-officer", display_name="区后勤中心", password=password)
        memberships.append(Membership(user=officer, district=district, role=Role.DISTRICT_OFFICER))
        Membership.objects.bulk_create(memberships)
    log(f"  schools, rooms and people: {time.monotonic() - started:.1f}s")

    # repairs -------------------------------------------------------------------------------------------
    tickets = []
    now = timezone.now()
    for index, school in enumerate(schools):
        head, _r = people[school.pk]["head"]
        teacher, _r = people[school.pk]["teacher"]
        for number in range(1, TICKETS_PER_SCHOOL + 1):
            submitted = now - datetime.timedelta(seconds=rng.random() * DAYS * 86400)
            room = rng.choice(rooms_of[school.pk])
            target = submitted + datetime.timedelta(hours=72)
            took = datetime.timedelta(hours=rng.choice((4, 12, 30, 60, 90, 130)) * (1 + index % 3 * 0.2))
            done = submitted + took if submitted + took < now else None
            tickets.append(
                Ticket(
                    school=school,
                    reference=f"REP-{year}-{number:06d}",
                    reference_number=year * 1_000_000 + number,
                    room=room,
                    building_id=room.building_id,
                    trade="plumbing",
                    description="水龙头漏水",
                    requester=teacher,
                    submitted_at=submitted,
                    target_at=target,
                    done_at=done,
                    status="done" if done else "submitted",
                    created_by=teacher,
                )
            )
    Ticket.objects.bulk_create(tickets, batch_size=5000)
    log(f"  {len(tickets):,} tickets: {time.monotonic() - started:.1f}s")

    # canteen: one lunch a school day, four dishes, samples (some missed), morning checks ---------------
    canteen_schools = [s for i, s in enumerate(schools) if i % 20 != 7]  # a few schools record no canteen
    meals = []
    days = [
        first_day + datetime.timedelta(days=d)
        for d in range(DAYS)
        if (first_day + datetime.timedelta(days=d)).weekday() < 5
    ]
    for school in canteen_schools:
        for day in days:
            meals.append(MealService(school=school, date=day, meal="lunch", created_by=people[school.pk]["cook1"][0]))
    MealService.objects.bulk_create(meals, batch_size=5000)
    dishes = [
        Dish(school_id=m.school_id, meal=m, name=name, position=p, created_by_id=m.created_by_id)
        for m in meals
        for p, name in enumerate(DISHES, start=1)
    ]
    Dish.objects.bulk_create(dishes, batch_size=10000)
    samples, checks, numbers = [], [], {}
    for dish in dishes:
        meal = dish.meal
        if meal.date >= today or rng.random() < 0.03:
            continue  # today's not yet, and a few missed
        cook = people[dish.school_id]["cook1"][0]
        numbers[dish.school_id] = numbers.get(dish.school_id, 0) + 1
        number = numbers[dish.school_id]
        taken = _aware(meal.date, 11, 40)
        samples.append(
            FoodSample(
                school_id=dish.school_id,
                reference=f"LY-{year}-{number:06d}",
                reference_number=year * 1_000_000 + number,
                meal=meal,
                dish=dish,
                date=meal.date,
                meal_kind="lunch",
                dish_name=dish.name,
                weight_grams=150,
                sampled_by=cook,
                sampled_at=taken,
                keep_until=taken + datetime.timedelta(hours=48),
                created_by=cook,
            )
        )
    FoodSample.objects.bulk_create(samples, batch_size=10000)
    for school in canteen_schools:
        manager = people[school.pk]["manager"][0]
        for day in days:
            if day > today:
                continue
            for short in ("cook1", "cook2", "manager"):
                if rng.random() < 0.05:
                    continue
                checks.append(
                    MorningCheck(
                        school=school,
                        person=people[school.pk][short][0],
                        date=day,
                        temperature=Decimal("36.5"),
                        checked_by=manager,
                        created_by=manager,
                    )
                )
    MorningCheck.objects.bulk_create(checks, batch_size=10000)
    log(
        f"  {len(dishes):,} dishes, {len(samples):,} samples, {len(checks):,} morning checks: {time.monotonic() - started:.1f}s"
    )

    # safety: a night round a day, hazards ----------------------------------------------------------------
    routes = Route.objects.bulk_create([Route(school=s, name="夜间巡更") for s in schools])
    rounds = []
    for route in routes:
        guard = people[route.school_id]["guard"][0]
        for d in range(DAYS):
            day = first_day + datetime.timedelta(days=d)
            start = _aware(day, 22)
            if start > now:
                continue
            outcome = "complete" if rng.random() < 0.93 else "missed"
            rounds.append(
                PatrolRound(
                    school_id=route.school_id,
                    route=route,
                    guard=guard,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(hours=1),
                    grace_until=start + datetime.timedelta(hours=1, minutes=10),
                    status=outcome,
                    outcome=outcome,
                    created_by=guard,
                )
            )
    PatrolRound.objects.bulk_create(rounds, batch_size=10000)
    hazards = []
    for school in schools:
        head = people[school.pk]["head"][0]
        for number in range(1, 13):
            found = now - datetime.timedelta(days=rng.randint(1, DAYS))
            level = "major" if number == 1 else "general"
            status = rng.choice(("assigned", "rectified", "closed", "closed"))
            deadline = (found + datetime.timedelta(days=14)).date()
            hazards.append(
                CorrectiveAction(
                    school=school,
                    reference=f"ZG-{year}-{number:06d}",
                    reference_number=year * 1_000_000 + number,
                    origin="safety.patrol",
                    title="消防通道堆放杂物" if level == "general" else "教学楼外墙瓷砖空鼓",
                    level=level,
                    status=status,
                    found_by=head,
                    found_at=found,
                    owner=head,
                    deadline=deadline,
                    rectified_at=found + datetime.timedelta(days=rng.randint(3, 20)) if status != "assigned" else None,
                    closed_at=found + datetime.timedelta(days=21) if status == "closed" else None,
                    created_by=head,
                )
            )
    CorrectiveAction.objects.bulk_create(hazards, batch_size=5000)
    log(f"  {len(rounds):,} patrol rounds, {len(hazards):,} hazards: {time.monotonic() - started:.1f}s")
