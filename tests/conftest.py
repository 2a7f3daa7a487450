"""Shared fixtures: two schools, a user per role, logged-in page and API clients."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from .factories import RoomFactory, SchoolFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache, and what each process keeps compiled (a flushed test database has new content type ids)."""
    from logistics.tenancy import compiled, querysets

    cache.clear()
    compiled.forget()
    querysets._restrictions.clear()
    yield
    cache.clear()


@pytest.fixture(params=[False, True], ids=["by-rows", "by-versions"])
def kept_by_version(request, settings):
    """Run a kept-page test twice: kept pages found by their rows' change times (the in-process cache)
    and by data versions (``KEPT_BY_VERSION``, on with a shared cache)."""
    settings.KEPT_BY_VERSION = request.param
    return request.param


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test hashes passwords with MD5: the production hasher's deliberate slowness (hundreds of
    thousands of PBKDF2 rounds per user made) would otherwise dominate fixture setup. Password *rules*
    (validators, forced change, lockout) do not depend on the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from logistics.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture
def school(db):
    return SchoolFactory(name="第一中学", slug="one", code="ONE")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="第二中学", slug="two", code="TWO")


@pytest.fixture
def room(school):
    return RoomFactory(school=school, building__school=school, building__campus__school=school)


@pytest.fixture
def other_room(other_school):
    return RoomFactory(school=other_school, building__school=other_school, building__campus__school=other_school)


@pytest.fixture
def make_user(db):
    """``make_user(role, school)`` → a user with that membership (``school=None`` + district for officers)."""

    counter = {"n": 0}

    def make(role=Role.TEACHER, school=None, district=None, username=None, **membership):
        counter["n"] += 1
        user = UserFactory(username=username or f"{role}-{counter['n']}")
        if district is not None:
            Membership.objects.create(user=user, district=district, role=role)
        elif school is not None:
            Membership.objects.create(user=user, school=school, role=role, **membership)
        return user

    return make


@pytest.fixture
def login():
    """``login(user)`` → a page client signed in as ``user``."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api():
    """``api(user)`` → an APIClient authenticated as ``user`` (``api(None)`` for anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
