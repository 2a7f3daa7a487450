"""On a phone: the logistics staff enter a month's readings of a campus on one form — a lower value is
refused with the input kept, then saved as a meter replacement — and the meter's chart shows the month;
the meters list at desk size. Real Chromium, live server."""

import datetime
from decimal import Decimal

import pytest

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from utilities import services
from utilities.choices import MeterKind
from utilities.models import Meter, MeterReading

from ..factories import CampusFactory, SchoolFactory, UserFactory
from ..utilities.factories import add_history
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def setting():
    school = SchoolFactory(name="第一中学", slug="e2e-utilities", code="E2U")
    campus = CampusFactory(school=school, name="本部")
    staff = UserFactory(username="e2e-util-staff")
    Membership.objects.create(user=staff, school=school, role=Role.LOGISTICS_STAFF)
    water = Meter.objects.create(school=school, campus=campus, kind=MeterKind.WATER, name="总水表")
    power = Meter.objects.create(school=school, campus=campus, kind=MeterKind.ELECTRICITY, name="总电表")
    end = services.months_back(services.last_month(), 2)[0]
    add_history(water, staff, [100] * 14, end=end)  # value 2400
    add_history(power, staff, [1000] * 14, end=end)  # value 15000
    return {"school": school, "campus": campus, "staff": staff, "water": water, "power": power}


def test_phone_entry_of_a_month(setting, live_server, page_factory, login_page, screenshot):
    s = setting
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, s["staff"].username)
    page.goto(f"{live_server.url}/utilities/enter/?campus={s['campus'].pk}")
    lines = page.locator("[data-testid=meter-line]")
    assert lines.count() == 2
    water = page.locator(f"[data-meter='{s['water'].pk}']")
    power = page.locator(f"[data-meter='{s['power'].pk}']")
    water.locator("input[name$=-value]").fill("2380")  # lower than 2400
    power.locator("input[name$=-value]").fill("16000")
    screenshot(page, "utilities-phone-1-entry")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    error = water.locator("[data-testid=line-error]")
    assert "低于上次读数" in error.inner_text()
    assert power.locator("input[name$=-value]").input_value() == "16000"  # the input is kept
    assert not MeterReading.objects.filter(month=services.last_month()).exists()
    screenshot(page, "utilities-phone-2-refused")
    # no wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    water.locator("summary").click()
    water.locator("input[type=checkbox]").check()
    water.locator("input[name$=-reason]").fill("更换新水表")
    water.locator("input[name$=-value]").fill("80")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=done]").count() == 2
    readings = {r.meter_id: r for r in MeterReading.objects.filter(month=services.last_month())}
    assert readings[s["water"].pk].consumption == Decimal(80) and readings[s["water"].pk].replacement
    assert readings[s["power"].pk].consumption == Decimal(1000)
    screenshot(page, "utilities-phone-3-saved")

    page.goto(f"{live_server.url}/utilities/meters/{s['power'].pk}/")
    page.wait_for_selector("canvas[data-chart]")
    page.wait_for_function("document.querySelector('canvas[data-chart]').width > 0")
    assert page.locator("[data-testid=history] tbody tr").count() == 15  # from the first reading on
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "utilities-phone-4-chart")


def test_desk_meter_list_and_chart(setting, live_server, page_factory, login_page, screenshot):
    s = setting
    services.record_reading(s["water"], s["staff"], services.last_month(), datetime.date.today(), value=Decimal(2700))
    page = page_factory(viewport=DESK)
    login_page(page, live_server, s["staff"].username)
    page.goto(f"{live_server.url}/utilities/meters/")
    assert page.locator("[data-testid=flag]").count() == 1
    screenshot(page, "utilities-desk-1-meters")
    page.goto(f"{live_server.url}/utilities/meters/{s['water'].pk}/")
    page.wait_for_function("document.querySelector('canvas[data-chart]').width > 0")
    screenshot(page, "utilities-desk-2-chart")
