"""Fixtures of the utilities tests: the people of a school in their roles, and meters with a history."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from logistics.accounts.roles import Role

from ..factories import DistrictFactory
from .factories import make_meter


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


@pytest.fixture
def meter(school):
    return make_meter(school, name="总水表")
