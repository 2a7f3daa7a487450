"""Fixtures of the finance tests: the people of a school in their roles, a class with students and
guardians, fee items and a published board."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from finance import services
from finance.choices import AdministrativeKind, FeeCategory, FeeUnit
from finance.models import FeeItem
from logistics.accounts.roles import Role
from logistics.workflow import guard

from ..factories import GradeFactory, GuardianLinkFactory, SchoolClassFactory, StudentFactory


@pytest.fixture
def people(school, make_user):
    return SimpleNamespace(
        officer=make_user(Role.FINANCE_OFFICER, school, username="finance"),
        principal=make_user(Role.PRINCIPAL, school, username="principal"),
        head=make_user(Role.LOGISTICS_HEAD, school, username="head"),
        teacher=make_user(Role.TEACHER, school, username="teacher"),
        teacher2=make_user(Role.TEACHER, school, username="teacher2"),
        parent=make_user(Role.PARENT, school, username="parent"),
        parent2=make_user(Role.PARENT, school, username="parent2"),
        guard=make_user(Role.GUARD, school, username="guard"),
    )


@pytest.fixture
def klass(school, people):
    """Class 1 of grade 1 (class teacher: ``people.teacher``): 3 students; the first is ``people.parent``'s
    child, the second ``people.parent2``'s."""
    grade = GradeFactory(school=school, name="一年级", order=1)
    school_class = SchoolClassFactory(school=school, grade=grade, name="1班", head_teacher=people.teacher)
    students = [StudentFactory(school=school, school_class=school_class, name=f"学生{i}") for i in range(3)]
    GuardianLinkFactory(school=school, student=students[0], guardian=people.parent)
    GuardianLinkFactory(school=school, student=students[1], guardian=people.parent2)
    return SimpleNamespace(school_class=school_class, grade=grade, students=students)


def make_item(school, **fields):
    values = {
        "category": FeeCategory.ON_BEHALF,
        "name": "学生意外伤害保险",
        "amount": Decimal("100.00"),
        "unit": FeeUnit.YEAR,
        "period_label": "2026-2027学年",
        "period_start": datetime.date(2026, 9, 1),
        "period_end": datetime.date(2027, 7, 15),
        "waiver_policy": "低保家庭学生免收",
        "complaint_phone": "12345",
    }
    values.update(fields)
    return FeeItem.objects.create(school=school, **values)


@pytest.fixture
def items(school):
    return SimpleNamespace(
        insurance=make_item(school),
        meals=make_item(
            school, category=FeeCategory.SERVICE, name="午餐费", amount=Decimal("12.50"), unit=FeeUnit.MEAL
        ),
        accommodation=make_item(
            school,
            category=FeeCategory.ADMINISTRATIVE,
            administrative_kind=AdministrativeKind.ACCOMMODATION,
            name="住宿费",
            amount=Decimal("600.00"),
            unit=FeeUnit.TERM,
            basis_authority="省发展改革委 省财政厅",
            basis_document="浙发改价格〔2020〕100号",
            boarders_only=True,
            voluntary=False,
        ),
    )


def publish(school, people, note=""):
    """A board version drafted, submitted, approved and published through the declared steps."""
    disclosure = services.new_disclosure(school, people.officer, note)
    guard.run(disclosure, "submit", people.officer)
    guard.run(disclosure, "approve", people.principal)
    guard.run(disclosure, "publish", people.officer)
    return disclosure


@pytest.fixture
def board(school, people, items):
    return publish(school, people, "第一版")
