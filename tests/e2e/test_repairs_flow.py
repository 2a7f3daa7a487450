"""On a phone: a teacher files a ticket with a photo from a room's QR link, the worker on duty
completes it, the teacher confirms it — real Chromium against the live server."""

import pytest

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from repairs.choices import TicketStatus
from repairs.models import DutySlot, Ticket

from ..factories import RoomFactory, SchoolFactory, UserFactory
from ..repairs.conftest import png_bytes
from .conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def setting():
    school = SchoolFactory(name="第一中学", slug="e2e-repairs")
    room = RoomFactory(school=school, building__school=school, building__campus__school=school, name="301室")
    teacher = UserFactory(username="e2e-teacher")
    worker = UserFactory(username="e2e-plumber")
    head = UserFactory(username="e2e-head")
    Membership.objects.create(user=teacher, school=school, role=Role.TEACHER)
    Membership.objects.create(user=worker, school=school, role=Role.REPAIR_WORKER, trades="plumbing")
    Membership.objects.create(user=head, school=school, role=Role.LOGISTICS_HEAD)
    DutySlot.objects.create(school=school, trade="plumbing", worker=worker)
    return school, room, teacher, worker


def open_step(page, step):
    details = page.locator(f"details[data-step={step}]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def test_teacher_files_worker_completes_teacher_confirms(setting, live_server, page_factory, screenshot):
    school, room, teacher, worker = setting

    # the teacher scans the room's QR code: login first, then the form with the room filled in
    page = page_factory(viewport=PHONE)
    page.goto(f"{live_server.url}/repairs/r/{room.pk}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", teacher.username)
    page.fill("input[name=password]", "pw")
    page.click("[data-testid=login]")
    page.wait_for_selector("[data-testid=ticket-form]")
    assert "301室" in page.locator("[data-testid=scanned-room]").inner_text()
    assert page.locator("select[name=room]").input_value() == str(room.pk)
    page.select_option("select[name=trade]", "plumbing")
    page.fill("textarea[name=description]", "卫生间水龙头关不紧，一直滴水")
    page.set_input_files(
        "input[name=photos]", files=[{"name": "leak.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    screenshot(page, "repairs-phone-1-file")
    page.click("[data-testid=submit-ticket]")
    page.wait_for_selector("[data-testid=status]")
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.ASSIGNED and list(ticket.assignees.all()) == [worker]
    assert page.locator("[data-testid=photos] img").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    # the plumber on duty: my jobs → start → complete
    phone = page_factory(viewport=PHONE)
    phone.goto(f"{live_server.url}/accounts/login/?next=/repairs/jobs/")
    phone.fill("input[name=username]", worker.username)
    phone.fill("input[name=password]", "pw")
    phone.click("[data-testid=login]")
    phone.wait_for_selector("[data-testid=ticket-cards]")
    screenshot(phone, "repairs-phone-2-my-jobs")
    phone.click(f"[data-testid=ticket-cards] >> text={ticket.reference}")
    phone.wait_for_selector("[data-testid=actions]")
    open_step(phone, "start")
    phone.click("[data-testid=do-start]")
    phone.wait_for_selector("[data-status=in_progress]")
    open_step(phone, "complete")
    phone.select_option("select[name=complete-cause]", "wear")
    phone.fill("textarea[name=complete-resolution]", "更换水龙头")
    phone.fill("input[name=complete-minutes]", "20")
    screenshot(phone, "repairs-phone-3-complete")
    phone.click("[data-testid=do-complete]")
    phone.wait_for_selector("[data-status=done]")

    # the teacher confirms and rates it
    page.reload()
    open_step(page, "confirm")
    page.select_option("select[name=confirm-rating]", "5")
    page.click("[data-testid=do-confirm]")
    page.wait_for_selector("[data-status=confirmed]")
    screenshot(page, "repairs-phone-4-confirmed")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CONFIRMED and ticket.rating == 5 and ticket.labour_minutes == 20
