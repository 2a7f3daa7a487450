"""Finance in Chromium at phone size: a parent opens the public fee board from the address its poster's QR
code holds, logs in, agrees to a voluntary fee and sees the charge; the finance officer records the payment
at a desk and the parent sees it with the receipt."""

import datetime
from decimal import Decimal

import pytest

from finance import public, services
from finance.choices import FeeCategory, FeeUnit
from finance.models import Charge, Consent, FeeItem, Payment
from logistics.accounts.roles import Role
from logistics.people.models import Grade, GuardianLink, SchoolClass, Student
from logistics.tenancy.models import Membership
from logistics.workflow import guard

from ..factories import SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def school():
    school = SchoolFactory(name="第一小学", slug="e2e-fees", complaint_phone="12345")
    users = {}
    for role, username in (
        (Role.FINANCE_OFFICER, "e2e-finance"),
        (Role.PRINCIPAL, "e2e-principal"),
        (Role.PARENT, "e2e-parent"),
    ):
        users[role] = UserFactory(username=username, display_name=username)
        Membership.objects.create(user=users[role], school=school, role=role)
    grade = Grade.objects.create(school=school, name="一年级", order=1)
    klass = SchoolClass.objects.create(school=school, grade=grade, name="一年级1班")
    child = Student.objects.create(school=school, school_class=klass, name="王小明", student_number="2026001")
    GuardianLink.objects.create(school=school, student=child, guardian=users[Role.PARENT])
    item = FeeItem.objects.create(
        school=school,
        category=FeeCategory.ON_BEHALF,
        name="学生意外伤害保险",
        amount=Decimal("100.00"),
        unit=FeeUnit.YEAR,
        period_label="2026-2027学年",
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2027, 7, 15),
    )
    board = services.new_disclosure(school, users[Role.FINANCE_OFFICER])
    guard.run(board, "submit", users[Role.FINANCE_OFFICER])
    guard.run(board, "approve", users[Role.PRINCIPAL])
    guard.run(board, "publish", users[Role.FINANCE_OFFICER])
    services.open_consents(item, users[Role.FINANCE_OFFICER])
    return school


def test_parent_consents_officer_records_payment_parent_sees_receipt(
    school, live_server, page_factory, login_page, screenshot, settings
):
    settings.SITE_URL = live_server.url
    phone = page_factory(viewport=PHONE)
    phone.goto(public.board_url(school))  # the address the poster's QR code holds
    assert "学生意外伤害保险" in phone.content() and "100.00" in phone.content()
    screenshot(phone, "finance-phone-1-public-board")
    phone.click("[data-testid=parent-login]")
    phone.fill("input[name=username]", "e2e-parent")
    phone.fill("input[name=password]", "pw")
    phone.click("[data-testid=login]")
    phone.wait_for_load_state("networkidle")
    phone.click("tbody a")
    phone.click("[data-testid=do-give]")
    phone.wait_for_load_state("networkidle")
    assert Consent.objects.get().status == "given"
    screenshot(phone, "finance-phone-2-agreed")

    desk = page_factory(viewport=DESK)
    login_page(desk, live_server, "e2e-finance")
    desk.goto(f"{live_server.url}{FeeItem.objects.get().get_absolute_url()}")
    desk.click("[data-testid=charge]")
    desk.wait_for_load_state("networkidle")
    charge = Charge.objects.get()
    assert charge.amount == Decimal("100.00")

    phone.goto(f"{live_server.url}/finance/charges/")
    assert "王小明" in phone.content()
    phone.click("tbody a")
    assert phone.locator("[data-testid=balance]").inner_text().strip() == "100.00"
    screenshot(phone, "finance-phone-3-charge")

    desk.goto(f"{live_server.url}{charge.get_absolute_url()}")
    form = desk.locator("[data-testid=form-payment]")
    form.locator("input[name=receipt_number]").fill("No.0001")
    form.locator("select[name=method]").select_option("wechat")
    form.locator("button").click()
    desk.wait_for_load_state("networkidle")
    assert Payment.objects.get().receipt_number == "No.0001"

    phone.reload()
    assert phone.locator("[data-testid=balance]").inner_text().strip() == "0.00"
    assert "No.0001" in phone.locator("[data-testid=payments]").inner_text()
    screenshot(phone, "finance-phone-4-paid")
    receipt = phone.request.get(live_server.url + phone.locator("[data-testid=receipt]").get_attribute("href"))
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")

    # paid: "withdraw consent" is no longer offered; the consent's page says why and what to do instead
    phone.goto(f"{live_server.url}{Consent.objects.get().get_absolute_url()}")
    assert phone.locator("[data-testid=do-revoke]").count() == 0
    assert "申请退费" in phone.locator("[data-testid=paid-consent-note]").inner_text()
    screenshot(phone, "finance-phone-5-paid-consent")
