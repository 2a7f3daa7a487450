"""Issue 14: one typo must not reach the report's and the dashboards' totals. A consumable's unit price, a
repair part's unit cost and a damage amount are bounded by Rules (like the asset card's unit price): above the
"confirm" figure they need the box ticked (``price_confirmed`` in the API), above the maximum they are
refused — with a Chinese message, the input kept, and nothing saved."""

import pytest
from django.urls import reverse

from assets.models import Consumable, DamageRecord
from logistics.accounts.roles import Role
from logistics.tenancy import rules
from repairs import services as repair_services
from repairs.choices import Trade
from repairs.models import PartUsage

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(school, make_user):
    return make_user(Role.LOGISTICS_HEAD, school)


@pytest.fixture
def started(school, room, make_user, head):
    teacher = make_user(Role.TEACHER, school)
    worker = make_user(Role.REPAIR_WORKER, school, trades="plumbing")
    ticket = repair_services.create_ticket(
        school=school, user=teacher, room=room, trade=Trade.PLUMBING, description="水管漏水"
    )
    repair_services.assign(ticket, head, [worker])
    repair_services.start(ticket, worker)
    return ticket, worker


def test_the_rules_are_declared_with_their_source():
    for key, default in (
        ("repairs.part_cost_confirm_above", 2_000),
        ("repairs.part_cost_maximum", 100_000),
        ("assets.consumable_price_confirm_above", 1_000),
        ("assets.consumable_price_maximum", 50_000),
        ("assets.damage_amount_confirm_above", 2_000),
        ("assets.damage_amount_maximum", 100_000),
    ):
        rule = rules.get_rule(key)
        assert rule.default == default and "非法规规定" in str(rule.source)


class TestPartCost:
    def test_page_confirm_box_and_maximum(self, started, login):
        ticket, worker = started
        client = login(worker)
        url = reverse("repairs:ticket_step", args=[ticket.pk, "add-part"])
        data = {"add_part-name": "水泵", "add_part-quantity": "1", "add_part-unit": "台", "add_part-unit_cost": "3500"}
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 400 and "异常偏高" in page and "单价确认无误" in page
        assert 'value="3500"' in page  # the input is kept
        assert not PartUsage.objects.exists()
        response = client.post(url, {**data, "add_part-price_confirmed": "on"})
        assert response.status_code == 302 and PartUsage.objects.get().unit_cost == 3500
        response = client.post(url, {**data, "add_part-unit_cost": "99999999", "add_part-price_confirmed": "on"})
        assert response.status_code == 400 and "最高" in response.content.decode()
        assert PartUsage.objects.count() == 1

    def test_api_price_confirmed(self, started, api):
        ticket, worker = started
        url = f"/api/v1/repairs/tickets/{ticket.pk}/parts/"
        body = {"name": "水泵", "quantity": "1", "unit_cost": "3500"}
        refused = api(worker).post(url, body, format="json")
        assert refused.status_code == 400 and "unit_cost" in refused.json()["errors"]
        assert api(worker).post(url, {**body, "price_confirmed": True}, format="json").status_code in (200, 201)
        too_much = api(worker).post(url, {**body, "unit_cost": "200000", "price_confirmed": True}, format="json")
        assert too_much.status_code == 400 and PartUsage.objects.count() == 1


class TestConsumablePrice:
    def test_page_and_api(self, school, head, login, api):
        client = login(head)
        data = {"name": "粉笔", "unit": "盒", "unit_price": "5000", "minimum_level": "10"}
        response = client.post(reverse("assets:consumable_add"), data)
        assert response.status_code in (200, 400) and "异常偏高" in response.content.decode()
        assert not Consumable.objects.exists()
        response = client.post(reverse("assets:consumable_add"), {**data, "price_confirmed": "on"})
        assert response.status_code == 302 and Consumable.objects.get().unit_price == 5000
        refused = api(head).post(
            "/api/v1/assets/consumables/",
            {"name": "墨盒", "unit": "个", "unit_price": "60000", "price_confirmed": True},
            format="json",
        )
        assert refused.status_code == 400 and "unit_price" in refused.json()["errors"]
        ok = api(head).post(
            "/api/v1/assets/consumables/", {"name": "墨盒", "unit": "个", "unit_price": "300"}, format="json"
        )
        assert ok.status_code == 201 and "price_confirmed" not in ok.json()

    def test_receipt_with_a_new_price_is_bounded(self, school, head, room, api):
        chalk = Consumable.objects.create(school=school, name="粉笔", unit="盒", unit_price="5")
        url = f"/api/v1/assets/consumables/{chalk.pk}/receive/"
        refused = api(head).post(url, {"store": room.pk, "quantity": "10", "unit_price": "500000"}, format="json")
        assert refused.status_code == 400
        chalk.refresh_from_db()
        assert chalk.unit_price == 5 and chalk.total_quantity == 0


class TestDamageAmount:
    def test_page_and_api(self, school, head, room, login, api):
        client = login(head)
        data = {"room": room.pk, "responsible_person": "八年级2班", "description": "打碎窗户", "amount": "8000"}
        response = client.post(reverse("assets:damagerecord_add"), data)
        assert "异常偏高" in response.content.decode() and not DamageRecord.objects.exists()
        response = client.post(reverse("assets:damagerecord_add"), {**data, "price_confirmed": "on"})
        assert response.status_code == 302 and DamageRecord.objects.get().amount == 8000
        refused = api(head).post(
            "/api/v1/assets/damages/",
            {"room": room.pk, "description": "x", "amount": "99999999", "price_confirmed": True},
            format="json",
        )
        assert refused.status_code == 400 and "amount" in refused.json()["errors"]
        assert DamageRecord.objects.count() == 1
