"""On a phone: the logistics head opens last month's report, tries to make it final without a plan (refused,
nothing lost), writes the plan and makes it final; the principal reads it and marks it read. The report list
shows each state. Real Chromium, live server."""

import datetime

import pytest

from logistics.accounts.roles import Role
from logistics.reports import services
from logistics.reports.choices import ReportStatus
from logistics.reports.models import Report
from logistics.tenancy.models import Membership

from ..factories import RoomFactory, SchoolFactory, UserFactory
from .conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def setting():
    school = SchoolFactory(name="第一中学", slug="e2e-report", code="E2R")
    RoomFactory(school=school, building__school=school, building__campus__school=school)
    head = UserFactory(username="e2e-report-head", display_name="孙勇（总务主任）")
    principal = UserFactory(username="e2e-report-principal", display_name="何军（校长）")
    Membership.objects.create(user=head, school=school, role=Role.LOGISTICS_HEAD)
    Membership.objects.create(user=principal, school=school, role=Role.PRINCIPAL)
    report = services.generate(school, services.previous_month())
    return {"school": school, "head": head, "principal": principal, "report": report}


def test_phone_plan_final_and_read(setting, live_server, page_factory, login_page, screenshot):
    report = setting["report"]
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, setting["head"].username)
    page.goto(f"{live_server.url}/reports/")
    assert "草稿" in page.inner_text("main")
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    assert "孙勇（总务主任）" in page.inner_text("[data-testid=report-header]")
    screenshot(page, "report-phone-1-draft")
    # 定稿 is the first step; without a plan it is refused and the page keeps the form
    page.locator("form", has=page.locator("textarea[name=finalize-plan]")).locator("button").first.click()
    page.wait_for_load_state("networkidle")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    page.fill("textarea[name=finalize-plan]", "1. 督促缴清赔偿款。\n2. 完成冬季消防检查。")
    page.locator("form", has=page.locator("textarea[name=finalize-plan]")).locator("button").first.click()
    page.wait_for_load_state("networkidle")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.FINAL
    assert "完成冬季消防检查" in page.inner_text("[data-testid=plan]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the report page is {width}px wide on a {PHONE['width']}px phone"
    screenshot(page, "report-phone-2-final")

    reader = page_factory(viewport=PHONE)
    login_page(reader, live_server, setting["principal"].username)
    reader.goto(f"{live_server.url}{report.get_absolute_url()}")
    reader.get_by_role("button", name="已阅").click()
    reader.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == ReportStatus.READ and report.read_by == setting["principal"]
    assert "何军（校长）" in reader.inner_text("[data-testid=read]")
    screenshot(reader, "report-phone-3-read")
    reader.goto(f"{live_server.url}/reports/")
    assert "校长已阅" in reader.inner_text("main")
    assert isinstance(report.read_at, datetime.datetime)
