"""At the gate, on a guard's phone: the guardian's approved leave pass is shown as a QR code on the
guardian's phone; the guard's in-page camera scanner (a fake camera fed the QR of that pass, the approach of
test_qr_scanner.py) opens the pass and the guard records the student leaving. A pass not yet approved opens
too, but says why it cannot be used and offers no "left school" button."""

import datetime
import re

import pytest
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from logistics.workflow import guard as steps
from safety import passes
from safety.choices import PassStatus
from safety.models import DutyLeader, LeavePass

from ..factories import GuardianLinkFactory, SchoolClassFactory, SchoolFactory, StudentFactory, UserFactory
from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, login_as
from .test_qr_scanner import write_y4m

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def member(school, username, role):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, school=school, role=role)
    return user


@pytest.fixture
def gate_setting():
    school = SchoolFactory(name="第一中学", slug="e2e-gate", code="EGT")
    teacher = member(school, "e2e-teacher", Role.TEACHER)
    leader = member(school, "e2e-leader", Role.TEACHER)
    guard_user = member(school, "e2e-gate-guard", Role.GUARD)
    parent = member(school, "e2e-mum", Role.PARENT)
    school_class = SchoolClassFactory(grade__school=school, head_teacher=teacher, name="初二(3)班")
    student = StudentFactory(school=school, school_class=school_class, name="李小明", boarding=True)
    other = StudentFactory(school=school, school_class=school_class, name="王小红", boarding=True)
    GuardianLinkFactory(school=school, student=student, guardian=parent)
    DutyLeader.objects.create(school=school, day=timezone.localdate(), leader=leader)
    now = timezone.now()

    def ask(who):
        return passes.request_pass(
            student=who,
            actor=teacher,
            reason="发烧去医院",
            leave_at=now,
            return_by=now + datetime.timedelta(hours=3),
            picked_up_by="母亲",
        )

    approved = ask(student)
    steps.run(approved, "approve", teacher)
    steps.run(approved, "approve", leader)
    waiting = ask(other)
    steps.run(waiting, "approve", teacher)  # the duty leader has not approved yet
    return {"guard": guard_user, "parent": parent, "approved": approved, "waiting": waiting}


def test_guardian_pass_qr_scanned_at_the_gate(gate_setting, live_server, page_factory, browser, tmp_path, screenshot):
    s = gate_setting
    approved = s["approved"]
    assert approved.status == PassStatus.APPROVED
    # the guardian's phone shows the approved pass as a QR code
    parent_page = page_factory(viewport=PHONE)
    login_as(parent_page, live_server, s["parent"].username)
    parent_page.goto(f"{live_server.url}/safety/passes/{approved.pk}/")
    parent_page.wait_for_selector("[data-testid=pass-qr] img")
    screenshot(parent_page, "safety-pass-guardian-phone")
    # what that QR code holds (the same address the page encodes)
    text = f"{live_server.url}/safety/p/{approved.token}/"

    video = tmp_path / "pass.y4m"
    write_y4m(video, [text], seconds_each=3)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=args, headless=True)
    try:
        context = camera_browser.new_context(viewport=PHONE, locale="zh-CN")
        context.set_default_timeout(20000)
        page = context.new_page()
        login_as(page, live_server, s["guard"].username)
        page.goto(f"{live_server.url}/safety/passes/gate/")
        page.click("[data-testid=qr-start]")
        page.wait_for_url(re.compile(rf"/safety/passes/{approved.pk}/$"))
        assert "李小明" in page.inner_text("h1")
        assert page.locator("[data-testid=refusal]").count() == 0
        screenshot(page, "safety-pass-gate-scanned")
        page.get_by_role("button", name="离校").first.click()
        page.wait_for_load_state("networkidle")
        confirm = page.locator("form button[type=submit], form button:not([type])").filter(has_text="离校")
        if confirm.count():
            confirm.first.click()
            page.wait_for_load_state("networkidle")
    finally:
        camera_browser.close()
    approved.refresh_from_db()
    assert approved.status == PassStatus.OUT and approved.out_at is not None


def test_a_pass_not_approved_says_why_at_the_gate(gate_setting, live_server, page_factory):
    s = gate_setting
    waiting = s["waiting"]
    page = page_factory(viewport=PHONE)
    login_as(page, live_server, s["guard"].username)
    # the typed fallback of the same form: the pass's address as read from its QR code
    page.goto(f"{live_server.url}/safety/passes/gate/")
    page.fill("[data-testid=pass-code]", f"{live_server.url}/safety/p/{waiting.token}/")
    page.press("[data-testid=pass-code]", "Enter")
    page.wait_for_url(re.compile(rf"/safety/passes/{waiting.pk}/$"))
    assert page.locator("[data-testid=refusal]").is_visible()
    assert page.get_by_role("button", name="离校").count() == 0
    page.goto(f"{live_server.url}/safety/passes/gate/?code=nonsense")
    assert page.locator("[data-testid=pass-not-found]").is_visible()
    assert LeavePass.objects.get(pk=waiting.pk).status == PassStatus.REQUESTED
