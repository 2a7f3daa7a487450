"""Demo roster (``manage.py seed_demo``): per school three grades of three classes, ~300 students with genders,
boarders, some ID numbers, class teachers, and a guardian account for each family — some with two
children. Idempotent and quick: accounts share one password hash (demo1234) and rows are bulk-created."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from logistics.accounts.roles import Role
from logistics.audit.recorder import recorded_update
from logistics.tenancy.models import Membership, Room, RoomKind

from . import idnumbers
from .choices import Gender, Relation
from .models import Grade, GuardianLink, SchoolClass, Student

CLASSES_PER_GRADE = 3
STUDENTS_PER_CLASS = 34
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"
GIVEN = "子涵浩然欣怡梓轩雨萱宇轩诗涵俊杰一诺思远佳怡博文语桐明轩若曦睿泽可馨嘉懿天佑"
_hash = []


def password_hash():
    if not _hash:
        _hash.append(make_password("demo1234"))
    return _hash[0]


def child_name(rng, surname):
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def id_number(rng, year, index):
    first = f"330106{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{index % 1000:03d}"
    return first + idnumbers.check_digit(first)


def seed(school, users, scale, rng):
    if scale != "small":
        return  # the large benchmark roster comes from seed_demo itself
    User = get_user_model()
    n = int(school.slug.rsplit("-", 1)[-1]) if school.slug.rsplit("-", 1)[-1].isdigit() else school.pk
    classrooms = list(Room.objects.filter(school=school, kind=RoomKind.CLASSROOM).order_by("pk"))
    grades = list(Grade.objects.filter(school=school).order_by("order"))
    # class teachers: the demo teacher keeps the first class; the others get demo colleagues
    colleagues = []
    for k in range(2, len(grades) * CLASSES_PER_GRADE + 1):
        user, created = User.objects.get_or_create(
            username=f"teacher.{n}.{k}",
            defaults={"display_name": f"{rng.choice(SURNAMES)}老师{k}", "password": password_hash()},
        )
        Membership.objects.get_or_create(user=user, school=school, role=Role.TEACHER)
        colleagues.append(user)
    teachers = [users[Role.TEACHER], *colleagues]
    index = 0
    families = []
    for grade in grades:
        for c in range(1, CLASSES_PER_GRADE + 1):
            school_class, _ = SchoolClass.objects.get_or_create(
                school=school,
                grade=grade,
                name=f"{grade.name}{c}班",
                defaults={"room": classrooms[index % len(classrooms)] if classrooms else None},
            )
            if school_class.head_teacher_id is None:
                school_class.head_teacher = teachers[index % len(teachers)]
                school_class.save(update_fields=["head_teacher"])
            if index == 1:
                school_class.teachers.add(users[Role.TEACHER])  # the demo teacher also teaches a second class
            index += 1
            existing = set(school_class.students.values_list("student_number", flat=True))
            new = []
            for s in range(1, STUDENTS_PER_CLASS + 1):
                number = f"{n:02d}{grade.order}{c:02d}{s:03d}"
                if number in existing:
                    continue
                surname = rng.choice(SURNAMES)
                new.append(
                    Student(
                        school=school,
                        school_class=school_class,
                        name=child_name(rng, surname),
                        student_number=number,
                        gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                        boarding=s % 3 == 0,
                        id_number=id_number(rng, 2013 - grade.order, s) if s % 4 == 0 else "",
                    )
                )
            Student.objects.bulk_create(new)
    # seed_demo's first students have no gender yet
    unset = list(Student.objects.filter(school=school, gender="").values_list("pk", flat=True))
    by_gender = {Gender.MALE: [], Gender.FEMALE: []}
    for pk in unset:
        by_gender[rng.choice([Gender.MALE, Gender.FEMALE])].append(pk)
    for gender, pks in by_gender.items():
        if pks:
            recorded_update(Student.objects.filter(pk__in=pks), gender=gender)
    families = list(Student.objects.filter(school=school, active=True).order_by("student_number"))
    _guardians(school, families, rng, n, users)


def _guardians(school, students, rng, n, users):
    """One guardian account per student, except every 25th student is the sibling of the one before."""
    User = get_user_model()
    linked = set(GuardianLink.objects.filter(school=school).values_list("student_id", flat=True))
    plan = []  # (student, phone username, relation)
    family = 0
    for i, student in enumerate(students):
        if not (i % 25 == 24 and i):
            family += 1
        plan.append((student, f"139{n:02d}{family:06d}", Relation.MOTHER if family % 2 else Relation.FATHER))
    wanted = {username for _s, username, _r in plan}
    have = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    new_users = [
        User(
            username=username,
            display_name=f"{student.name[0]}{'妈妈' if relation == Relation.MOTHER else '爸爸'}",
            phone=f"+86{username}",
            password=password_hash(),
        )
        for student, username, relation in dict((p[1], p) for p in plan).values()
        if username not in have
    ]
    User.objects.bulk_create(new_users)
    have = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    members = set(
        Membership.objects.filter(school=school, role=Role.PARENT, user_id__in=have.values()).values_list(
            "user_id", flat=True
        )
    )
    Membership.objects.bulk_create(
        [Membership(user_id=pk, school=school, role=Role.PARENT) for pk in set(have.values()) - members]
    )
    GuardianLink.objects.bulk_create(
        [
            GuardianLink(school=school, student=student, guardian_id=have[username], relation=relation)
            for student, username, relation in plan
            if student.pk not in linked
        ],
        ignore_conflicts=True,
    )
    # the demo parent (parent.<n>) has two children: the first student (seed_demo) and one in another grade
    second = Student.objects.filter(school=school, school_class__grade__order=2).order_by("student_number").first()
    if second is not None:
        GuardianLink.objects.get_or_create(
            school=school, student=second, guardian=users[Role.PARENT], defaults={"relation": Relation.FATHER}
        )
