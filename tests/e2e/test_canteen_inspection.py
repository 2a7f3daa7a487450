"""On a phone in the kitchen: canteen staff do the close-down check — tap pass / fail per item, a missing
answer refused with everything kept, then saved with its score and grade; the manager opens the failed
item's corrective action at a desk."""

import pytest
from django.utils import timezone

from canteen import inspections
from canteen.inspection_choices import Grade
from canteen.models import ChecklistTemplate, HygieneInspection, MealService
from logistics.accounts.roles import Role
from logistics.corrective.models import CorrectiveAction
from logistics.tenancy.models import Membership

from ..factories import SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def kitchen():
    school = SchoolFactory(name="第一中学", slug="e2e-hygiene", code="E2H")
    cook = UserFactory(username="e2e-hygiene-cook", display_name="王师傅")
    manager = UserFactory(username="e2e-hygiene-manager", display_name="李管理员")
    Membership.objects.create(user=cook, school=school, role=Role.CANTEEN_STAFF)
    Membership.objects.create(user=manager, school=school, role=Role.CANTEEN_MANAGER)
    MealService.objects.create(school=school, date=timezone.localdate(), meal="lunch")
    inspections.ensure_standard_checklists(school, actor=manager)
    template = ChecklistTemplate.objects.get(school=school, kind="close_down")
    return {"school": school, "cook": cook, "manager": manager, "template": template}


def test_staff_do_the_close_down_check_on_a_phone(kitchen, live_server, page_factory, login_page, screenshot):
    template = kitchen["template"]
    items = list(template.items.order_by("position"))
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, "e2e-hygiene-cook")
    page.goto(f"{live_server.url}/canteen/inspections/schedule/")
    page.locator("[data-testid=schedule-row]", has_text=template.name).locator("[data-testid=inspect]").click()
    # the click starts a navigation; count() does not wait for the new page (CI once counted 0 here)
    page.wait_for_url("**/inspect/")
    page.wait_for_selector("[data-testid=item]")
    page.wait_for_load_state()
    cards = page.locator("[data-testid=item]")
    assert cards.count() == len(items)
    screenshot(page, "canteen-inspection-phone-1-form")
    # the big targets: every button at least 44 px high
    assert cards.first.locator("label[data-testid=pass]").bounding_box()["height"] >= 44

    # all but the last answered, one failed with a note: refused, everything kept
    for n in range(len(items) - 1):
        cards.nth(n).locator("label[data-testid=pass]").click()
    cards.nth(1).locator("label[data-testid=fail]").click()
    cards.nth(1).locator("input[type=text]").fill("砧板未分色放置")
    page.locator("[data-testid=save-inspection]").click()
    page.wait_for_selector("[data-testid=item] .invalid-feedback")
    assert page.locator("[data-testid=item]").nth(1).locator("input[value=fail]").is_checked()
    assert page.locator("[data-testid=item]").nth(1).locator("input[type=text]").input_value() == "砧板未分色放置"
    assert page.locator("[data-testid=item]").nth(0).locator("input[value=pass]").is_checked()
    screenshot(page, "canteen-inspection-phone-2-refused")

    page.locator("[data-testid=item]").nth(len(items) - 1).locator("label[data-testid=pass]").click()
    page.locator("[data-testid=save-inspection]").click()
    page.wait_for_selector("[data-testid=grade]")
    inspection = HygieneInspection.objects.get()
    assert inspection.failed_items == 1 and inspection.score == 87.5 and inspection.grade == Grade.B
    assert page.locator("[data-testid=score]").inner_text() == "87.5%"
    screenshot(page, "canteen-inspection-phone-3-saved")

    # the manager at a desk opens the failed item's corrective action
    desk = page_factory(viewport=DESK)
    login_page(desk, live_server, "e2e-hygiene-manager")
    desk.goto(f"{live_server.url}{inspection.get_absolute_url()}")
    form = desk.locator("[data-testid=action-form]")
    form.locator("select").select_option(label="王师傅")
    form.locator("[data-testid=open-action]").click()
    desk.wait_for_selector("[data-testid=item-action]")
    action = CorrectiveAction.objects.get()
    assert action.owner == kitchen["cook"] and action.origin == "canteen.inspection"
    screenshot(desk, "canteen-inspection-desk-1-action")
