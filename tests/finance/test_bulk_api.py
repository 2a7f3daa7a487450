"""Bulk API actions of fee items: open the consents and generate the charges — for one item or for every
item of a term — through the same services as the item page; idempotent (run twice, nothing added)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import Charge, Consent
from logistics.workflow import guard

pytestmark = pytest.mark.django_db


def _scan():
    return SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


class TestBulkActions:
    def test_open_consents_and_charge_one_item_idempotent(self, school, people, klass, items, board, api):
        client = api(people.officer)
        url = f"/api/v1/finance/fee-items/{items.insurance.pk}/"
        first = client.post(url + "open-consents/", {}, format="json")
        assert first.status_code == 200, first.content
        assert first.json()["count"] == 3 and Consent.objects.filter(fee_item=items.insurance).count() == 3
        again = client.post(url + "open-consents/", {}, format="json")
        assert again.json()["count"] == 0 and Consent.objects.filter(fee_item=items.insurance).count() == 3
        for consent in Consent.objects.filter(fee_item=items.insurance)[:2]:
            guard.run(consent, "give", people.officer, signed_by="家长", paper_form=_scan())
        charged = client.post(url + "generate-charges/", {}, format="json")
        assert charged.json()["count"] == 2 and Charge.objects.filter(fee_item=items.insurance).count() == 2
        assert client.post(url + "generate-charges/", {}, format="json").json()["count"] == 0
        assert Charge.objects.filter(fee_item=items.insurance).count() == 2

    def test_term_actions_report_what_they_skip(self, school, people, klass, items, board, api):
        client = api(people.officer)
        body = {"period_label": "2026-2027学年"}
        opened = client.post("/api/v1/finance/fee-items/open-consents/", body, format="json")
        assert opened.status_code == 200, opened.content
        by_id = {row["id"]: row for row in opened.json()["items"]}
        assert by_id[items.insurance.pk]["count"] == 3 and by_id[items.meals.pk]["count"] == 3
        assert items.accommodation.pk not in by_id  # not voluntary: no consent asked
        assert client.post("/api/v1/finance/fee-items/open-consents/", body, format="json").json()["count"] == 0
        charged = client.post("/api/v1/finance/fee-items/generate-charges/", body, format="json").json()
        assert charged["count"] == 0  # no guardian agreed yet; the boarders-only fee has no boarder
        unknown = client.post("/api/v1/finance/fee-items/open-consents/", {"period_label": "1999"}, format="json")
        assert unknown.status_code == 400

    def test_not_on_the_board_is_refused_with_the_rule(self, school, people, klass, items, api):
        response = api(people.officer).post(
            f"/api/v1/finance/fee-items/{items.insurance.pk}/open-consents/", {}, format="json"
        )
        assert response.status_code == 400 and "应公示而未公示的不得收费" in str(response.json())
        assert not Consent.objects.exists()

    def test_who_may(self, school, people, klass, items, board, api, other_school, make_user):
        url = f"/api/v1/finance/fee-items/{items.insurance.pk}/open-consents/"
        assert api(people.teacher).post(url, {}, format="json").status_code == 403
        assert api(people.principal).post(url, {}, format="json").status_code == 403
        assert api(people.parent).post(url, {}, format="json").status_code in (403, 404)
        outsider = make_user(people.officer.memberships.first().role, other_school, username="other-officer")
        assert api(outsider).post(url, {}, format="json").status_code == 404
        term = api(outsider).post(
            "/api/v1/finance/fee-items/open-consents/", {"period_label": "2026-2027学年"}, format="json"
        )
        assert term.status_code == 400  # none of the other school's items: nothing done here
        assert not Consent.objects.exists()

    def test_documented_in_the_schema(self, api, people):
        schema = api(people.officer).get("/api/schema/?format=json").json()
        paths = schema["paths"]
        assert "/api/v1/finance/fee-items/{id}/open-consents/" in paths
        term = paths["/api/v1/finance/fee-items/generate-charges/"]["post"]
        assert "requestBody" in term
