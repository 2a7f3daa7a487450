"""On a phone: the logistics head records a lunch's 陪餐 — picks today's meal, taps a rating, writes what
they found, adds a photo — a forgotten rating refused in words with the input kept; a parent records
feedback, the canteen manager answers at a desk and the parent reads the answer on their phone."""

import datetime
import io

import pytest
from django.utils import timezone

from canteen import services
from canteen.models import AccompaniedMeal, MealService
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..factories import SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def school_meal():
    school = SchoolFactory(name="第一中学", slug="e2e-accompany", code="E2A")
    people = {
        "head": UserFactory(username="e2e-head", display_name="赵主任"),
        "parent": UserFactory(username="e2e-parent", display_name="陈家长"),
        "manager": UserFactory(username="e2e-manager", display_name="李管理员"),
    }
    for role, user in ((Role.LOGISTICS_HEAD, "head"), (Role.PARENT, "parent"), (Role.CANTEEN_MANAGER, "manager")):
        Membership.objects.create(user=people[user], school=school, role=role)
    # a meal that has been served already, whatever the time of the test run
    breakfast = MealService.objects.create(
        school=school, date=timezone.localdate() - datetime.timedelta(days=1), meal="lunch"
    )
    services.set_dishes(breakfast, ["红烧肉", "清炒时蔬", "米饭"])
    return school, people, breakfast


def png(path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 120, 10)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_leader_records_on_a_phone_and_a_parent_gets_an_answer(
    school_meal, live_server, page_factory, login_page, screenshot, tmp_path
):
    school, people, meal = school_meal
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, "e2e-head")
    page.goto(f"{live_server.url}/canteen/accompanied/add/")
    page.select_option("#id_meal", str(meal.pk))
    page.fill("#id_quality", "口味适中，红烧肉偏咸")
    page.fill("#id_quantity", "分量充足")
    page.click("[data-testid=save]")  # no rating yet
    page.wait_for_selector(".invalid-feedback")
    assert page.locator("#id_quality").input_value() == "口味适中，红烧肉偏咸"
    screenshot(page, "accompany-phone-1-refused")
    page.locator("[data-testid=rating] label", has_text="4").click()
    page.set_input_files("#id_photos", png(tmp_path / "lunch.png"))
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=rating]")
    assert page.locator("[data-testid=rating]").inner_text().startswith("4")
    assert page.locator("[data-testid=photos] img").count() == 1
    screenshot(page, "accompany-phone-2-recorded")
    record = AccompaniedMeal.objects.get(companion=people["head"])
    assert (record.kind, record.rating, record.quantity) == ("leader", 4, "分量充足")
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    parent = page_factory(viewport=PHONE)
    login_page(parent, live_server, "e2e-parent")
    parent.goto(f"{live_server.url}/canteen/accompanied/add/?meal={meal.pk}")
    parent.locator("[data-testid=rating] label", has_text="3").click()
    parent.fill("#id_feedback", "汤有点凉，能否保温？")
    parent.click("[data-testid=save]")
    parent.wait_for_selector("[data-testid=awaiting-answer]")
    mine = AccompaniedMeal.objects.get(companion=people["parent"])

    desk = page_factory(viewport=DESK)
    login_page(desk, live_server, "e2e-manager")
    desk.goto(f"{live_server.url}/canteen/accompanied/")
    assert desk.locator("[data-testid=object-list] tbody tr").count() == 2
    screenshot(desk, "accompany-desk-1-list")
    desk.goto(f"{live_server.url}/canteen/accompanied/{mine.pk}/answer/")
    desk.fill("[data-testid=step-form] textarea", "已给汤桶加装保温套，谢谢您的建议。")
    desk.click("[data-testid=step-submit]")
    desk.wait_for_selector("[data-testid=answer]")
    screenshot(desk, "accompany-desk-2-answered")

    parent.goto(f"{live_server.url}/canteen/accompanied/")
    assert parent.locator("[data-testid=object-list] tbody tr").count() == 1
    parent.goto(f"{live_server.url}/canteen/accompanied/{mine.pk}/")
    assert "保温套" in parent.locator("[data-testid=answer]").inner_text()
    screenshot(parent, "accompany-phone-3-parent-answer")
