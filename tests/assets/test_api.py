"""The API: every model through the shared API test cases, and each action endpoint."""

import datetime
from decimal import Decimal

import pytest

from assets import services
from assets.models import Asset, IssueRequest, StockTakeLine
from logistics.accounts.roles import Role
from tests.mixins import APITestCases

from .factories import CategoryFactory, ConsumableFactory, UserFactory, make_asset, make_room, make_stock, staff_of

pytestmark = pytest.mark.django_db


class TestAssetAPI(APITestCases):
    list_url = "/api/v1/assets/assets/"
    list_queries = 10

    def create_payload(self, school):
        return {
            "name": "台式计算机",
            "category": CategoryFactory(school=school).pk,
            "unit_price": "4800.00",
            "purchase_date": "2025-09-01",
        }

    def make_object(self, school):
        return make_asset(school)

    def test_filters(self, api, school, make_user):
        cheap = make_asset(school, unit_price=Decimal("1200"))
        dear = make_asset(school, unit_price=Decimal("9000"), purchase_date=datetime.date(2019, 5, 1))
        client = api(make_user(Role.LOGISTICS_HEAD, school))

        def ids(**params):
            return {row["id"] for row in client.get(self.list_url, params).json()["results"]}

        assert ids(price_min=5000) == {dear.pk}
        assert ids(price_max=5000) == {cheap.pk}
        assert ids(purchased_before="2020-01-01") == {dear.pk}
        assert ids(room=dear.room_id) == {dear.pk}
        assert ids(building=cheap.room.building_id) == {cheap.pk}
        assert ids(category=cheap.category_id) == {cheap.pk, dear.pk}
        assert ids(status="in_use") == {cheap.pk, dear.pk}
        assert ids(q=dear.code) == {dear.pk}

    def test_acquire_batch(self, api, school, make_user):
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        category = CategoryFactory(school=school)
        response = client.post(
            self.list_url,
            {
                "name": "学生课桌",
                "category": category.pk,
                "unit_price": "300.00",
                "purchase_date": "2025-09-01",
                "bulk_item": True,
                "quantity": 40,
                "room": make_room(school).pk,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        assert len(response.json()["cards"]) == 40
        response = client.post(
            self.list_url,
            {"name": "鼠标", "category": category.pk, "unit_price": "50", "purchase_date": "2025-09-01"},
            format="json",
        )
        assert response.status_code == 400 and "unit_price" in response.json()["errors"]

    def test_actions(self, api, school, make_user):
        asset = make_asset(school)
        teacher = make_user(Role.TEACHER, school)
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        url = f"{self.list_url}{asset.pk}/"
        room = make_room(school)
        response = client.post(f"{url}transfer/", {"room": room.pk, "custodian": teacher.pk}, format="json")
        assert response.status_code == 200 and response.json()["room"] == room.pk
        response = client.post(f"{url}lend/", {"borrower": teacher.pk, "expected_return": "2099-01-01"}, format="json")
        assert response.json()["status"] == "on_loan"
        response = client.post(f"{url}lend/", {"borrower": teacher.pk}, format="json")
        assert response.status_code == 409 and response.json()["status"] == "on_loan"
        assert client.post(f"{url}return/", {}, format="json").json()["status"] == "in_use"
        assert client.post(f"{url}report-lost/", {}, format="json").status_code == 400
        assert client.post(f"{url}report-lost/", {"note": "丢失"}, format="json").json()["status"] == "lost"
        response = client.post(f"{url}request-disposal/", {"reason": "丢失核销"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "requested"
        assert client.get(f"{url}movements/").status_code == 200

    def test_teacher_actions_refused(self, api, school, make_user):
        teacher = make_user(Role.TEACHER, school)
        asset = make_asset(school, custodian=teacher)
        client = api(teacher)
        assert client.get(f"{self.list_url}{asset.pk}/").status_code == 200
        # the teacher sees the card but may not take the step: 403, nothing changes
        response = client.post(f"{self.list_url}{asset.pk}/transfer/", {"room": None}, format="json")
        assert response.status_code == 403 and response.json()["detail"]
        assert client.post(f"{self.list_url}{asset.pk}/transfer/", {}, format="json").status_code == 403

    def test_values_hidden_from_teacher(self, api, school, make_user):
        teacher = make_user(Role.TEACHER, school)
        make_asset(school, custodian=teacher)
        row = api(teacher).get(self.list_url).json()["results"][0]
        assert "unit_price" not in row
        finance = api(make_user(Role.FINANCE_OFFICER, school)).get(self.list_url).json()["results"][0]
        assert finance["unit_price"] == "4800.00"

    def test_no_delete(self, api, school, make_user):
        asset = make_asset(school)
        client = api(make_user(Role.LOGISTICS_HEAD, school))
        assert client.delete(f"{self.list_url}{asset.pk}/").status_code == 405
        assert Asset.objects.filter(pk=asset.pk).exists()


class TestCategoryAPI(APITestCases):
    list_url = "/api/v1/assets/categories/"

    def create_payload(self, school):
        return {"code": "A02010199", "name": "其他计算机", "life_years": 6}

    def make_object(self, school):
        return CategoryFactory(school=school)

    def test_protected_delete(self, api, school, make_user):
        asset = make_asset(school)
        response = api(make_user(Role.LOGISTICS_HEAD, school)).delete(f"{self.list_url}{asset.category_id}/")
        assert response.status_code == 409


class TestAssetMovementAPI(APITestCases):
    list_url = "/api/v1/assets/movements/"

    def make_object(self, school):
        return services.transfer_asset(
            asset=make_asset(school), user=staff_of(school), room=make_room(school)
        ).movements.first()


class TestAssetLoanAPI(APITestCases):
    list_url = "/api/v1/assets/loans/"

    def make_object(self, school):
        return services.lend_asset(asset=make_asset(school), user=staff_of(school), borrower_name="李老师")


class TestDisposalRequestAPI(APITestCases):
    list_url = "/api/v1/assets/disposals/"

    def make_object(self, school):
        return services.request_disposal(assets=[make_asset(school)], user=staff_of(school), reason="坏")

    def test_steps(self, api, school, make_user):
        request = self.make_object(school)
        url = f"{self.list_url}{request.pk}/"
        staff = api(make_user(Role.LOGISTICS_STAFF, school))
        assert staff.post(f"{url}approve-head/", {}, format="json").status_code == 403
        assert staff.post(f"{url}write-off/", {}, format="json").status_code == 409
        assert (
            api(make_user(Role.LOGISTICS_HEAD, school)).post(f"{url}approve-head/", {}, format="json").status_code
            == 200
        )
        principal = api(make_user(Role.PRINCIPAL, school))
        assert (
            principal.post(f"{url}approve-principal/", {"note": "同意"}, format="json").json()["status"] == "approved"
        )
        response = staff.post(f"{url}write-off/", {"date": "2026-02-01"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "written_off"


class TestConsumableAPI(APITestCases):
    list_url = "/api/v1/assets/consumables/"

    def create_payload(self, school):
        return {"name": "粉笔", "spec": "无尘", "unit": "盒", "minimum_level": "10"}

    def make_object(self, school):
        return ConsumableFactory(school=school)

    def test_receive_and_issue_requests(self, api, school, make_user):
        stock = make_stock(school)
        item = stock.consumable
        staff = api(make_user(Role.LOGISTICS_STAFF, school))
        response = staff.post(
            f"{self.list_url}{item.pk}/receive/", {"store": stock.store_id, "quantity": "10"}, format="json"
        )
        assert response.status_code == 200 and Decimal(response.json()["total_quantity"]) == 10
        teacher = api(make_user(Role.TEACHER, school))
        response = teacher.post(
            f"{self.list_url}{item.pk}/issue-requests/", {"quantity": "4", "purpose": "上课"}, format="json"
        )
        assert response.status_code == 201, response.content
        request_id = response.json()["id"]
        assert (
            teacher.post(f"/api/v1/assets/issue-requests/{request_id}/approve/", {}, format="json").status_code == 403
        )
        response = staff.post(f"/api/v1/assets/issue-requests/{request_id}/approve/", {}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "issued"
        item.refresh_from_db()
        assert item.total_quantity == 6
        response = teacher.post(
            f"{self.list_url}{item.pk}/issue-requests/", {"quantity": "40", "purpose": "多"}, format="json"
        )
        big = response.json()["id"]
        response = staff.post(f"/api/v1/assets/issue-requests/{big}/approve/", {}, format="json")
        assert response.status_code == 400  # short stock: readable, nothing moves
        assert IssueRequest.objects.get(pk=big).status == "requested"
        assert len(teacher.get(f"{self.list_url}{item.pk}/issue-requests/").json()) == 2


class TestIssueRequestAPI(APITestCases):
    list_url = "/api/v1/assets/issue-requests/"

    def make_object(self, school):
        return services.request_issue(
            consumable=ConsumableFactory(school=school), quantity=1, purpose="x", user=UserFactory()
        )


class TestStockTakeAPI(APITestCases):
    list_url = "/api/v1/assets/stocktakes/"

    def create_payload(self, school):
        make_asset(school)
        return {"name": "全校清查", "whole_school": True}

    def make_object(self, school):
        asset = make_asset(school)
        return services.start_stocktake(school=school, user=None, name="清查", rooms=[asset.room])

    def test_flow(self, api, school, make_user):
        a1 = make_asset(school)
        a2 = make_asset(school, room=a1.room)
        elsewhere = make_room(school)
        staff = api(make_user(Role.LOGISTICS_STAFF, school))
        response = staff.post(self.list_url, {"name": "期末", "rooms": [a1.room_id]}, format="json")
        assert response.status_code == 201, response.content
        st = response.json()
        assert st["expected_count"] == 2
        url = f"{self.list_url}{st['id']}/"
        response = staff.post(f"{url}scan/", {"code": a1.code, "room": a1.room_id}, format="json")
        assert response.status_code == 200 and response.json()["result"] == "found"
        response = staff.post(
            f"{url}scan/", {"code": f"https://x/assets/l/{a2.code}/", "room": elsewhere.pk}, format="json"
        )
        assert response.json()["result"] == "wrong_room"
        response = staff.post(f"{url}unledgered/", {"room": elsewhere.pk, "item_name": "旧钢琴"}, format="json")
        assert response.status_code == 201
        assert staff.post(f"{url}submit/", {}, format="json").json()["status"] == "submitted"
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        response = head.post(f"{url}approve/", {}, format="json")
        assert response.status_code == 400  # differences not explained
        lines = head.get(f"{url}lines/?result=wrong_room&result=not_in_ledger").json()["results"]
        assert len(lines) == 2
        category = CategoryFactory(school=school)
        for line in lines:
            response = staff.post(
                f"{url}explain/",
                {"line": line["id"], "explanation": "搬动", "item_category": category.pk, "item_value": "3000"},
                format="json",
            )
            assert response.status_code == 200, response.content
        assert staff.post(f"{url}approve/", {}, format="json").status_code == 403  # staff may not approve
        assert head.post(f"{url}approve/", {}, format="json").json()["status"] == "approved"
        a2.refresh_from_db()
        assert a2.room == elsewhere
        assert Asset.objects.filter(name="旧钢琴", room=elsewhere).exists()


class TestDamageRecordAPI(APITestCases):
    list_url = "/api/v1/assets/damages/"

    def create_payload(self, school):
        return {"description": "窗玻璃破损", "amount": "45.00"}

    def make_object(self, school):
        return services.open_damage_record(school=school, user=None, amount="20", description="门")

    def test_create_pay_no_delete_once_paid(self, api, school, make_user):
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        response = client.post(self.list_url, {"description": "窗玻璃", "amount": "45.00"}, format="json")
        assert response.status_code == 201, response.content
        url = f"{self.list_url}{response.json()['id']}/"
        assert client.post(f"{url}pay/", {"receipt_number": "R-1"}, format="json").json()["paid"] is True
        # a paid record is read-only (terminal state): 409 naming its status, nothing changes
        response = client.delete(url)
        assert response.status_code == 409 and response.json()["status"] == "true"
        assert client.patch(url, {"amount": "1"}, format="json").status_code == 409
        assert client.post(f"{url}pay/", {}, format="json").status_code == 409

    def test_a_value_a_constraint_refuses_is_400_in_words_not_500(self, api, school, make_user):
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        created = client.post(self.list_url, {"description": "窗玻璃", "amount": "45.00"}, format="json").json()
        response = client.put(
            f"{self.list_url}{created['id']}/",
            {"description": "窗玻璃", "amount": "-5"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert response.status_code == 400, response.content
        body = response.json()
        assert "金额不能为负数" in body["detail"] and "assets_damage_amount_positive" not in response.content.decode()


class TestAssetImportAPI(APITestCases):
    list_url = "/api/v1/assets/imports/"

    def make_object(self, school):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from assets.models import AssetImport

        upload = SimpleUploadedFile("a.csv", b"name\n", content_type="text/csv")
        return AssetImport.objects.create(school=school, file=upload, original_name="a.csv")


def test_stocktake_line_is_unique_per_asset(school):
    asset = make_asset(school)
    stocktake = services.start_stocktake(school=school, user=None, name="x", rooms=[asset.room])
    for _ in range(3):
        services.scan(stocktake=stocktake, user=staff_of(school), asset=asset, room=asset.room)
    assert StockTakeLine.objects.filter(stocktake=stocktake).count() == 1
