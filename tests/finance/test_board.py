"""The fee disclosure board: versions through their steps, the compulsory-education rule, and a published
version immutable in the API, the pages, querysets and the database itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from finance import services
from finance.choices import AdministrativeKind, DisclosureStatus, FeeCategory
from finance.models import DisclosureEntry, FeeDisclosure, FeeItem
from logistics.tenancy.models import SchoolStage
from logistics.workflow import StepNotAllowed, guard

from .conftest import make_item, publish

pytestmark = pytest.mark.django_db


class TestFeeItem:
    def test_administrative_fee_needs_its_basis(self, school, api, people):
        body = {
            "category": "administrative",
            "administrative_kind": "accommodation",
            "name": "住宿费",
            "amount": "600.00",
            "unit": "term",
            "period_label": "2026年秋季学期",
            "period_start": "2026-09-01",
            "period_end": "2027-01-20",
        }
        response = api(people.officer).post("/api/v1/finance/fee-items/", body, format="json")
        assert response.status_code == 400
        assert set(response.json()["errors"]) >= {"basis_authority", "basis_document"}
        body.update(basis_authority="省发展改革委", basis_document="浙发改价格〔2020〕100号")
        response = api(people.officer).post("/api/v1/finance/fee-items/", body, format="json")
        assert response.status_code == 201, response.json()
        assert FeeItem.objects.get(pk=response.json()["id"]).basis_document == "浙发改价格〔2020〕100号"

    def test_service_and_on_behalf_fees_are_always_voluntary(self, school, api, people):
        body = {
            "category": "service",
            "name": "课后服务费",
            "amount": "300.00",
            "unit": "term",
            "period_label": "2026年秋季学期",
            "period_start": "2026-09-01",
            "period_end": "2027-01-20",
            "voluntary": False,
            "administrative_kind": "tuition",
        }
        response = api(people.officer).post("/api/v1/finance/fee-items/", body, format="json")
        assert response.status_code == 201, response.json()
        item = FeeItem.objects.get(pk=response.json()["id"])
        assert item.voluntary is True and item.administrative_kind == ""

    def test_only_the_finance_officer_adds_items(self, school, api, people):
        response = api(people.teacher).post("/api/v1/finance/fee-items/", {"name": "x"}, format="json")
        assert response.status_code == 403
        assert not FeeItem.objects.exists()

    def test_scope_in_words(self, school, klass, items):
        items.insurance.grades.set([klass.grade])
        assert items.insurance.scope_text() == "一年级"
        from django.utils.translation import gettext

        assert items.accommodation.scope_text() == f"{gettext('every grade')}；{gettext('boarders only')}"


class TestFeeDisclosure:
    def test_steps_copy_the_items_and_publish(self, school, people, items, board):
        assert board.status == DisclosureStatus.PUBLISHED
        assert board.published_by == people.officer and board.approved_by == people.principal
        names = set(board.entries.values_list("name", flat=True))
        assert names == {"学生意外伤害保险", "午餐费", "住宿费"}
        assert services.on_published_board(items.meals).amount == Decimal("12.50")

    def test_only_the_principal_approves(self, school, people, items):
        disclosure = services.new_disclosure(school, people.officer)
        guard.run(disclosure, "submit", people.officer)
        with pytest.raises(PermissionDenied):
            guard.run(disclosure, "approve", people.officer)
        with pytest.raises(StepNotAllowed):
            guard.run(disclosure, "publish", people.officer)  # not approved yet

    def test_a_change_is_a_new_version_superseding_the_old(self, school, people, items, board):
        items.meals.amount = Decimal("13.00")
        items.meals.save()
        items.insurance.on_board = False
        items.insurance.save()
        second = publish(school, people, "午餐费调整")
        board.refresh_from_db()
        assert board.status == DisclosureStatus.SUPERSEDED and board.superseded_at is not None
        assert second.supersedes == board and second.version == board.version + 1
        # the old version still shows what it published
        assert board.entries.get(name="午餐费").amount == Decimal("12.50")
        rows = services.history(school)
        assert [r["version"].pk for r in rows] == [second.pk, board.pk]
        changes = {c.name: c for c in rows[0]["changes"]}
        assert changes["学生意外伤害保险"].kind == "removed"
        amount = changes["午餐费"].changes[0]
        assert (amount.before, amount.after) == ("12.50", "13.00")

    def test_compulsory_education_publishes_no_tuition(self, school, people, items):
        assert school.stage == SchoolStage.PRIMARY
        make_item(
            school,
            category=FeeCategory.ADMINISTRATIVE,
            administrative_kind=AdministrativeKind.TUITION,
            name="学费",
            basis_authority="省物价局",
            basis_document="某价〔2019〕1号",
            voluntary=False,
        )
        disclosure = services.new_disclosure(school, people.officer)
        with pytest.raises(ValidationError, match="义务教育法"):
            guard.run(disclosure, "submit", people.officer)
        disclosure.refresh_from_db()
        assert disclosure.status == DisclosureStatus.DRAFTED and not disclosure.entries.exists()
        school.stage = SchoolStage.SENIOR
        school.save()
        guard.run(disclosure, "submit", people.officer)
        assert disclosure.entries.filter(name="学费").exists()

    def test_one_version_in_preparation(self, school, people, items):
        services.new_disclosure(school, people.officer)
        with pytest.raises(ValidationError):
            services.new_disclosure(school, people.officer)


class TestPublishedBoardImmutable:
    def test_api_answers_409_and_changes_nothing(self, school, api, people, board):
        client = api(people.officer)
        url = f"/api/v1/finance/disclosures/{board.pk}/"
        for method in ("patch", "put", "delete"):
            response = getattr(client, method)(url, {"note": "改"}, format="json")
            assert response.status_code == 409, (method, response.content)
        board.refresh_from_db()
        assert board.note == "第一版" and board.status == DisclosureStatus.PUBLISHED

    def test_page_refuses_edit(self, school, login, people, board):
        response = login(people.officer).post(reverse("finance:feedisclosure_edit", args=[board.pk]), {"note": "改"})
        assert response.status_code == 403
        board.refresh_from_db()
        assert board.note == "第一版"

    def test_queryset_update_refused_by_the_database(self, board):
        with pytest.raises(DatabaseError), transaction.atomic():
            FeeDisclosure.objects.filter(pk=board.pk).update(note="改")
        with pytest.raises(DatabaseError), transaction.atomic():
            DisclosureEntry.objects.filter(disclosure=board).update(amount=Decimal("1"))
        assert DisclosureEntry.objects.filter(disclosure=board, amount=Decimal("1")).count() == 0

    def test_raw_sql_refused(self, board):
        for sql in (
            "UPDATE finance_feedisclosure SET note = 'x' WHERE id = %s",
            "UPDATE finance_feedisclosure SET status = 'drafted' WHERE id = %s",
            "DELETE FROM finance_feedisclosure WHERE id = %s",
            "DELETE FROM finance_disclosureentry WHERE disclosure_id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [board.pk])
        board.refresh_from_db()
        assert board.note == "第一版" and board.entries.count() == 3


class TestDisclosureEntry:
    def test_editing_the_item_leaves_the_published_copy(self, board, items):
        items.meals.amount = Decimal("99.00")
        items.meals.save()
        assert board.entries.get(fee_item=items.meals).amount == Decimal("12.50")

    def test_no_entry_added_to_a_published_version(self, board, items):
        from finance.steps import entry_from_item

        entry = entry_from_item(items.meals, board)
        entry.fee_item = make_item(board.school, name="校服费", amount=Decimal("200"))
        with pytest.raises(DatabaseError), transaction.atomic():
            entry.save()
