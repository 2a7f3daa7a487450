"""Consents for voluntary fees: asked only for published items, answered online by a guardian or on a
signed paper form by the class teacher, withdrawn with a reason; who sees which."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance import services
from finance.choices import ConsentChannel, ConsentStatus
from finance.models import Consent
from logistics.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def consents(school, people, klass, items, board):
    services.open_consents(items.insurance, people.officer)
    return {c.student_id: c for c in Consent.objects.filter(fee_item=items.insurance)}


class TestConsent:
    def test_asked_only_once_the_item_is_published(self, school, people, klass, items):
        with pytest.raises(Exception, match="应公示而未公示"):
            services.open_consents(items.insurance, people.officer)
        assert not Consent.objects.exists()

    def test_one_per_student_in_scope(self, consents, klass, items, people):
        assert set(consents) == {s.pk for s in klass.students}
        assert services.open_consents(items.insurance, people.officer) == 0  # asking again adds nobody

    def test_parent_gives_online_for_own_child_only(self, consents, klass, people, api):
        mine, theirs = consents[klass.students[0].pk], consents[klass.students[1].pk]
        client = api(people.parent)
        response = client.post(f"/api/v1/finance/consents/{mine.pk}/give/", {}, format="json")
        assert response.status_code == 200, response.json()
        mine.refresh_from_db()
        assert mine.status == ConsentStatus.GIVEN and mine.channel == ConsentChannel.ONLINE
        assert mine.decided_by == people.parent and mine.decided_at is not None
        assert client.post(f"/api/v1/finance/consents/{theirs.pk}/give/", {}, format="json").status_code == 404
        listed = client.get("/api/v1/finance/consents/").json()["results"]
        assert [row["id"] for row in listed] == [mine.pk]

    def test_teacher_records_paper_form_with_scan(self, consents, klass, people, api):
        consent = consents[klass.students[2].pk]
        client = api(people.teacher)
        url = f"/api/v1/finance/consents/{consent.pk}/decline/"
        response = client.post(url, {}, format="multipart")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"signed_by", "paper_form"}
        scan = SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf")
        response = client.post(url, {"signed_by": "张三（父亲）", "paper_form": scan}, format="multipart")
        assert response.status_code == 200, response.json()
        consent.refresh_from_db()
        assert consent.status == ConsentStatus.DECLINED and consent.channel == ConsentChannel.PAPER
        assert consent.signed_by == "张三（父亲）" and consent.paper_form
        # another class's teacher sees nothing of it
        assert api(people.teacher2).post(url, {}, format="json").status_code == 404

    def test_revoke_needs_a_reason_and_is_kept(self, consents, klass, people, api):
        consent = consents[klass.students[0].pk]
        client = api(people.parent)
        client.post(f"/api/v1/finance/consents/{consent.pk}/give/", {}, format="json")
        url = f"/api/v1/finance/consents/{consent.pk}/revoke/"
        assert client.post(url, {}, format="json").status_code == 400
        assert client.post(url, {"reason": "孩子已在外投保"}, format="json").status_code == 200
        consent.refresh_from_db()
        assert consent.status == ConsentStatus.REVOKED and consent.revoke_reason == "孩子已在外投保"
        assert client.post(url, {"reason": "again"}, format="json").status_code == 409

    def test_class_teacher_reminds_guardians(self, consents, klass, people, login):
        response = login(people.teacher).post(reverse("finance:consent_remind"), {})
        assert response.status_code == 302
        reminded = set(Notification.objects.values_list("recipient_id", flat=True))
        assert reminded == {people.parent.pk, people.parent2.pk}
        login(people.teacher).post(reverse("finance:consent_remind"), {})
        assert Notification.objects.count() == 2  # once a day

    def test_class_teacher_sees_own_class_only(self, consents, people, login, klass):
        page = login(people.teacher).get(reverse("finance:consent_list"))
        assert page.status_code == 200 and klass.students[2].name in page.content.decode()
        page = login(people.teacher2).get(reverse("finance:consent_list"))
        assert klass.students[2].name not in page.content.decode()

    def test_list_queries_do_not_grow_with_rows(self, consents, school, people, login, klass, items):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from ..factories import StudentFactory

        client = login(people.officer)
        url = reverse("finance:consent_list")
        client.get(url)  # warm the caches (menu, school)
        # each measured page with a query string of its own: the list keeps its rendered rows (cache_rows)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url + "?measured=1").status_code == 200
        for i in range(6):
            StudentFactory(school=school, school_class=klass.school_class, name=f"新生{i}")
        services.open_consents(items.insurance, people.officer)
        services.open_consents(items.meals, people.officer)
        client.get(url)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url + "?measured=2").status_code == 200
        assert len(many.captured_queries) == len(few.captured_queries)
        api_queries = []
        for _round in range(2):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/api/v1/finance/consents/").status_code == 200
            api_queries.append(len(ctx.captured_queries))
        assert api_queries[0] == api_queries[1] <= 8
