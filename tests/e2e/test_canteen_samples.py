"""On a phone in the kitchen: canteen staff log a whole lunch's food samples from today's meal — one tap
per dish, the weight, save — a too-light sample refused in words; then the manager's desk pages."""

import pytest
from django.utils import timezone

from canteen import services
from canteen.models import FoodSample, MealService
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..factories import SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

DISHES = ["番茄炒蛋", "红烧肉", "清炒时蔬", "紫菜蛋花汤", "米饭"]


@pytest.fixture
def kitchen():
    school = SchoolFactory(name="第一中学", slug="e2e-canteen", code="E2C")
    cook = UserFactory(username="e2e-cook", display_name="王师傅")
    manager = UserFactory(username="e2e-canteen-manager", display_name="李管理员")
    Membership.objects.create(user=cook, school=school, role=Role.CANTEEN_STAFF)
    Membership.objects.create(user=manager, school=school, role=Role.CANTEEN_MANAGER)
    lunch = MealService.objects.create(school=school, date=timezone.localdate(), meal="lunch")
    services.set_dishes(lunch, DISHES)
    return {"school": school, "cook": cook, "manager": manager, "lunch": lunch}


def test_staff_logs_a_whole_lunch_on_a_phone(kitchen, live_server, page_factory, login_page, screenshot):
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, "e2e-cook")
    page.goto(f"{live_server.url}/canteen/today/")
    lunch = page.locator("[data-testid=meal-lunch]")
    assert lunch.locator("[data-testid=dish-name]").all_inner_texts() == DISHES
    assert lunch.locator("[data-testid=progress]").inner_text() == "0 / 5"
    screenshot(page, "canteen-phone-1-checklist")

    # too light: refused with the rule and its source, the dish stays open with the weight kept
    lunch.locator("[data-testid=dish]", has_text="番茄炒蛋").locator("summary").click()
    opened = page.locator("details[open]")
    opened.locator("[data-testid=weight]").fill("124")
    opened.locator("[data-testid=save-sample]").click()
    page.wait_for_selector("[data-testid=weight-error]")
    error = page.locator("[data-testid=weight-error]").inner_text()
    assert "125" in error and "GB 31654-2021" in error
    assert page.locator("details[open] [data-testid=weight]").input_value() == "124"
    screenshot(page, "canteen-phone-2-refused")

    for n, dish in enumerate(DISHES):
        row = page.locator("[data-testid=meal-lunch] [data-testid=dish]", has_text=dish)
        if not row.evaluate("el => el.open"):
            row.locator("summary").click()
        row.locator("[data-testid=weight]").fill(str(130 + n))
        row.locator("[data-testid=save-sample]").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-testid=meal-lunch] [data-testid=progress]").inner_text() == f"{n + 1} / 5"
    assert page.locator("[data-testid=meal-lunch] [data-testid=dish-done]").count() == 5
    screenshot(page, "canteen-phone-3-done")
    samples = FoodSample.objects.filter(meal=kitchen["lunch"]).order_by("weight_grams")
    assert [(s.dish_name, s.weight_grams, s.sampled_by.username) for s in samples] == [
        (dish, 130 + n, "e2e-cook") for n, dish in enumerate(DISHES)
    ]

    # the manager at a desk: the list and a sample with its keeping time
    desk = page_factory(viewport=DESK)
    login_page(desk, live_server, "e2e-canteen-manager")
    desk.goto(f"{live_server.url}/canteen/samples/")
    assert desk.locator("[data-testid=object-list] tbody tr").count() == 5
    screenshot(desk, "canteen-desk-1-samples")
    desk.goto(f"{live_server.url}/canteen/meals/{kitchen['lunch'].pk}/")
    assert desk.locator("[data-testid=dishes] tbody tr").count() == 5
    screenshot(desk, "canteen-desk-2-meal")
    desk.goto(f"{live_server.url}{samples[0].get_absolute_url()}")
    assert desk.locator("[data-testid=keep-until]").is_visible()
    screenshot(desk, "canteen-desk-3-sample")


def test_a_parent_opens_the_public_menu_on_a_phone(kitchen, live_server, page_factory, screenshot):
    import datetime

    from canteen import menus
    from canteen.models import WeeklyMenu
    from logistics.workflow import guard

    school, manager = kitchen["school"], kitchen["manager"]
    monday = menus.monday_of(timezone.localdate())
    menu = WeeklyMenu.objects.create(school=school, week_start=monday)
    menus.set_items(
        menu,
        {
            (monday + datetime.timedelta(days=n), "lunch"): [
                ("番茄炒蛋", "番茄、鸡蛋"),
                ("红烧肉", "猪肉"),
                ("米饭", ""),
            ]
            for n in range(5)
        },
    )
    guard.run(menu, "publish", manager)
    revised = guard.run(WeeklyMenu.objects.get(pk=menu.pk), "revise", manager)
    cells = menus.grid(revised)
    cells[(monday + datetime.timedelta(days=2), "lunch")] = [("糖醋排骨", "排骨"), ("米饭", "")]
    menus.set_items(revised, cells)
    guard.run(revised, "publish", manager)

    page = page_factory(viewport=PHONE)
    page.goto(f"{live_server.url}/p/{school.slug}/canteen/menu/")  # no login
    assert page.locator("[data-testid=public-header]").inner_text().startswith("第一中学")
    assert page.locator("[data-testid=public-week]").count() == 1
    assert "糖醋排骨" in page.locator("[data-testid=menu-changes]").inner_text()
    screenshot(page, "canteen-public-menu-phone")
    page.goto(f"{live_server.url}/p/{school.slug}/canteen/sources/")
    screenshot(page, "canteen-public-sources-phone")
