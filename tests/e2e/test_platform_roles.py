"""Each role logs in in Chromium, sees its navigation; a screenshot per role is kept."""

import pytest

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..factories import RoomFactory, SchoolFactory, UserFactory
from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

# What each role must find in its menu (URL paths), and what it must not.
EXPECTED = {
    Role.PRINCIPAL: (["/reports/", "/school/rooms/"], []),
    Role.LOGISTICS_HEAD: (["/reports/", "/school/rooms/", "/school/rules/"], []),
    Role.LOGISTICS_STAFF: (["/reports/", "/school/rooms/"], []),
    Role.FINANCE_OFFICER: (["/reports/"], []),
    Role.REPAIR_WORKER: (["/school/rooms/"], ["/reports/"]),
    Role.TEACHER: (["/school/rooms/"], ["/reports/"]),
    Role.CANTEEN_MANAGER: (["/school/rooms/"], ["/reports/"]),
    Role.CANTEEN_STAFF: (["/school/rooms/"], ["/reports/"]),
    Role.GUARD: (["/school/rooms/"], ["/reports/"]),
    Role.PARENT: ([], ["/reports/", "/school/rooms/", "/school/rules/"]),
    Role.DISTRICT_OFFICER: (["/district/", "/reports/"], []),
}


@pytest.fixture
def places():
    school = SchoolFactory(name="第一中学", slug="e2e-one")
    RoomFactory(school=school, building__school=school, building__campus__school=school)
    return school


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_role_logs_in_and_sees_its_navigation(role, places, live_server, page_factory, login_page, screenshot):
    user = UserFactory(username=f"e2e-{role}")
    if role == Role.DISTRICT_OFFICER:
        Membership.objects.create(user=user, district=places.district, role=role)
    else:
        Membership.objects.create(user=user, school=places, role=role)
    page = page_factory()
    login_page(page, live_server, user.username)
    assert page.url.rstrip("/") == live_server.url, page.url
    hrefs = page.eval_on_selector_all("[data-testid=nav] a", "els => els.map(e => e.getAttribute('href'))")
    must, must_not = EXPECTED[role]
    for path in must:
        assert path in hrefs, (role, hrefs)
    for path in must_not:
        assert path not in hrefs, (role, hrefs)
    assert page.locator("[data-testid=user-menu]").inner_text().strip() == str(user)
    screenshot(page, f"role-{role}")


def test_phone_menu_and_language_switch(places, live_server, page_factory, login_page, screenshot):
    user = UserFactory(username="e2e-phone")
    Membership.objects.create(user=user, school=places, role=Role.LOGISTICS_HEAD)
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, user.username)
    # zh-hans is the default language
    assert "首页" in page.content()
    page.click("button.navbar-toggler")
    page.wait_for_selector("#sidenav.show")
    screenshot(page, "phone-menu")
    with page.expect_navigation():
        page.select_option("#sidenav [data-testid=language-switcher] select", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=nav] a").first.text_content().strip() == "Home"
