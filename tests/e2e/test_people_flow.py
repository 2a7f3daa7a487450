"""People in Chromium: a logistics head adds a teacher and a repair worker; the teacher signs in with the
first password, must choose their own, and files a repair ticket. A guardian accepts an invitation on a
phone and sees their child."""

import pytest

from logistics.accounts.roles import Role
from logistics.people.models import Grade, SchoolClass, Student
from logistics.people.services import guardians
from logistics.tenancy.models import Membership
from repairs.models import Ticket

from ..factories import RoomFactory, SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def school():
    school = SchoolFactory(name="第一中学", slug="e2e-people")
    RoomFactory(school=school, building__school=school, building__campus__school=school, name="301室")
    head = UserFactory(username="e2e-head", display_name="张主任")
    Membership.objects.create(user=head, school=school, role=Role.LOGISTICS_HEAD)
    grade = Grade.objects.create(school=school, name="七年级", order=1)
    SchoolClass.objects.create(school=school, grade=grade, name="七年级1班")
    return school


def add_person(page, live_server, name, phone, role, screenshot=None, **extra):
    page.goto(f"{live_server.url}/people/staff/add/")
    page.fill("input[name=display_name]", name)
    page.fill("input[name=phone]", phone)
    page.select_option("select[name=role]", role)
    for trade in extra.get("trades", []):
        page.check(f"input[name=trades][value={trade}]")
    if extra.get("head_of"):
        page.select_option("select[name=head_of]", label=extra["head_of"])
    if screenshot:
        screenshot(page, "people-desk-1-add-person")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=first-password-value]")
    return page.locator("[data-testid=first-password-value]").inner_text().strip()


def test_head_adds_teacher_and_worker_teacher_changes_password_and_files_a_ticket(
    school, live_server, page_factory, login_page, screenshot
):
    page = page_factory(viewport=DESK)
    login_page(page, live_server, "e2e-head")
    teacher_password = add_person(
        page, live_server, "王老师", "13800138000", "teacher", screenshot=screenshot, head_of="七年级1班"
    )
    screenshot(page, "people-desk-2-first-password")
    worker_password = add_person(page, live_server, "李师傅", "13900139000", "repair_worker", trades=["plumbing"])
    assert "维修工" in page.locator("[data-testid=roles]").inner_text()
    page.goto(f"{live_server.url}/people/staff/")
    assert "王老师" in page.content() and "李师傅" in page.content()
    screenshot(page, "people-desk-3-staff-list")
    worker = Membership.objects.get(role=Role.REPAIR_WORKER, school=school)
    assert worker.trades == "plumbing" and worker.user.check_password(worker_password)

    phone = page_factory(viewport=PHONE)
    login_page(phone, live_server, "13800138000", teacher_password)
    phone.wait_for_selector("[data-testid=password-required]")
    screenshot(phone, "people-phone-1-forced-password-change")
    phone.fill("input[name=old_password]", teacher_password)
    phone.fill("input[name=new_password1]", "Kettle-rain-2026")
    phone.fill("input[name=new_password2]", "Kettle-rain-2026")
    phone.click("[data-testid=save]")
    phone.wait_for_load_state("networkidle")
    assert phone.url.rstrip("/") == live_server.url
    phone.goto(f"{live_server.url}/repairs/tickets/new/")
    phone.wait_for_selector("[data-testid=ticket-form]")
    phone.select_option("select[name=room]", label=phone.locator("select[name=room] option").nth(1).inner_text())
    phone.select_option("select[name=trade]", "plumbing")
    phone.fill("textarea[name=description]", "教室水龙头漏水")
    phone.click("[data-testid=submit-ticket]")
    phone.wait_for_selector("[data-testid=status]")
    ticket = Ticket.objects.get()
    assert ticket.requester.username == "13800138000"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(phone, "people-phone-2-ticket-filed")


def test_guardian_accepts_an_invitation_on_a_phone_and_sees_their_child(school, live_server, page_factory, screenshot):
    school_class = SchoolClass.objects.get(school=school)
    child = Student.objects.create(school=school, school_class=school_class, name="王小明", student_number="0701")
    Student.objects.create(school=school, school_class=school_class, name="李小红", student_number="0702")
    head = Membership.objects.get(role=Role.LOGISTICS_HEAD).user
    invitation = dict(guardians.class_invitations(school_class, head))[child]

    page = page_factory(viewport=PHONE)
    page.goto(f"{live_server.url}/people/join/{school.slug}/?code={invitation.code}")
    page.wait_for_selector("[data-testid=join-form]")
    assert page.locator("input[name=code]").input_value() == invitation.code
    page.fill("input[name=name]", "王小明妈妈")
    page.fill("input[name=phone]", "13700137000")
    page.select_option("select[name=relation]", "mother")
    page.fill("input[name=password]", "Garden-lamp-77")
    screenshot(page, "people-phone-3-guardian-join")
    page.click("[data-testid=join]")
    page.wait_for_selector("[data-testid=children]")
    assert "王小明" in page.locator("[data-testid=children]").inner_text()
    assert "李小红" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "people-phone-4-guardian-home")
    page.click("[data-testid=children] a")
    page.wait_for_selector("[data-testid=student-fields]")
    assert "是" in page.locator("[data-testid=student-fields]").inner_text() or "否" in page.content()
    screenshot(page, "people-phone-5-child")


def test_district_officer_creates_a_school_with_its_first_principal_and_head(live_server, page_factory, screenshot):
    from logistics.tenancy.models import School

    officer = UserFactory(username="e2e-officer", display_name="李主任")
    district = SchoolFactory(slug="e2e-existing").district
    Membership.objects.create(user=officer, district=district, role=Role.DISTRICT_OFFICER)
    page = page_factory(viewport=DESK)
    page.goto(f"{live_server.url}/accounts/login/?next=/people/district/schools/add/")
    page.fill("input[name=username]", "e2e-officer")
    page.fill("input[name=password]", "pw")
    page.click("[data-testid=login]")
    page.wait_for_selector("[data-testid=object-form]")
    page.fill("input[name=name]", "示范区第三小学")
    page.fill("input[name=slug]", "demo-3")
    page.fill("input[name=code]", "X03")
    page.fill("textarea[name=campuses]", "本部\n东校区")
    page.fill("input[name=principal_name]", "赵校长")
    page.fill("input[name=principal_phone]", "13600136000")
    page.fill("input[name=head_name]", "钱主任")
    page.fill("input[name=head_phone]", "13600136001")
    screenshot(page, "people-desk-0-district-add-school")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=first-passwords]")
    assert "13600136000" in page.locator("[data-testid=first-passwords]").inner_text()
    school = School.objects.get(slug="demo-3")
    assert school.district == district
    assert set(Membership.objects.filter(school=school).values_list("role", flat=True)) == {
        Role.PRINCIPAL,
        Role.LOGISTICS_HEAD,
    }
    screenshot(page, "people-desk-0b-district-schools")
