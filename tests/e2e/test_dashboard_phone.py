"""The principal's dashboard on a phone (390 px), in real Chromium: what waits for the principal comes
first and opens its record in one tap; the area cards draw their charts with the vendored Chart.js and fit
the width. Screenshot: ``var/test-artifacts/dashboard-principal-phone.png``."""

import datetime

import pytest
from django.utils import timezone

from assets import services as asset_services
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..assets.factories import make_asset
from ..factories import SchoolFactory, UserFactory
from ..repairs.factories import TicketFactory
from .conftest import PHONE, login_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def scene():
    school = SchoolFactory(name="第五中学", slug="e2e-dash", code="EDA")
    people = {}
    for role, name in ((Role.PRINCIPAL, "principal"), (Role.LOGISTICS_HEAD, "head"), (Role.LOGISTICS_STAFF, "staff")):
        people[name] = UserFactory(username=f"e2e-dash-{name}")
        Membership.objects.create(user=people[name], school=school, role=role)
    request = asset_services.request_disposal(
        assets=[make_asset(school, name="台式计算机")], user=people["staff"], reason="主板损坏，无维修价值"
    )
    asset_services.approve_disposal_head(request=request, user=people["head"])
    now = timezone.now()
    for days in (40, 35, 10, 5, 2):
        submitted = now - datetime.timedelta(days=days)
        TicketFactory(school=school, submitted_at=submitted, target_at=submitted + datetime.timedelta(hours=24))
    return {"request": request, **people}


def test_principal_dashboard_on_a_phone(live_server, page_factory, screenshot, scene):
    page = page_factory(viewport=PHONE)
    login_as(page, live_server, "e2e-dash-principal")
    page.goto(f"{live_server.url}/")
    needs = page.locator("[data-testid=needs-me]")
    assert needs.is_visible()
    box = needs.bounding_box()
    assert box["y"] < 300 and box["width"] <= PHONE["width"]  # first on the page, within the screen
    assert page.locator("[data-testid=area-cards]").bounding_box()["y"] > box["y"]
    page.wait_for_function("() => document.querySelectorAll('.area-card canvas').length > 0 && window.Chart")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.area-card canvas')].every(c => window.Chart.getChart(c))"
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
    screenshot(page, "dashboard-principal-phone")
    page.locator("[data-testid=needs-item]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(scene["request"].get_absolute_url())
    assert scene["request"].reference in page.content()
