"""``manage.py seed_demo``: the demo district, idempotent; ``--schools 50 --scale large`` for benchmarks."""

import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from logistics.accounts.roles import Role
from logistics.audit.context import change_context
from logistics.people.models import Grade, GuardianLink, SchoolClass, Student
from logistics.tenancy import demo
from logistics.tenancy.models import (
    Building,
    Campus,
    District,
    Membership,
    Room,
    RoomKind,
    School,
)

PASSWORD = "demo1234"
SCHOOL_ROLES = [r for r in Role if r != Role.DISTRICT_OFFICER]
GRADES = ["七年级", "八年级", "九年级"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
TRADES = {1: "plumbing,electrical", 2: "carpentry,hvac,it,other"}


def person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


class Command(BaseCommand):
    help = "Load the demo district (idempotent). Demo users are <role>.<n>, password demo1234."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=2)
        parser.add_argument("--scale", choices=["small", "large"], default="small")

    def handle(self, *args, schools, scale, **options):
        rng = random.Random(20261121)
        with change_context(user=None):
            district, _ = District.objects.get_or_create(slug="demo-district", defaults={"name": "示范区教育局"})
            officer = self.user("district.officer", "区后勤管理中心 李主任")
            Membership.objects.get_or_create(user=officer, district=district, role=Role.DISTRICT_OFFICER)
            for n in range(1, schools + 1):
                with transaction.atomic():
                    school, users = self.school(district, n, scale, rng)
                    for provider in demo.providers():
                        provider(school, users, scale, rng)
                self.stdout.write(f"school {school.slug}: ready")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Users: <role>.<n> (n = 1..{schools}), district.officer; password {PASSWORD}"
            )
        )

    def user(self, username, display_name):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "email": f"{username}@demo.houqin.local",
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        return user

    def school(self, district, n, scale, rng):
        names = {1: "示范区第一中学", 2: "示范区实验学校"}
        school, _ = School.objects.get_or_create(
            slug=f"demo-{n}",
            defaults={
                "district": district,
                "name": names.get(n, f"示范区第{n}学校"),
                "code": f"D{n:02d}",
                "address": f"示范区学府路{n}号",
                "phone": f"0571-8800{n:04d}",
                "complaint_phone": "12345",
            },
        )
        users = {}
        for role in SCHOOL_ROLES:
            label = Role(role).label
            user = self.user(f"{role}.{n}", f"{person(rng)}（{label}）")
            Membership.objects.get_or_create(
                user=user,
                school=school,
                role=role,
                defaults={"trades": TRADES.get(n, "") if role == Role.REPAIR_WORKER else ""},
            )
            users[str(role)] = user
        campuses = ["本部"] + (["东校区"] if n == 1 else [])
        large = scale == "large"
        for c_index, campus_name in enumerate(campuses):
            campus, _ = Campus.objects.get_or_create(
                school=school, name=campus_name, defaults={"address": school.address}
            )
            buildings = [
                ("教学楼", RoomKind.CLASSROOM),
                ("实验楼", RoomKind.LAB),
                ("行政楼", RoomKind.OFFICE),
                ("宿舍楼", RoomKind.DORMITORY),
            ]
            if c_index == 0:
                buildings += [("食堂", RoomKind.CANTEEN), ("门卫室", RoomKind.GATE)]
            for b_index, (b_name, kind) in enumerate(buildings):
                building, _ = Building.objects.get_or_create(
                    school=school,
                    campus=campus,
                    name=f"{campus_name}{b_name}" if c_index else b_name,
                    defaults={
                        "code": f"{c_index + 1}{b_index + 1}",
                        "floors": 4 if kind != RoomKind.GATE else 1,
                    },
                )
                per_floor = (10 if large else 4) if kind in (RoomKind.CLASSROOM, RoomKind.DORMITORY) else 2
                floors = 1 if kind in (RoomKind.GATE, RoomKind.CANTEEN) else (5 if large else 3)
                existing = set(Room.objects.filter(school=school, building=building).values_list("name", flat=True))
                new = []
                for floor in range(1, floors + 1):
                    for i in range(1, per_floor + 1):
                        name = (
                            f"{floor}{i:02d}室"
                            if kind not in (RoomKind.CANTEEN, RoomKind.GATE)
                            else (
                                ["餐厅", "后厨", "库房", "留样间"][i - 1]
                                if kind == RoomKind.CANTEEN and i <= 4
                                else f"{b_name}{i}"
                            )
                        )
                        if name not in existing:
                            new.append(
                                Room(
                                    school=school,
                                    building=building,
                                    name=name,
                                    code=f"{building.code}{floor}{i:02d}",
                                    floor=floor,
                                    kind=kind,
                                )
                            )
                Room.objects.bulk_create(new)
                if kind == RoomKind.CANTEEN:
                    Room.objects.get_or_create(
                        school=school,
                        building=building,
                        name="库房2",
                        defaults={"kind": RoomKind.STORE, "code": "K2"},
                    )
        classrooms = list(Room.objects.filter(school=school, kind=RoomKind.CLASSROOM).order_by("pk"))
        per_grade = 8 if large else 2
        students_per_class = 45 if large else 8
        teacher = users[Role.TEACHER]
        parent = users[Role.PARENT]
        class_index = 0
        for g_order, g_name in enumerate(GRADES, start=1):
            grade, _ = Grade.objects.get_or_create(school=school, name=g_name, defaults={"order": g_order})
            for c in range(1, per_grade + 1):
                room = classrooms[class_index % len(classrooms)] if classrooms else None
                school_class, _ = SchoolClass.objects.get_or_create(
                    school=school,
                    grade=grade,
                    name=f"{g_name}{c}班",
                    defaults={
                        "room": room,
                        "head_teacher": teacher if class_index == 0 else None,
                    },
                )
                class_index += 1
                existing = set(
                    Student.objects.filter(school=school, school_class=school_class).values_list(
                        "student_number", flat=True
                    )
                )
                new = []
                for s in range(1, students_per_class + 1):
                    number = f"{n:02d}{g_order}{c:02d}{s:03d}"
                    if number not in existing:
                        new.append(
                            Student(
                                school=school,
                                school_class=school_class,
                                name=person(rng),
                                student_number=number,
                                boarding=s % 3 == 0,
                            )
                        )
                Student.objects.bulk_create(new)
        first = Student.objects.filter(school=school).order_by("student_number").first()
        if first:
            GuardianLink.objects.get_or_create(
                school=school,
                student=first,
                guardian=parent,
                defaults={"relation": "father"},
            )
        return school, users
