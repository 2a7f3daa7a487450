"""Fixtures of the safety tests: the people of a school, a route of three checkpoints with a schedule."""

import datetime
from types import SimpleNamespace

import pytest

from logistics.accounts.roles import Role
from safety.models import Checkpoint, PatrolSchedule, Route, RouteStop

from ..repairs.conftest import photo  # noqa: F401  (the same small PNG upload)


@pytest.fixture
def people(school, make_user):
    return SimpleNamespace(
        head=make_user(Role.LOGISTICS_HEAD, school, username="head"),
        staff=make_user(Role.LOGISTICS_STAFF, school, username="staff"),
        principal=make_user(Role.PRINCIPAL, school, username="principal"),
        guard=make_user(Role.GUARD, school, username="guard"),
        guard2=make_user(Role.GUARD, school, username="guard2"),
        teacher=make_user(Role.TEACHER, school, username="teacher"),
        worker=make_user(Role.REPAIR_WORKER, school, username="worker", trades="electrical"),
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


def make_route(school, people, names=("校门", "宿舍楼", "配电房"), start=datetime.time(22, 0), proof="static", **route):
    route = Route.objects.create(school=school, name=route.pop("name", "夜间巡更"), supervisor=people.staff, **route)
    for position, name in enumerate(names, start=1):
        checkpoint = Checkpoint.objects.create(
            school=school, name=name, kind="other", spot=name, key_area=(name == "配电房"), proof=proof
        )
        RouteStop.objects.create(school=school, route=route, checkpoint=checkpoint, position=position)
    PatrolSchedule.objects.create(
        school=school, route=route, start_time=start, window_minutes=60, grace_minutes=10, guard=people.guard
    )
    return route


@pytest.fixture
def route(school, people):
    return make_route(school, people)
