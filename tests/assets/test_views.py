"""Pages of every model through the shared view test cases (permission, other school, export,
query counts that do not grow with rows)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets import services
from assets.models import AssetImport, AssetLoan, AssetMovement, DisposalRequest, IssueRequest, StockTake
from logistics.accounts.roles import Role
from tests.mixins import ViewTestCases

from .factories import (
    CategoryFactory,
    ConsumableFactory,
    DamageRecordFactory,
    make_asset,
    make_room,
    make_stock,
    staff_of,
)

pytestmark = pytest.mark.django_db


def step(client, obj, url_name, name=None, **data):
    """POST a step's page as its form sends it (fields prefixed with the step's name)."""
    prefix = name or url_name.replace("-", "_")
    return client.post(f"{obj.get_absolute_url()}{url_name}/", {f"{prefix}-{k}": v for k, v in data.items()})


class TestAssetViews(ViewTestCases):
    list_url = "/assets/assets/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        return make_asset(school)

    def row_text(self, obj):
        return obj.code

    def test_filters(self, school, make_user, login):
        chair = make_asset(school, name="椅子", unit_price=Decimal("1500"))
        pc = make_asset(school, name="电脑", unit_price=Decimal("6000"), purchase_date=datetime.date(2020, 1, 1))
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        body = client.get(self.list_url, {"price_min": "5000"}).content.decode()
        assert pc.code in body and chair.code not in body
        body = client.get(self.list_url, {"purchased_before": "2021-01-01"}).content.decode()
        assert pc.code in body and chair.code not in body
        body = client.get(self.list_url, {"q": "椅"}).content.decode()
        assert chair.code in body and pc.code not in body
        body = client.get(self.list_url, {"building": pc.room.building_id}).content.decode()
        assert pc.code in body and chair.code not in body

    def test_acquire_page_makes_cards(self, school, make_user, login):
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        category = CategoryFactory(school=school, code="A05010200", name="学生课桌椅", life_years=5)
        room = make_room(school)
        assert client.get("/assets/assets/add/").status_code == 200
        response = client.post(
            "/assets/assets/add/",
            {
                "quantity": 40,
                "name": "学生课桌",
                "category": category.pk,
                "unit_price": "320.00",
                "purchase_date": "2025-08-20",
                "funding_source": "budget",
                "room": room.pk,
                "bulk_item": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert school.pk and AssetMovement.objects.filter(school=school, kind="acquire").count() == 40

    def test_acquire_page_refuses_cheap_item(self, school, make_user, login):
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        category = CategoryFactory(school=school)
        response = client.post(
            "/assets/assets/add/",
            {
                "quantity": 1,
                "name": "鼠标",
                "category": category.pk,
                "unit_price": "80.00",
                "purchase_date": "2025-08-20",
                "funding_source": "budget",
            },
        )
        assert response.status_code == 400
        assert "低值易耗品" in response.content.decode() or "consumables" in response.content.decode()

    def test_step_pages(self, school, make_user, login):
        asset = make_asset(school)
        teacher = make_user(Role.TEACHER, school)
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        assert client.get(f"/assets/assets/{asset.pk}/transfer/").status_code == 200
        new_room = make_room(school)
        response = step(client, asset, "transfer", room=new_room.pk, note="调整")
        assert response.status_code == 302
        asset.refresh_from_db()
        assert asset.room == new_room
        response = step(client, asset, "lend", borrower=teacher.pk, expected_return="2099-01-01")
        assert response.status_code == 302
        assert AssetLoan.objects.filter(asset=asset, returned_on__isnull=True).exists()
        # lending again is refused with a readable message, nothing changes
        response = step(client, asset, "lend", borrower=teacher.pk)
        assert response.status_code == 400
        assert AssetLoan.objects.filter(asset=asset).count() == 1
        assert step(client, asset, "return", name="take_back").status_code == 302
        response = step(client, asset, "request-disposal", name="request_disposal", reason="坏", method="scrap")
        assert response.status_code == 302
        assert response["Location"] == DisposalRequest.objects.get(assets=asset).get_absolute_url()
        assert DisposalRequest.objects.filter(assets=asset).exists()

    def test_teacher_cannot_transfer(self, school, make_user, login):
        teacher = make_user(Role.TEACHER, school)
        asset = make_asset(school, custodian=teacher)
        client = login(teacher)
        assert client.get(asset.get_absolute_url()).status_code == 200
        assert client.get(f"/assets/assets/{asset.pk}/transfer/").status_code == 403
        assert step(client, asset, "transfer", room=make_room(school).pk).status_code == 403

    def test_label_redirects_to_asset(self, school, make_user, login):
        asset = make_asset(school)
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        response = client.get(f"/assets/l/{asset.code}/")
        assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
        assert client.get("/assets/l/NOPE-1/").status_code == 404

    def test_ledger_pages(self, school, make_user, login):
        make_asset(school)
        client = login(make_user(Role.FINANCE_OFFICER, school))
        assert client.get("/assets/ledger/?as_of=2026-01-01").status_code == 200
        xlsx = client.get("/assets/ledger/export/?as_of=2026-01-01&format=xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        csv = client.get("/assets/ledger/export/?as_of=2026-01-01&format=csv")
        assert "Subtotal" in csv.content.decode() or "小计" in csv.content.decode()
        teacher = login(make_user(Role.TEACHER, school))
        assert teacher.get("/assets/ledger/").status_code == 403


class TestCategoryViews(ViewTestCases):
    list_url = "/assets/categories/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):  # sorts before the 25 starter categories (the list shows 25 a page)
        return CategoryFactory(school=school, code="A00000001", name="测试分类")

    def row_text(self, obj):
        return obj.code

    def test_a_switch_reads_yes_or_no(self, school, make_user, login):
        """The detail card's 'fixed asset' switch said "True"."""
        from tests.pages import page_text

        category = self.make_object(school)
        page = page_text(login(make_user(Role.LOGISTICS_HEAD, school)).get(category.get_absolute_url()))
        assert "True" not in page and "False" not in page and ">是<" in page.replace(" ", "")


