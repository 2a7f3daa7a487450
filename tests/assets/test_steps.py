"""The assets steps on the platform's workflow layer: buttons from ``allowed_steps``, terminal states
read-only in the API, on pages and in the admin, relations narrowed to the record's school, ids that
are not numbers, and the answers of each step endpoint."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from assets import services
from assets.choices import AssetStatus
from assets.models import Asset, AssetLoan, DamageRecord, DisposalRequest
from logistics.accounts.roles import Role
from logistics.audit.models import ChangeAction, ChangeRecord
from logistics.audit.recorder import recorded_update
from logistics.workflow import StepNotAllowed, is_read_only, steps_of, terminal_states
from logistics.workflow.guard import allowed_steps

from .factories import make_asset, make_room, staff_of

pytestmark = pytest.mark.django_db

API = "/api/v1/assets/assets/"


def disposed(school):
    """An asset written off the ledger through both approvals (条例 art. 19, 35)."""
    asset = make_asset(school)
    staff = staff_of(school)
    head, principal = staff_of(school), staff_of(school)
    from logistics.tenancy.models import Membership

    Membership.objects.create(user=head, school=school, role=Role.LOGISTICS_HEAD)
    Membership.objects.create(user=principal, school=school, role=Role.PRINCIPAL)
    request = services.request_disposal(assets=[asset], user=staff, reason="报废")
    services.approve_disposal_head(request=request, user=head)
    services.approve_disposal_principal(request=request, user=principal)
    services.write_off_disposal(request=request, user=staff, date=datetime.date(2026, 1, 5))
    asset.refresh_from_db()
    return asset


class TestDeclaration:
    def test_terminal_states(self):
        assert terminal_states(Asset) == {"disposed"}
        assert terminal_states(DisposalRequest) == {"written_off", "rejected"}
        assert terminal_states(DamageRecord) == {True}
        names = {s.url_name for s in steps_of(Asset)}
        assert {"transfer", "lend", "return", "report-lost", "request-disposal"} <= names


class TestButtons:
    def test_disposed_asset_offers_no_step(self, school, make_user, login):
        asset = disposed(school)
        staff = make_user(Role.LOGISTICS_STAFF, school)
        assert asset.status == "disposed" and is_read_only(asset)
        assert allowed_steps(staff, asset) == []
        page = login(staff).get(asset.get_absolute_url()).content.decode()
        for url_name in ("transfer", "lend", "report-lost", "request-disposal"):
            assert f"/assets/assets/{asset.pk}/{url_name}/" not in page
        assert f"/assets/assets/{asset.pk}/edit/" not in page

    def test_buttons_follow_status_and_permission(self, school, make_user, login):
        asset = make_asset(school)
        staff = make_user(Role.LOGISTICS_STAFF, school)
        page = login(staff).get(asset.get_absolute_url()).content.decode()
        assert 'data-testid="step-transfer"' in page and 'data-testid="step-lend"' in page
        assert 'data-testid="step-return"' not in page  # not on loan
        teacher = make_user(Role.TEACHER, school)
        asset.custodian = teacher
        asset.save()
        page = login(teacher).get(asset.get_absolute_url()).content.decode()
        assert 'data-testid="step-transfer"' not in page  # the teacher may see, not transfer


class TestReadOnly:
    def test_api_refuses_changes_to_a_disposed_card(self, school, make_user, api):
        asset = disposed(school)
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        response = client.patch(f"{API}{asset.pk}/", {"unit_price": "1.00"}, format="json")
        assert response.status_code == 409
        body = response.json()
        with translation.override("zh-hans"):
            label = str(AssetStatus.DISPOSED.label)
        # in Chinese, naming the status
        assert body["status"] == "disposed" and label in body["detail"] and "不能再修改" in body["detail"], body
        response = client.put(f"{API}{asset.pk}/", {"name": "x"}, format="json")
        assert response.status_code == 409
        asset.refresh_from_db()
        assert str(asset.unit_price) == "4800.00"
        assert client.post(f"{API}{asset.pk}/transfer/", {"department": "x"}, format="json").status_code == 409

    def test_a_disposed_card_takes_no_attachment_nor_repair(self, school, make_user, login, api):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from logistics.attachments.models import Attachment
        from repairs.models import Ticket

        asset = disposed(school)
        head = make_user(Role.LOGISTICS_HEAD, school)
        client = login(head)
        page = client.get(asset.get_absolute_url()).content.decode()
        assert 'data-testid="report-fault"' not in page and f"/assets/assets/{asset.pk}/attachments/" not in page
        png = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        answer = client.post(f"/assets/assets/{asset.pk}/attachments/", {"file": png}, follow=True)
        assert answer.status_code == 200 and not Attachment.objects.filter(object_id=asset.pk).exists()
        assert any("不能再修改" in str(m) or "no longer" in str(m) for m in answer.context["messages"])
        room = asset.room or make_room(school)
        response = api(head).post(
            "/api/v1/repairs/tickets/",
            {"room": room.pk, "asset": asset.pk, "trade": "plumbing", "description": "坏了"},
            format="json",
        )
        assert response.status_code == 400 and "asset" in response.json()["errors"], response.content
        assert not Ticket.objects.filter(asset=asset).exists()

    def test_edit_page_refuses(self, school, make_user, login):
        asset = disposed(school)
        client = login(make_user(Role.LOGISTICS_STAFF, school))
        assert client.get(f"/assets/assets/{asset.pk}/edit/").status_code == 403
        assert client.post(f"/assets/assets/{asset.pk}/edit/", {"name": "x"}).status_code == 403
        live = make_asset(school)
        assert client.get(f"/assets/assets/{live.pk}/edit/").status_code == 200

    def test_admin_read_only(self, school, make_user):
        from django.contrib.auth import get_user_model

        from repairs.models import Ticket

        superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x")
        request = RequestFactory().get("/admin/")
        request.user = superuser
        asset_admin = admin.site._registry[Asset]
        asset = disposed(school)
        assert not asset_admin.has_change_permission(request, asset)
        assert not asset_admin.has_delete_permission(request, asset)
        assert asset_admin.has_change_permission(request, make_asset(school))
        assert "status" in asset_admin.get_readonly_fields(request, asset)
        ticket_admin = admin.site._registry[Ticket]
        closed = Ticket(status="confirmed")
        assert not ticket_admin.has_change_permission(request, closed)
        assert ticket_admin.has_change_permission(request, Ticket(status="submitted"))

    def test_admin_change_post_refused(self, school, client):
        from django.contrib.auth import get_user_model

        superuser = get_user_model().objects.create_superuser("root2", "root2@example.com", "x")
        client.force_login(superuser)
        asset = disposed(school)
        response = client.post(f"/admin/assets/asset/{asset.pk}/change/", {"name": "改名"})
        assert response.status_code == 403
        asset.refresh_from_db()
        assert asset.name != "改名"


class TestSchoolOfRelations:
    def test_lend_to_a_user_of_another_school_is_400(self, school, other_school, make_user, api):
        asset = make_asset(other_school)
        stranger = make_user(Role.TEACHER, school)
        client = api(make_user(Role.LOGISTICS_HEAD, other_school))
        response = client.post(f"{API}{asset.pk}/lend/", {"borrower": stranger.pk}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"]["borrower"] == ["该项属于其他学校。"], response.json()
        assert not AssetLoan.objects.filter(asset=asset).exists()
        asset.refresh_from_db()
        assert asset.status == "in_use"

    def test_transfer_to_a_custodian_or_room_of_another_school_is_400(self, school, other_school, make_user, api):
        asset = make_asset(school)
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        stranger = make_user(Role.TEACHER, other_school)
        response = client.post(f"{API}{asset.pk}/transfer/", {"custodian": stranger.pk}, format="json")
        assert response.status_code == 400 and response.json()["errors"]["custodian"] == ["该项属于其他学校。"]
        response = client.post(f"{API}{asset.pk}/transfer/", {"room": make_room(other_school).pk}, format="json")
        assert response.status_code == 400 and response.json()["errors"]["room"] == ["该项属于其他学校。"]
        response = client.post(f"{API}{asset.pk}/transfer/", {"room": 987654321}, format="json")
        assert response.status_code == 400 and "room" in response.json()["errors"]
        asset.refresh_from_db()
        assert asset.custodian_id is None

    def test_the_lend_form_lists_colleagues_not_parents(self, school, make_user):
        from assets.forms import LendForm

        asset = make_asset(school)
        colleague, parent = make_user(Role.TEACHER, school), make_user(Role.PARENT, school)
        head = make_user(Role.LOGISTICS_HEAD, school)
        choices = LendForm(obj=asset, user=head, prefix="lend").fields["borrower"].queryset
        assert colleague in choices and parent not in choices

    def test_lend_to_a_colleague_works(self, school, make_user, api):
        asset = make_asset(school)
        colleague = make_user(Role.TEACHER, school)
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        response = client.post(f"{API}{asset.pk}/lend/", {"borrower": colleague.pk}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "on_loan"


class TestIds:
    @pytest.mark.parametrize(
        "path",
        [
            "damages/abc/pay/",
            "assets/abc/transfer/",
            "assets/1.5/lend/",
            "disposals/abc/approve-head/",
            "issue-requests/abc/approve/",
            "stocktakes/abc/submit/",
            "stocktakes/abc/scan/",
            "consumables/abc/receive/",
            "imports/abc/validate/",
        ],
    )
    def test_non_numeric_id_is_404(self, school, make_user, api, path):
        client = api(make_user(Role.LOGISTICS_HEAD, school))
        assert client.post(f"/api/v1/assets/{path}", {}, format="json").status_code == 404


class TestAnswers:
    def test_request_disposal_answers_the_request(self, school, make_user, api):
        asset = make_asset(school)
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        response = client.post(f"{API}{asset.pk}/request-disposal/", {"reason": "坏了"}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert body["reference"].startswith("DSP-") and body["assets"] == [asset.pk]

    def test_step_not_allowed_names_the_status(self, school, make_user, api):
        asset = make_asset(school)
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        response = client.post(f"{API}{asset.pk}/return/", {}, format="json")
        assert response.status_code == 409 and response.json()["status"] == "in_use"

    def test_schema_documents_each_step_body(self, school, make_user, api):
        schema = api(make_user(Role.LOGISTICS_HEAD, school)).get("/api/schema/?format=json")
        assert schema.status_code == 200
        paths = schema.json()["paths"]
        lend = paths["/api/v1/assets/assets/{id}/lend/"]["post"]
        ref = lend["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/LendRequest")
        assert "409" in lend["responses"] and "403" in lend["responses"]
        disposal = paths["/api/v1/assets/assets/{id}/request-disposal/"]["post"]
        assert disposal["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Disposal")


class TestRecordedUpdate:
    def test_a_change_record_per_row(self, school):
        loans = [
            AssetLoan.objects.create(
                school=school,
                asset=make_asset(school),
                borrower_name="李",
                lent_on=datetime.date(2026, 1, 1),
                expected_return=datetime.date(2026, 2, 1),
            )
            for _ in range(2)
        ]
        before = ChangeRecord.objects.filter(action=ChangeAction.UPDATE).count()
        n = recorded_update(
            AssetLoan.objects.filter(pk__in=[x.pk for x in loans]), returned_on=datetime.date(2026, 1, 9)
        )
        assert n == 2
        records = ChangeRecord.objects.filter(action=ChangeAction.UPDATE).order_by("pk")[before:]
        assert len(records) == 2
        assert records[0].before["returned_on"] is None and records[0].after["returned_on"] == "2026-01-09"


def test_stocktake_submit_records_missing_lines(school, make_user):
    asset = make_asset(school)
    staff = make_user(Role.LOGISTICS_STAFF, school)
    stocktake = services.start_stocktake(school=school, user=staff, name="期末", rooms=[asset.room])
    services.submit_stocktake(stocktake=stocktake, user=staff)
    line = stocktake.lines.get()
    assert line.result == "missing"
    assert ChangeRecord.objects.filter(object_id=line.pk, action=ChangeAction.UPDATE).exists()
    with pytest.raises(StepNotAllowed):
        services.submit_stocktake(stocktake=stocktake, user=staff)
