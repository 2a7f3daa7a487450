"""Fixtures of the canteen tests: the people of a school in their roles, a lunch with its dishes."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from canteen import services
from canteen.models import MealService
from logistics.accounts.roles import Role

#: a Thursday noon in Shanghai: the tests' "now"
NOON = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(school, make_user):
    """manager, cook, cook2 (canteen staff), head, principal, teacher, parent."""
    return SimpleNamespace(
        manager=make_user(Role.CANTEEN_MANAGER, school, username="manager"),
        cook=make_user(Role.CANTEEN_STAFF, school, username="cook"),
        cook2=make_user(Role.CANTEEN_STAFF, school, username="cook2"),
        head=make_user(Role.LOGISTICS_HEAD, school, username="head"),
        principal=make_user(Role.PRINCIPAL, school, username="principal"),
        teacher=make_user(Role.TEACHER, school, username="teacher"),
        parent=make_user(Role.PARENT, school, username="parent"),
    )


@pytest.fixture
def other_manager(other_school, make_user):
    return make_user(Role.CANTEEN_MANAGER, other_school, username="other-manager")


def make_meal(school, day=None, meal="lunch", dishes=("番茄炒蛋", "红烧肉", "清炒时蔬", "米饭"), canteen=""):
    service = MealService.objects.create(school=school, date=day or timezone.localdate(), meal=meal, canteen=canteen)
    services.set_dishes(service, list(dishes))
    return service


@pytest.fixture
def lunch(school):
    return make_meal(school)


def sample_all(meal, actor, grams=150):
    return [
        services.record_sample(dish=dish, actor=actor, weight_grams=grams)
        for dish in meal.dishes.filter(served=True).order_by("position")
    ]
