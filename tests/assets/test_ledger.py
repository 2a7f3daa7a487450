"""Ledger rules: the capitalisation threshold, acquisition, movements, disposal only after approval."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from assets import services
from assets.choices import AssetStatus, DisposalStatus, MovementKind
from assets.models import Asset, AssetMovement
from logistics.audit.models import ChangeRecord
from logistics.workflow import StepNotAllowed

from .factories import CategoryFactory, make_asset, make_room

pytestmark = pytest.mark.django_db


def acquire(school, user, quantity=1, price="4800.00", **kwargs):
    kwargs.setdefault("category", CategoryFactory(school=school))
    kwargs.setdefault("room", make_room(school))
    return services.acquire_assets(
        school=school,
        user=user,
        quantity=quantity,
        name=kwargs.pop("name", "台式计算机"),
        unit_price=Decimal(price),
        purchase_date=kwargs.pop("purchase_date", datetime.date(2025, 9, 1)),
        **kwargs,
    )


class TestAssetLedgerRules:
    def test_threshold_refuses_cheap_items(self, school, staff):
        with pytest.raises(ValidationError) as exc:
            acquire(school, staff, price="999.99")
        assert "1000" in str(exc.value)
        assert not Asset.objects.exists()

    def test_threshold_is_a_school_rule(self, school, staff):
        from logistics.tenancy import rules

        rules.set_value(school, "assets.capitalisation_threshold", "500")
        school.save()
        assert acquire(school, staff, price="600")

    def test_bulk_similar_items_below_threshold(self, school, staff):
        desks = acquire(school, staff, quantity=40, price="320", name="学生课桌椅", bulk_item=True)
        assert len(desks) == 40
        codes = [a.code for a in desks]
        assert codes[0] == "ONE-000001" and codes[-1] == "ONE-000040"
        assert len(set(codes)) == 40
        assert AssetMovement.objects.filter(kind=MovementKind.ACQUIRE).count() == 40
        assert {a.batch for a in desks} == {"B000001"}

    def test_codes_continue_and_are_unique_per_school(self, school, other_school, staff, make_user):
        acquire(school, staff, quantity=2)
        other = make_user("logistics_staff", other_school)
        theirs = acquire(other_school, other)
        mine = acquire(school, staff)
        assert mine[0].code == "ONE-000003"
        assert theirs[0].code == "TWO-000001"

    def test_transfer_lend_return_lost_history(self, school, staff, make_user):
        asset = make_asset(school)
        teacher = make_user("teacher", school)
        new_room = make_room(school)
        services.transfer_asset(asset=asset, user=staff, room=new_room, custodian=teacher)
        asset.refresh_from_db()
        assert asset.room == new_room and asset.custodian == teacher
        loan = services.lend_asset(asset=asset, user=staff, borrower=teacher, expected_return=datetime.date.today())
        asset.refresh_from_db()
        assert asset.status == AssetStatus.ON_LOAN and loan.returned_on is None
        with pytest.raises(StepNotAllowed):
            services.lend_asset(asset=asset, user=staff, borrower=teacher)
        services.return_asset(asset=asset, user=staff)
        loan.refresh_from_db()
        assert loan.returned_on is not None
        services.report_lost(asset=asset, user=staff, note="找不到了")
        asset.refresh_from_db()
        assert asset.status == AssetStatus.LOST
        kinds = list(AssetMovement.objects.filter(asset=asset).order_by("pk").values_list("kind", flat=True))
        assert kinds == ["transfer", "lend", "return", "lost"]
        events = ChangeRecord.objects.filter(object_id=asset.pk, action="event").values_list("event", flat=True)
        assert {"asset.transferred", "asset.lent", "asset.returned", "asset.lost"} <= set(events)

    def test_transfer_to_other_schools_room_refused(self, school, other_school, staff):
        asset = make_asset(school)
        with pytest.raises(ValidationError):
            services.transfer_asset(asset=asset, user=staff, room=make_room(other_school))

    def test_custodian_must_be_member(self, school, other_school, staff, make_user):
        asset = make_asset(school)
        with pytest.raises(ValidationError):
            services.transfer_asset(asset=asset, user=staff, custodian=make_user("teacher", other_school))


class TestDisposalRequestWorkflow:
    def test_disposal_only_after_both_approvals(self, school, staff, head, principal):
        asset = make_asset(school)
        request = services.request_disposal(assets=[asset], user=staff, reason="主板烧毁，无维修价值")
        assert request.status == DisposalStatus.REQUESTED
        # nothing can be written off before approval
        with pytest.raises(StepNotAllowed):
            services.write_off_disposal(request=request, user=staff)
        # the principal cannot approve before the head
        with pytest.raises(StepNotAllowed):
            services.approve_disposal_principal(request=request, user=principal)
        # staff cannot approve as head
        with pytest.raises(PermissionDenied):
            services.approve_disposal_head(request=request, user=staff)
        services.approve_disposal_head(request=request, user=head)
        asset.refresh_from_db()
        assert asset.status == AssetStatus.IN_USE
        with pytest.raises(StepNotAllowed):
            services.write_off_disposal(request=request, user=staff)
        services.approve_disposal_principal(request=request, user=principal, note="校务会2025-10-12决定")
        asset.refresh_from_db()
        assert asset.status == AssetStatus.IN_USE and asset.disposed_on is None
        services.write_off_disposal(request=request, user=staff, date=datetime.date(2025, 10, 20))
        asset.refresh_from_db()
        assert asset.status == AssetStatus.DISPOSED
        assert asset.disposed_on == datetime.date(2025, 10, 20)
        assert Asset.objects.filter(pk=asset.pk).exists()  # the card stays
        assert AssetMovement.objects.filter(asset=asset, kind=MovementKind.DISPOSE).exists()

    def test_rejected_disposal_leaves_asset(self, school, staff, head):
        asset = make_asset(school)
        request = services.request_disposal(assets=[asset], user=staff, reason="旧")
        services.reject_disposal(request=request, user=head, note="还能用")
        asset.refresh_from_db()
        assert asset.status == AssetStatus.IN_USE
        with pytest.raises(StepNotAllowed):
            services.approve_disposal_head(request=request, user=head)

    def test_no_double_request(self, school, staff):
        asset = make_asset(school)
        services.request_disposal(assets=[asset], user=staff, reason="旧")
        with pytest.raises(ValidationError):
            services.request_disposal(assets=[asset], user=staff, reason="旧")

    def test_disposed_card_readable_no_delete_url(self, school, staff, head, principal, login):
        asset = make_asset(school)
        request = services.request_disposal(assets=[asset], user=staff, reason="旧")
        services.approve_disposal_head(request=request, user=head)
        services.approve_disposal_principal(request=request, user=principal)
        services.write_off_disposal(request=request, user=staff)
        client = login(head)
        response = client.get(asset.get_absolute_url())
        assert response.status_code == 200
        assert "/delete/" not in response.content.decode()
        assert client.post(f"/assets/assets/{asset.pk}/delete/").status_code == 404


class TestAssetTimeRules:
    @time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC))
    def test_lend_default_return_from_rule(self, school, staff, make_user):
        asset = make_asset(school)
        loan = services.lend_asset(asset=asset, user=staff, borrower_name="王老师")
        assert loan.expected_return == datetime.date(2026, 3, 24)

    @time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC))
    def test_terms(self):
        assert services.current_term() == "2025-2026-2"
        assert services.current_term(datetime.date(2026, 9, 1)) == "2026-2027-1"
        assert services.current_term(datetime.date(2027, 1, 15)) == "2026-2027-1"
