import pytest

from logistics.accounts.roles import Role


@pytest.fixture
def head(school, make_user):
    return make_user(Role.LOGISTICS_HEAD, school)


@pytest.fixture
def staff(school, make_user):
    return make_user(Role.LOGISTICS_STAFF, school)


@pytest.fixture
def principal(school, make_user):
    return make_user(Role.PRINCIPAL, school)
