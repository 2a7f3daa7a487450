"""Fixtures of the utilities tests: the people of a school in their roles, and meters with a history."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from logistics.accounts.roles import Role
from utilities import services
from utilities.choices import MeterKind
from utilities.models import Meter, MeterReading

from ..factories import CampusFactory, DistrictFactory


@pytest.fixture(autouse=True)
def _fast_passwords_and_english_messages(settings):
    """Users here need no real password hashing; the services' messages are checked in the source language
    (pages still render in Chinese: the middleware picks the request's language)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def people(school, make_user):
    school.district = school.district or DistrictFactory()
    school.save()
    return SimpleNamespace(
        head=make_user(Role.LOGISTICS_HEAD, school, username="head"),
        staff=make_user(Role.LOGISTICS_STAFF, school, username="staff"),
        principal=make_user(Role.PRINCIPAL, school, username="principal"),
        teacher=make_user(Role.TEACHER, school, username="teacher"),
        worker=make_user(Role.REPAIR_WORKER, school, username="worker"),
        finance=make_user(Role.FINANCE_OFFICER, school, username="finance"),
        parent=make_user(Role.PARENT, school, username="parent"),
        officer=make_user(Role.DISTRICT_OFFICER, district=school.district, username="officer"),
    )


def make_meter(school, kind=MeterKind.WATER, name=None, campus=None, **fields):
    campus = campus or CampusFactory(school=school)
    n = Meter.objects.filter(school=school).count() + 1
    return Meter.objects.create(school=school, campus=campus, kind=kind, name=name or f"水表{n}", **fields)


def add_history(meter, user, uses, end=None, start_value=Decimal("1000")):
    """Readings of consecutive months ending with ``end`` (default: last month) with the given uses,
    written directly (fast; ``usual``/``flagged`` are computed as the service does)."""
    end = end or services.last_month()
    months = services.months_back(end, len(uses))
    value = start_value
    rows = []
    for month, use in zip(months, uses, strict=True):
        value += Decimal(use)
        reading = MeterReading(
            school_id=meter.school_id,
            meter=meter,
            month=month,
            read_on=month + datetime.timedelta(days=27),
            value=value,
            consumption=Decimal(use),
            entered_by=user,
        )
        services.assess(reading)
        reading.save()
        rows.append(reading)
    return rows


@pytest.fixture
def meter(school):
    return make_meter(school, name="总水表")
