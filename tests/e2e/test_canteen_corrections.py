"""The canteen manager on a phone: corrects a morning check typed wrong (the worker goes off duty, as a new
check would send them), corrects a delivery line's quantity at a desk, and withdraws a roster entry made by
mistake — each with a reason, the original kept on the page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from canteen import health, roster, supply
from canteen.models import (
    DeliveryLine,
    DutyAssignment,
    HealthCertificate,
    MorningCheck,
    ProductCategory,
    Supplier,
    SupplierLicence,
)
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..factories import SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def canteen():
    school = SchoolFactory(name="第一中学", slug="e2e-corrections", code="E2R")
    cook = UserFactory(username="e2e-fix-cook", display_name="王师傅")
    manager = UserFactory(username="e2e-fix-manager", display_name="李管理员")
    Membership.objects.create(user=cook, school=school, role=Role.CANTEEN_STAFF)
    Membership.objects.create(user=manager, school=school, role=Role.CANTEEN_MANAGER)
    today = timezone.localdate()
    HealthCertificate.objects.create(
        school=school,
        person=cook,
        number="JKZ-E2E",
        issued_on=today - datetime.timedelta(days=100),
        valid_until=today + datetime.timedelta(days=200),
    )
    check = health.record_check(school=school, person=cook, checked_by=manager, temperature="36.5")
    duty = roster.assign(school=school, person=cook, day=today, meal="lunch", actor=manager, post="切配")
    supplier = Supplier.objects.create(school=school, name="绿源农产品公司", address="城东路1号", supplies="蔬菜")
    SupplierLicence.objects.create(
        school=school, supplier=supplier, number="JY1", valid_until=today + datetime.timedelta(days=300)
    )
    veg = ProductCategory.objects.create(school=school, name="蔬菜")
    delivery = supply.create_delivery(
        school=school,
        actor=manager,
        supplier=supplier,
        lines=[{"category": veg, "product": "白菜", "quantity": Decimal("30"), "unit": "kg"}],
    )
    return {"school": school, "cook": cook, "check": check, "duty": duty, "delivery": delivery}


def test_manager_corrects_a_check_a_line_and_withdraws_a_duty(
    canteen, live_server, page_factory, login_page, screenshot
):
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, "e2e-fix-manager")
    check = canteen["check"]

    page.goto(f"{live_server.url}/canteen/morning-checks/{check.pk}/")
    assert "在岗" in page.locator("[data-testid=duty]").inner_text()
    page.click("[data-testid=correct-link]")
    form = page.locator("[data-testid=correction-form]")
    form.locator("input[name=temperature]").fill("37.6")
    form.locator("[data-testid=save]").click()  # no reason: refused, the value kept
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=temperature]").input_value() == "37.6"
    page.fill("input[name=reason]", "体温抄错，应为37.6")
    screenshot(page, "canteen-phone-correct-check")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    corrections = page.locator("[data-testid=corrections]").inner_text()
    assert "36.5" in corrections and "37.6" in corrections and "体温抄错" in corrections
    check.refresh_from_db()
    assert not check.on_duty
    page.goto(f"{live_server.url}/canteen/morning-checks/{check.pk}/")
    page.wait_for_selector("[data-testid=off-duty]")
    screenshot(page, "canteen-phone-check-corrected")

    # the roster now warns about the worker; the manager withdraws the entry with a reason
    page.goto(f"{live_server.url}/canteen/roster/")
    assert page.locator("[data-testid=duty-warning]").count() == 1
    page.click("[data-testid=withdraw-duty]")
    page.fill("input[name=reason]", "发热，不上岗")
    page.click("[data-testid=withdraw]")
    page.wait_for_selector("[data-testid=withdrawn-duty]")
    assert "发热，不上岗" in page.locator("[data-testid=withdrawn]").inner_text()
    screenshot(page, "canteen-phone-roster-withdrawn")
    assert DutyAssignment.objects.get(pk=canteen["duty"].pk).withdrawn_at is not None

    # at a desk: a delivery line's quantity
    desk = page_factory(viewport=DESK)
    login_page(desk, live_server, "e2e-fix-manager")
    delivery = canteen["delivery"]
    desk.goto(f"{live_server.url}/canteen/deliveries/{delivery.pk}/")
    desk.click("[data-testid=correct-line]")
    desk.fill("input[name=quantity]", "28.5")
    desk.fill("input[name=reason]", "磅秤读数抄错")
    desk.click("[data-testid=save]")
    desk.wait_for_load_state("networkidle")
    desk.goto(f"{live_server.url}/canteen/deliveries/{delivery.pk}/")
    line = desk.locator("[data-testid=line-corrections]").inner_text()
    assert "30" in line and "28.5" in line and "磅秤读数抄错" in line
    screenshot(desk, "canteen-desk-delivery-line-corrected")
    assert DeliveryLine.objects.get(delivery=delivery).quantity == Decimal("28.5")
    assert MorningCheck.objects.count() == 1
