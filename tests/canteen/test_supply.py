"""Purchase inspection (进货查验): licences, expired products, 双人联检, retention, pages and API."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canteen import supply
from canteen.choices import DeliveryStatus, LineDecision
from canteen.models import Delivery, DeliveryLine, ProductCategory, Supplier, SupplierLicence
from logistics.notifications.models import Notification
from logistics.reminders.services import scan
from logistics.workflow import guard

from .conftest import NOON

TODAY = datetime.date(2026, 12, 3)
DELIVERIES = "/api/v1/canteen/deliveries/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def grain(school):
    return ProductCategory.objects.create(school=school, name="粮油", bulk_staple=True)


@pytest.fixture
def veg(school):
    return ProductCategory.objects.create(school=school, name="蔬菜")


def make_supplier(school, valid_until=datetime.date(2027, 6, 30), name="绿源农产品公司"):
    supplier = Supplier.objects.create(school=school, name=name, address="城东路1号", supplies="大米、面粉、食用油")
    SupplierLicence.objects.create(
        school=school, supplier=supplier, kind="food_business", number="JY13301000001", valid_until=valid_until
    )
    return supplier


def rice(grain, **extra):
    return {
        "category": grain,
        "product": "大米",
        "spec": "25kg/袋",
        "quantity": Decimal("10"),
        "unit": "袋",
        "production_date": datetime.date(2026, 11, 1),
        "shelf_life_days": 365,
        **extra,
    }


def cabbage(veg, **extra):
    return {"category": veg, "product": "白菜", "quantity": Decimal("30"), "unit": "kg", **extra}


class TestSupplierLicence:
    def test_an_expired_licence_blocks_a_new_delivery(self, frozen, school, people, veg):
        supplier = make_supplier(school, valid_until=TODAY - datetime.timedelta(days=1))
        with pytest.raises(ValidationError) as exc:
            supply.create_delivery(school=school, actor=people.manager, supplier=supplier, lines=[cabbage(veg)])
        assert "2026-12-02" in str(exc.value) and "JY13301000001" in str(exc.value)
        assert not Delivery.objects.exists()

    def test_valid_on_its_last_day(self, frozen, school, people, veg):
        supplier = make_supplier(school, valid_until=TODAY)
        assert supply.create_delivery(school=school, actor=people.manager, supplier=supplier, lines=[cabbage(veg)])

    def test_a_supplier_without_licence_cannot_deliver(self, frozen, school, people, veg):
        supplier = Supplier.objects.create(school=school, name="无证商户", address="x", supplies="蔬菜")
        with pytest.raises(ValidationError):
            supply.create_delivery(school=school, actor=people.manager, supplier=supplier, lines=[cabbage(veg)])

    def test_expiring_within_30_days_reminded_once(self, frozen, school, people):
        make_supplier(school, valid_until=TODAY + datetime.timedelta(days=31), name="甲")
        make_supplier(school, valid_until=TODAY + datetime.timedelta(days=30), name="乙")
        scan()
        scan()
        notes = list(Notification.objects.filter(recipient=people.manager, title__contains="乙"))
        assert len(notes) == 1
        assert not Notification.objects.filter(title__contains="甲").exists()


class TestDeliveryInspection:
    def test_one_inspector_on_a_bulk_staple_refused_two_accepted(self, frozen, school, people, grain):
        delivery = supply.create_delivery(
            school=school, actor=people.manager, supplier=make_supplier(school), lines=[rice(grain)]
        )
        line = delivery.lines.get()
        with pytest.raises(ValidationError) as exc:
            guard.run(delivery, "accept_line", people.cook, line=line, inspectors=[people.cook])
        assert "双人或多人联检" in str(exc.value)
        guard.run(
            Delivery.objects.get(pk=delivery.pk), "accept_line", people.cook, line=line, inspectors=[people.manager]
        )
        line.refresh_from_db()
        assert line.decision == LineDecision.ACCEPTED
        assert set(line.inspectors.all()) == {people.cook, people.manager}
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.CHECKED

    def test_expired_on_arrival_refused_then_rejected_with_disposal(self, frozen, school, people, veg):
        delivery = supply.create_delivery(
            school=school,
            actor=people.manager,
            supplier=make_supplier(school),
            lines=[cabbage(veg, expiry_date=TODAY - datetime.timedelta(days=1)), cabbage(veg, product="萝卜")],
        )
        old, fresh = delivery.lines.order_by("pk")
        with pytest.raises(ValidationError) as exc:
            guard.run(delivery, "accept_line", people.cook, line=old)
        assert "2026-12-02" in str(exc.value)
        guard.run(
            Delivery.objects.get(pk=delivery.pk),
            "reject_line",
            people.cook,
            line=old,
            reason="过期",
            disposal="returned",
        )
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.INSPECTING
        guard.run(delivery, "accept_line", people.cook, line=fresh)
        delivery.refresh_from_db()
        old.refresh_from_db()
        assert (old.decision, old.reason, old.disposal) == ("rejected", "过期", "returned")
        assert delivery.status == DeliveryStatus.CHECKED
        with pytest.raises(Exception):  # noqa: B017 — a checked delivery takes no more steps
            guard.run(delivery, "accept_line", people.cook, line=fresh)

    def test_teacher_may_not_inspect(self, frozen, school, people, veg):
        delivery = supply.create_delivery(
            school=school, actor=people.manager, supplier=make_supplier(school), lines=[cabbage(veg)]
        )
        with pytest.raises(PermissionDenied):
            guard.run(delivery, "accept_line", people.teacher, line=delivery.lines.get())


class TestDeliveryRetention:
    def test_six_months_past_shelf_life_or_two_years_without(self, frozen, school, people, grain, veg):
        with_life = supply.create_delivery(
            school=school, actor=people.manager, supplier=make_supplier(school), lines=[rice(grain)]
        )
        assert with_life.retain_until == datetime.date(2028, 5, 1)  # 2026-11-01 + 365 d + 6 months
        without = supply.create_delivery(
            school=school, actor=people.manager, supplier=Supplier.objects.get(), lines=[cabbage(veg)]
        )
        assert without.retain_until == datetime.date(2028, 12, 3)

    def test_nothing_deletes_a_record_before_then(self, frozen, school, people, veg):
        delivery = supply.create_delivery(
            school=school, actor=people.manager, supplier=make_supplier(school), lines=[cabbage(veg)]
        )
        with pytest.raises(ValidationError):
            delivery.delete()
        assert Delivery.objects.filter(pk=delivery.pk).exists()


class TestDeliveryLine:
    def test_best_before_from_production_and_shelf_life(self, school, grain):
        line = DeliveryLine(production_date=datetime.date(2026, 1, 1), shelf_life_days=10)
        assert line.best_before == datetime.date(2026, 1, 11)


class TestDeliveryPagesAndAPI:
    def test_page_refuses_expired_supplier_in_words_and_keeps_input(self, frozen, login, school, people, veg):
        supplier = make_supplier(school, valid_until=TODAY - datetime.timedelta(days=10))
        data = {
            "supplier": supplier.pk,
            "delivered_on": "2026-12-03",
            "note": "早班",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": veg.pk,
            "lines-0-product": "白菜",
            "lines-0-quantity": "30",
            "lines-0-unit": "kg",
        }
        answer = login(people.manager).post(reverse("canteen:delivery_add"), data)
        assert answer.status_code == 400
        body = answer.content.decode()
        assert "2026-11-23" in body and 'value="白菜"' in body
        SupplierLicence.objects.filter(supplier=supplier).delete()
        SupplierLicence.objects.create(school=school, supplier=supplier, number="N2", valid_until=TODAY)
        answer = login(people.manager).post(reverse("canteen:delivery_add"), data)
        assert answer.status_code == 302
        delivery = Delivery.objects.get()
        page = login(people.cook).get(delivery.get_absolute_url()).content.decode()
        assert 'data-testid="accept"' in page
        step = reverse("canteen:delivery_step", args=[delivery.pk, "reject-line"])
        answer = login(people.cook).post(
            step,
            {
                "reject_line-line": delivery.lines.get().pk,
                "reject_line-reason": "腐烂",
                "reject_line-disposal": "destroyed",
            },
        )
        assert answer.status_code == 302, answer.content.decode()[:3000]
        assert delivery.lines.get().decision == "rejected"

    def test_api_create_and_accept_line(self, frozen, api, school, people, grain):
        supplier = make_supplier(school)
        client = api(people.manager)
        answer = client.post(
            DELIVERIES,
            {
                "supplier": supplier.pk,
                "lines": [
                    {
                        "category": grain.pk,
                        "product": "面粉",
                        "quantity": "5",
                        "unit": "袋",
                        "expiry_date": "2027-06-01",
                    }
                ],
            },
            format="json",
        )
        assert answer.status_code == 201, answer.json()
        pk, line = answer.json()["id"], answer.json()["lines"][0]["id"]
        refused = client.post(f"{DELIVERIES}{pk}/accept-line/", {"line": line}, format="json")
        assert refused.status_code == 400 and "联检" in str(refused.json())
        accepted = client.post(
            f"{DELIVERIES}{pk}/accept-line/", {"line": line, "inspectors": [people.cook.pk]}, format="json"
        )
        assert accepted.status_code == 200, accepted.json()
        assert accepted.json()["status"] == "checked"
        assert client.get(DELIVERIES, {"supplier": supplier.pk, "status": "checked"}).json()["count"] == 1

    def test_api_refuses_an_expired_supplier(self, frozen, api, school, people, veg):
        supplier = make_supplier(school, valid_until=TODAY - datetime.timedelta(days=1))
        answer = api(people.manager).post(
            DELIVERIES,
            {
                "supplier": supplier.pk,
                "lines": [{"category": veg.pk, "product": "白菜", "quantity": "1", "unit": "kg"}],
            },
            format="json",
        )
        assert answer.status_code == 400 and "2026-12-02" in str(answer.json())

    def test_other_school_sees_no_delivery(self, frozen, api, school, people, veg, other_manager):
        supply.create_delivery(
            school=school, actor=people.manager, supplier=make_supplier(school), lines=[cabbage(veg)]
        )
        assert api(other_manager).get(DELIVERIES).json()["count"] == 0
        assert api(people.principal).get(DELIVERIES).json()["count"] == 1

    def test_delivery_list_queries_flat(self, frozen, login, school, people, veg):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        supplier = make_supplier(school)
        client = login(people.manager)
        supply.create_delivery(school=school, actor=people.manager, supplier=supplier, lines=[cabbage(veg)])
        client.get(reverse("canteen:delivery_list"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("canteen:delivery_list"))
        for _ in range(5):
            supply.create_delivery(school=school, actor=people.manager, supplier=supplier, lines=[cabbage(veg)] * 3)
        with CaptureQueriesContext(connection) as many:
            assert client.get(reverse("canteen:delivery_list")).status_code == 200
        assert len(many) == len(few)
        with CaptureQueriesContext(connection) as suppliers:
            assert client.get(reverse("canteen:supplier_list")).status_code == 200
        assert len(suppliers) <= 12


class TestProductCategory:
    def test_manager_adds_a_bulk_staple_category_duplicate_refused_in_words(self, login, school, people):
        client = login(people.manager)
        answer = client.post(reverse("canteen:productcategory_add"), {"name": "肉类", "bulk_staple": "on"})
        assert answer.status_code == 302
        assert ProductCategory.objects.get(name="肉类").bulk_staple is True
        answer = client.post(reverse("canteen:productcategory_add"), {"name": "肉类"})
        assert answer.status_code == 400 and "本校已有同名的食材类别" in answer.content.decode()
        assert login(people.cook).get(reverse("canteen:productcategory_add")).status_code == 403
