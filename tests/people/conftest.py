"""A school's roster: two classes, a class teacher, a subject teacher, students, a parent; a user per role."""

from types import SimpleNamespace

import pytest

from logistics.accounts.roles import Role
from logistics.people.models import Grade, GuardianLink, SchoolClass, Student


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The roster signs in a dozen users: a fast hasher keeps setup quick (production hashing is unchanged)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roster(school, other_school, make_user):
    people = SimpleNamespace(
        principal=make_user(Role.PRINCIPAL, school),
        head=make_user(Role.LOGISTICS_HEAD, school),
        staff=make_user(Role.LOGISTICS_STAFF, school),
        finance=make_user(Role.FINANCE_OFFICER, school),
        worker=make_user(Role.REPAIR_WORKER, school, trades="plumbing"),
        class_teacher=make_user(Role.TEACHER, school),
        subject_teacher=make_user(Role.TEACHER, school),
        other_teacher=make_user(Role.TEACHER, school),
        canteen_manager=make_user(Role.CANTEEN_MANAGER, school),
        canteen=make_user(Role.CANTEEN_STAFF, school),
        guard=make_user(Role.GUARD, school),
        parent=make_user(Role.PARENT, school),
        officer=make_user(Role.DISTRICT_OFFICER, district=school.district),
        other_head=make_user(Role.LOGISTICS_HEAD, other_school),
    )
    grade7 = Grade.objects.create(school=school, name="七年级", order=1)
    grade8 = Grade.objects.create(school=school, name="八年级", order=2)
    class_a = SchoolClass.objects.create(
        school=school, grade=grade7, name="七年级1班", head_teacher=people.class_teacher
    )
    class_b = SchoolClass.objects.create(school=school, grade=grade8, name="八年级1班")
    class_b.teachers.add(people.subject_teacher)
    child = Student.objects.create(
        school=school,
        school_class=class_a,
        name="小明",
        student_number="001",
        gender="male",
        boarding=True,
        id_number="110101201001011237",
    )
    classmate = Student.objects.create(school=school, school_class=class_a, name="小红", student_number="002")
    other = Student.objects.create(school=school, school_class=class_b, name="小刚", student_number="003")
    link = GuardianLink.objects.create(school=school, student=child, guardian=people.parent, relation="father")
    other_grade = Grade.objects.create(school=other_school, name="七年级", order=1)
    other_class = SchoolClass.objects.create(school=other_school, grade=other_grade, name="七年级1班")
    theirs = Student.objects.create(school=other_school, school_class=other_class, name="外校生", student_number="001")
    return SimpleNamespace(
        **vars(people),
        school=school,
        grade7=grade7,
        grade8=grade8,
        class_a=class_a,
        class_b=class_b,
        child=child,
        classmate=classmate,
        other=other,
        link=link,
        theirs=theirs,
    )