class TestAssetMovementViews(ViewTestCases):
    list_url = "/assets/movements/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        asset = make_asset(school)
        return services.transfer_asset(asset=asset, user=staff_of(school), room=make_room(school)).movements.first()

    def row_text(self, obj):
        return obj.asset.code


class TestAssetLoanViews(ViewTestCases):
    list_url = "/assets/loans/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        return services.lend_asset(asset=make_asset(school), user=staff_of(school), borrower_name="李老师")

    def row_text(self, obj):
        return obj.asset.code


class TestDisposalRequestViews(ViewTestCases):
    list_url = "/assets/disposals/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):

        return services.request_disposal(assets=[make_asset(school)], user=staff_of(school), reason="损坏")

    def row_text(self, obj):
        return obj.reference

    def test_approval_pages(self, school, make_user, login):
        request = self.make_object(school)
        head = login(make_user(Role.LOGISTICS_HEAD, school))
        principal = login(make_user(Role.PRINCIPAL, school))
        staff = login(make_user(Role.LOGISTICS_STAFF, school))
        url = request.get_absolute_url()
        assert staff.post(f"{url}approve-head/", {"approve_head-note": ""}).status_code == 403
        request.refresh_from_db()
        assert request.status == "requested"  # staff may not approve
        assert head.post(f"{url}approve-head/", {"approve_head-note": ""}).status_code == 302
        assert principal.post(f"{url}approve-principal/", {"approve_principal-note": "校务会决定"}).status_code == 302
        response = staff.post(f"{url}write-off/", {"write_off-date": "2026-01-05", "write_off-proceeds": "0"})
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == "written_off"
        assert request.assets.get().status == "disposed"


class TestConsumableViews(ViewTestCases):
    list_url = "/assets/consumables/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        return ConsumableFactory(school=school)

    def test_receive_and_issue_flow(self, school, make_user, login):
        stock = make_stock(school, quantity=0, name="灯管")
        staff_user = make_user(Role.LOGISTICS_STAFF, school)
        staff = login(staff_user)
        response = staff.post(
            f"/assets/consumables/{stock.consumable_id}/receive/", {"store": stock.store_id, "quantity": "20"}
        )
        assert response.status_code == 302
        teacher_user = make_user(Role.TEACHER, school)
        teacher = login(teacher_user)
        assert teacher.get(f"/assets/consumables/{stock.consumable_id}/").status_code == 200
        response = teacher.post(
            "/assets/issue-requests/add/", {"consumable": stock.consumable_id, "quantity": "3", "purpose": "教室换灯"}
        )
        assert response.status_code == 302
        request = IssueRequest.objects.get()
        stock.refresh_from_db()
        assert stock.quantity == 20  # nothing moves before approval
        # the teacher may not approve their own request
        teacher.post(f"/assets/issue-requests/{request.pk}/approve/", {})
        request.refresh_from_db()
        assert request.status == "requested"
        staff.post(f"/assets/issue-requests/{request.pk}/approve/", {})
        request.refresh_from_db()
        stock.refresh_from_db()
        assert request.status == "issued" and stock.quantity == 17


class TestConsumableStockPages:
    def test_stock_per_store_shown(self, school, make_user, login):
        stock = make_stock(school, quantity=12, name="水龙头")
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        body = client.get(stock.consumable.get_absolute_url()).content.decode()
        assert stock.store.name in body and "12" in body


class TestStockMovementViews(ViewTestCases):
    list_url = "/assets/stock-movements/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        stock = make_stock(school, quantity=5)
        return stock.consumable.movements.first()

    def row_text(self, obj):
        return str(obj.consumable)


class TestIssueRequestViews(ViewTestCases):
    list_url = "/assets/issue-requests/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        from .factories import UserFactory

        return services.request_issue(
            consumable=ConsumableFactory(school=school), quantity=1, purpose="x", user=UserFactory()
        )

    def row_text(self, obj):
        return obj.reference

    def test_teacher_sees_only_own(self, school, make_user, login):
        mine_user = make_user(Role.TEACHER, school)
        mine = services.request_issue(
            consumable=ConsumableFactory(school=school), quantity=1, purpose="x", user=mine_user
        )
        theirs = self.make_object(school)
        body = login(mine_user).get(self.list_url).content.decode()
        assert mine.reference in body and theirs.reference not in body


