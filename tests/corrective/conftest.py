"""Fixtures of the corrective-action tests: the people of a school, each in their role."""

from types import SimpleNamespace

import pytest

from logistics.accounts.roles import Role

from ..repairs.conftest import photo  # noqa: F401  (the same small PNG upload)


@pytest.fixture
def people(school, make_user):
    return SimpleNamespace(
        head=make_user(Role.LOGISTICS_HEAD, school, username="head"),
        staff=make_user(Role.LOGISTICS_STAFF, school, username="staff"),
        principal=make_user(Role.PRINCIPAL, school, username="principal"),
        teacher=make_user(Role.TEACHER, school, username="teacher"),
        teacher2=make_user(Role.TEACHER, school, username="teacher2"),
        guard=make_user(Role.GUARD, school, username="guard"),
        parent=make_user(Role.PARENT, school, username="parent"),
        officer=make_user(Role.DISTRICT_OFFICER, district=school.district, username="officer"),
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield
