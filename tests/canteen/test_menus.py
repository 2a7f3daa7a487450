"""Weekly menus: drafted, published a week ahead, never edited in place (a change is a new version and
the page says what changed); today's meals from the published menu; the public pages without login."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from canteen import menus
from canteen.choices import MenuStatus
from canteen.models import MealService, MenuItem, Supplier, SupplierLicence, WeeklyMenu
from logistics.workflow import guard

from .conftest import NOON

MONDAY = datetime.date(2026, 11, 30)  # the week of NOON (Thursday 2026-12-03)
NEXT = MONDAY + datetime.timedelta(days=7)
MENUS = "/api/v1/canteen/menus/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def draft(school, week=NEXT, lunch=("红烧肉", "清炒时蔬", "米饭")):
    menu = WeeklyMenu.objects.create(school=school, week_start=week)
    cells = {}
    for n in range(5):
        day = week + datetime.timedelta(days=n)
        cells[(day, "lunch")] = [(dish, "") for dish in lunch]
        cells[(day, "breakfast")] = [("白粥", "大米"), ("鸡蛋", "")]
    menus.set_items(menu, cells)
    return menu


class TestWeeklyMenu:
    def test_publish_then_never_edited_in_place(self, frozen, school, people, login, api):
        menu = draft(school, week=NEXT + datetime.timedelta(days=7))  # 11 days ahead: on time
        guard.run(menu, "publish", people.manager)
        menu.refresh_from_db()
        assert menu.status == MenuStatus.PUBLISHED and not menu.published_late
        with pytest.raises(Exception):  # noqa: B017 — the service refuses a published menu
            menus.set_items(menu, {})
        assert login(people.manager).get(reverse("canteen:weeklymenu_edit", args=[menu.pk])).status_code == 403
        answer = api(people.manager).patch(f"{MENUS}{menu.pk}/", {"note": "x"}, format="json")
        assert answer.status_code == 409
        assert MenuItem.objects.filter(menu=menu).count() == 25

    def test_a_change_is_a_new_version_and_says_what_changed(self, frozen, school, people):
        menu = draft(school)
        guard.run(menu, "publish", people.manager)
        new = guard.run(WeeklyMenu.objects.get(pk=menu.pk), "revise", people.manager)
        assert new.version == 2 and new.status == MenuStatus.DRAFT and new.items.count() == 25
        wednesday = NEXT + datetime.timedelta(days=2)
        cells = menus.grid(new)
        cells[(wednesday, "lunch")] = [("糖醋排骨", "排骨"), ("清炒时蔬", ""), ("米饭", "")]
        menus.set_items(new, cells)
        guard.run(new, "publish", people.manager)
        menu.refresh_from_db()
        new.refresh_from_db()
        assert menu.status == MenuStatus.SUPERSEDED and new.status == MenuStatus.PUBLISHED
        assert new.changes == "周三 12-09 午餐：红烧肉、清炒时蔬、米饭 → 糖醋排骨、清炒时蔬、米饭"

    def test_published_less_than_a_week_ahead_is_marked_late(self, frozen, school, people):
        menu = draft(school, week=NEXT)  # 4 days ahead
        guard.run(menu, "publish", people.manager)
        menu.refresh_from_db()
        assert menu.published_late

    def test_an_empty_draft_cannot_be_published(self, frozen, school, people):
        menu = WeeklyMenu.objects.create(school=school, week_start=NEXT)
        with pytest.raises(Exception):  # noqa: B017
            guard.run(menu, "publish", people.manager)

    def test_staff_cannot_publish(self, frozen, school, people):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            guard.run(draft(school), "publish", people.cook)

    def test_page_form_drafts_the_grid(self, frozen, school, people, login):
        client = login(people.manager)
        answer = client.post(
            reverse("canteen:weeklymenu_add"),
            {"week_start": "2026-12-07", "canteen": "", "note": "", "d0_lunch": "土豆烧牛肉：牛肉、土豆\n米饭"},
        )
        assert answer.status_code == 302
        menu = WeeklyMenu.objects.get()
        assert list(menu.items.values_list("day", "meal", "dish", "main_ingredients")) == [
            (NEXT, "lunch", "土豆烧牛肉", "牛肉、土豆"),
            (NEXT, "lunch", "米饭", ""),
        ]
        tuesday = client.post(reverse("canteen:weeklymenu_add"), {"week_start": "2026-12-08"})
        assert tuesday.status_code == 400


class TestMenuItem:
    def test_todays_meals_from_the_published_menu(self, frozen, school, people, login):
        menu = draft(school, week=MONDAY)
        guard.run(menu, "publish", people.manager)
        client = login(people.manager)
        assert client.post(reverse("canteen:meals_from_menu")).status_code == 302
        lunch = MealService.objects.get(date=NOON.date(), meal="lunch")
        assert list(lunch.dishes.values_list("name", flat=True)) == ["红烧肉", "清炒时蔬", "米饭"]
        client.post(reverse("canteen:meals_from_menu"))
        assert MealService.objects.count() == 2  # breakfast and lunch, once


class TestPublicPages:
    def test_parent_reads_this_and_next_weeks_menu_without_login(self, frozen, client, school, people):
        guard.run(draft(school, week=MONDAY), "publish", people.manager)
        guard.run(draft(school, week=NEXT, lunch=("宫保鸡丁", "米饭")), "publish", people.manager)
        draft(school, week=NEXT + datetime.timedelta(days=7), lunch=("秘密菜",))  # a draft stays private
        page = client.get(f"/p/{school.slug}/canteen/menu/")
        assert page.status_code == 200
        body = page.content.decode()
        assert body.count('data-testid="public-week"') == 2
        assert "宫保鸡丁" in body and "红烧肉" in body and "秘密菜" not in body
        assert "public" in page["Cache-Control"]
        assert people.manager.display_name not in body

    def test_a_changed_week_says_what_changed(self, frozen, client, school, people):
        menu = draft(school, week=NEXT)
        guard.run(menu, "publish", people.manager)
        new = guard.run(WeeklyMenu.objects.get(pk=menu.pk), "revise", people.manager)
        menus.set_items(new, {(NEXT, "lunch"): [("鱼香肉丝", "")]})
        guard.run(new, "publish", people.manager)
        body = client.get(f"/p/{school.slug}/canteen/menu/").content.decode()
        assert 'data-testid="menu-changes"' in body and "鱼香肉丝" in body

    def test_sources_show_suppliers_without_personal_data(self, frozen, client, school):
        supplier = Supplier.objects.create(
            school=school, name="丰收粮油", address="城东路1号", contact="张三", phone="13800001111", supplies="大米"
        )
        SupplierLicence.objects.create(school=school, supplier=supplier, number="JY123", valid_until=NEXT)
        Supplier.objects.create(school=school, name="旧供应商", address="x", supplies="x", active=False)
        body = client.get(f"/p/{school.slug}/canteen/sources/").content.decode()
        assert "丰收粮油" in body and "大米" in body and "旧供应商" not in body
        assert "张三" not in body and "13800001111" not in body

    def test_unknown_school_is_404_and_queries_are_few(
        self, frozen, client, school, people, django_assert_max_num_queries
    ):
        assert client.get("/p/no-such-school/canteen/menu/").status_code == 404
        guard.run(draft(school, week=MONDAY), "publish", people.manager)
        with django_assert_max_num_queries(4):
            assert client.get(f"/p/{school.slug}/canteen/menu/").status_code == 200


class TestWeeklyMenuAPI:
    def test_draft_publish_revise(self, frozen, api, school, people):
        client = api(people.manager)
        answer = client.post(
            MENUS,
            {"week_start": "2026-12-07", "items": [{"day": "2026-12-07", "meal": "lunch", "dish": "米饭"}]},
            format="json",
        )
        assert answer.status_code == 201, answer.json()
        pk = answer.json()["id"]
        assert client.post(f"{MENUS}{pk}/publish/", {}, format="json").json()["status"] == "published"
        revised = client.post(f"{MENUS}{pk}/revise/", {}, format="json")
        assert revised.status_code == 200 and revised.json()["version"] == 2
        outside = client.post(
            MENUS,
            {"week_start": "2026-12-14", "items": [{"day": "2026-12-01", "meal": "lunch", "dish": "x"}]},
            format="json",
        )
        assert outside.status_code == 400
        assert api(people.cook).post(f"{MENUS}{revised.json()['id']}/publish/", {}, format="json").status_code == 403