class TestStockTakeViews(ViewTestCases):
    list_url = "/assets/stocktakes/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        asset = make_asset(school)
        return services.start_stocktake(school=school, user=None, name="期末清查", rooms=[asset.room])

    def row_text(self, obj):
        return obj.reference


class TestStockTakeLineViews:
    def test_lines_list_and_export(self, school, other_school, make_user, login):
        asset = make_asset(school)
        stocktake = services.start_stocktake(school=school, user=None, name="期末清查", rooms=[asset.room])
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        response = client.get(f"/assets/stocktakes/{stocktake.pk}/lines/")
        assert response.status_code == 200 and asset.code in response.content.decode()
        assert client.get(f"/assets/stocktakes/{stocktake.pk}/lines/?export=xlsx").content[:2] == b"PK"
        other_asset = make_asset(other_school)
        theirs = services.start_stocktake(school=other_school, user=None, name="x", rooms=[other_asset.room])
        assert client.get(f"/assets/stocktakes/{theirs.pk}/lines/").status_code == 404
        parent = login(make_user(Role.PARENT, school))
        assert parent.get(f"/assets/stocktakes/{stocktake.pk}/lines/").status_code == 404


class TestDamageRecordViews(ViewTestCases):
    list_url = "/assets/damages/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        return services.open_damage_record(school=school, user=None, amount="50", description="玻璃破损")

    def row_text(self, obj):
        return obj.reference

    def test_paid_record_not_deletable(self, school, make_user, login):
        record = self.make_object(school)
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        services.record_damage_payment(record=record, user=staff_of(school), receipt_number="R1")
        page = client.get(record.get_absolute_url()).content.decode()
        assert "/delete/" not in page
        assert client.post(f"/assets/damages/{record.pk}/delete/").status_code == 403
        assert client.get(f"/assets/damages/{record.pk}/edit/").status_code == 403
        record.refresh_from_db()
        assert record.pk

    def test_unpaid_record_deletable_and_pay_page(self, school, make_user, login):
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        record = self.make_object(school)
        response = client.post(f"/assets/damages/{record.pk}/pay/", {"pay-receipt_number": "SJ-9"})
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.paid and record.receipt_number == "SJ-9"
        other = self.make_object(school)
        assert client.post(f"/assets/damages/{other.pk}/delete/").status_code == 302

    def test_add_page(self, school, make_user, login):
        asset = make_asset(school)
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        response = client.post(
            "/assets/damages/add/",
            {"asset_code": asset.code, "description": "桌面划坏", "amount": "88.00", "responsible_person": "张三"},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        assert asset.damages.get().amount == Decimal("88.00")

    def test_factory_record(self, school):
        assert DamageRecordFactory(school=school).reference.startswith("DMG-")


class TestAssetImportViews(ViewTestCases):
    list_url = "/assets/imports/"
    list_queries = 16
    detail_queries = 30

    def make_object(self, school):
        upload = SimpleUploadedFile("台账.csv", "资产名称,单价\n电脑,5000\n".encode(), content_type="text/csv")
        return AssetImport.objects.create(school=school, file=upload, original_name="台账.csv")

    def row_text(self, obj):
        return obj.original_name


class TestClassroomCheckViews:
    def test_teacher_confirms_own_classroom(self, school, make_user, login):
        from logistics.people.models import Grade, SchoolClass

        teacher = make_user(Role.TEACHER, school)
        room = make_room(school)
        other_room = make_room(school)
        grade = Grade.objects.create(school=school, name="七年级")
        SchoolClass.objects.create(school=school, grade=grade, name="七年级1班", head_teacher=teacher, room=room)
        desk = make_asset(school, room=room, name="讲台")
        make_asset(school, room=other_room, name="别的")
        client = login(teacher)
        body = client.get("/assets/classrooms/").content.decode()
        assert room.name in body and other_room.name not in body
        body = client.get(f"/assets/classrooms/{room.pk}/").content.decode()
        assert desk.code in body
        assert client.get(f"/assets/classrooms/{other_room.pk}/").status_code == 404
        assert client.post(f"/assets/classrooms/{room.pk}/confirm/", {"note": "齐全"}).status_code == 302
        from assets.models import ClassroomCheck

        check = ClassroomCheck.objects.get()
        assert check.asset_count == 1 and check.confirmed_by == teacher
        # the teacher also sees their classroom's assets in the ledger (custody scope)
        body = client.get("/assets/assets/").content.decode()
        assert desk.code in body and "别的" not in body

    def test_management_sees_all_classrooms(self, school, make_user, login):
        room = make_room(school)
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        assert room.name in client.get("/assets/classrooms/").content.decode()
        assert client.get(f"/assets/classrooms/{room.pk}/").status_code == 200
        parent = login(make_user(Role.PARENT, school))
        assert parent.get("/assets/classrooms/").status_code == 403


def test_stocktake_model_registered():
    assert StockTake._meta.app_label == "assets"
