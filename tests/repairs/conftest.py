"""Fixtures of the repairs tests: the people of a school, each in their role."""

from types import SimpleNamespace

import pytest

from logistics.accounts.roles import Role

from ..factories import DistrictFactory


@pytest.fixture
def people(school, make_user):
    """head, staff, principal, worker (plumbing+electrical), carpenter, teacher, teacher2, guard, parent,
    officer (district officer of the school's district), outsider (a head of another school)."""
    return SimpleNamespace(
        head=make_user(Role.LOGISTICS_HEAD, school, username="head"),
        staff=make_user(Role.LOGISTICS_STAFF, school, username="staff"),
        principal=make_user(Role.PRINCIPAL, school, username="principal"),
        worker=make_user(Role.REPAIR_WORKER, school, username="worker", trades="plumbing,electrical"),
        carpenter=make_user(Role.REPAIR_WORKER, school, username="carpenter", trades="carpentry"),
        teacher=make_user(Role.TEACHER, school, username="teacher"),
        teacher2=make_user(Role.TEACHER, school, username="teacher2"),
        guard=make_user(Role.GUARD, school, username="guard"),
        parent=make_user(Role.PARENT, school, username="parent"),
        officer=make_user(Role.DISTRICT_OFFICER, district=school.district, username="officer"),
    )


@pytest.fixture
def other_people(other_school, make_user):
    return SimpleNamespace(
        head=make_user(Role.LOGISTICS_HEAD, other_school, username="other-head"),
        worker=make_user(Role.REPAIR_WORKER, other_school, username="other-worker", trades="plumbing"),
        teacher=make_user(Role.TEACHER, other_school, username="other-teacher"),
    )


@pytest.fixture
def district(school):
    return school.district or DistrictFactory()


def png_bytes(colour=(200, 30, 30)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="photo.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made by the dozen here; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
