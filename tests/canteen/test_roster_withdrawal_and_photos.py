"""Roster entries withdrawn by mistake (today's or a future day's, never a past day's; kept on record,
never deleted) and hygiene inspections' photos through the API (multipart, returned per result)."""

import datetime
import io
import json

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from canteen import roster
from canteen.models import DutyAssignment, HealthCertificate, HygieneInspection, InspectionResult
from logistics.attachments.models import Attachment
from logistics.audit.models import ChangeRecord

from .conftest import NOON
from .test_inspections import P, inspect, make_template

TODAY = datetime.date(2026, 12, 3)
ROSTER = "/api/v1/canteen/roster/"
INSPECTIONS = "/api/v1/canteen/inspections/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def certified(school, people):
    for person in (people.cook, people.cook2):
        HealthCertificate.objects.create(
            school=school,
            person=person,
            number=f"JK{person.pk}",
            issued_on=TODAY - datetime.timedelta(days=300),
            valid_until=TODAY + datetime.timedelta(days=300),
        )


def on(school, people, day, meal="lunch", person=None):
    return roster.assign(school=school, person=person or people.cook, day=day, meal=meal, actor=people.manager)


class TestRosterWithdrawal:
    def test_today_is_withdrawn_kept_and_the_person_can_be_put_on_again(self, frozen, certified, school, people):
        duty = on(school, people, TODAY)
        roster.withdraw(duty, actor=people.manager, reason="排错了餐次")
        duty.refresh_from_db()
        assert duty.withdrawn_at is not None and duty.withdrawn_by == people.manager
        assert duty.withdrawal_reason == "排错了餐次"
        assert roster.day_roster(school, TODAY) == []
        assert roster.withdrawn_of(school, TODAY) == [duty]
        again = on(school, people, TODAY)  # the slot is free again; the withdrawn entry stays
        assert DutyAssignment.objects.filter(school=school, date=TODAY).count() == 2
        assert [d for d, _w in roster.day_roster(school, TODAY)] == [again]
        assert ChangeRecord.objects.filter(object_id=duty.pk, event="canteen.duty.withdrawn").exists()

    def test_future_allowed_past_refused_twice_refused_reason_required(self, frozen, certified, school, people):
        future = on(school, people, TODAY + datetime.timedelta(days=1))
        with pytest.raises(Exception, match="."):
            roster.withdraw(future, actor=people.manager, reason="  ")
        roster.withdraw(future, actor=people.manager, reason="明天不上班")
        with pytest.raises(Exception, match="."):
            roster.withdraw(future, actor=people.manager, reason="again")
        yesterday = TODAY - datetime.timedelta(days=1)
        with time_machine.travel(NOON - datetime.timedelta(days=1), tick=False):
            past = on(school, people, yesterday)
        with pytest.raises(Exception, match="2026-12-02"):
            roster.withdraw(past, actor=people.manager, reason="x")
        past.refresh_from_db()
        assert past.withdrawn_at is None
        assert DutyAssignment.objects.count() == 2  # nothing deleted

    def test_page_button_form_and_permissions(self, frozen, certified, school, people, login):
        duty = on(school, people, TODAY)
        manager = login(people.manager)
        page = manager.get(reverse("canteen:roster")).content.decode()
        assert 'data-testid="withdraw-duty"' in page
        url = reverse("canteen:roster_withdraw", args=[duty.pk])
        assert 'data-testid="withdraw-form"' in manager.get(url).content.decode()
        assert manager.post(url, {"reason": ""}).status_code == 400
        for user in (people.cook, people.head, people.principal):
            assert 'data-testid="withdraw-duty"' not in login(user).get(reverse("canteen:roster")).content.decode()
            assert login(user).post(url, {"reason": "x"}).status_code == 403
        assert manager.post(url, {"reason": "人员安排错误"}).status_code == 302
        page = manager.get(reverse("canteen:roster")).content.decode()
        assert 'data-testid="withdrawn-duty"' in page and "人员安排错误" in page
        assert 'data-testid="withdraw-duty"' not in page

    def test_past_day_shows_no_button_and_the_page_refuses(self, frozen, certified, school, people, login):
        with time_machine.travel(NOON - datetime.timedelta(days=1), tick=False):
            past = on(school, people, TODAY - datetime.timedelta(days=1))
        manager = login(people.manager)
        page = manager.get(reverse("canteen:roster"), {"date": "2026-12-02"}).content.decode()
        assert 'data-testid="duty"' in page and 'data-testid="withdraw-duty"' not in page
        url = reverse("canteen:roster_withdraw", args=[past.pk])
        assert 'data-testid="withdraw-refused"' in manager.get(url).content.decode()
        assert manager.post(url, {"reason": "x"}).status_code == 400
        past.refresh_from_db()
        assert past.withdrawn_at is None

    def test_api_withdraw(self, frozen, certified, school, people, api, other_manager):
        duty = on(school, people, TODAY)
        url = f"{ROSTER}{duty.pk}/withdraw/"
        assert api(people.cook).post(url, {"reason": "x"}, format="json").status_code == 403
        assert api(other_manager).post(url, {"reason": "x"}, format="json").status_code == 404
        assert api(people.manager).post(url, {}, format="json").status_code == 400
        done = api(people.manager).post(url, {"reason": "录入错误"}, format="json")
        assert done.status_code == 200, done.json()
        assert done.json()["withdrawn_at"] and done.json()["withdrawal_reason"] == "录入错误"
        assert done.json()["withdrawn_by"]["id"] == people.manager.pk
        again = api(people.manager).post(url, {"reason": "x"}, format="json")
        assert again.status_code == 400
        client = api(people.manager)
        assert client.get(ROSTER).json()["count"] == 1
        assert client.get(ROSTER, {"in_force": "true"}).json()["count"] == 0


def png(colour=(10, 200, 10), name="p.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class TestInspectionPhotosThroughTheApi:
    def test_multipart_with_photos_returned_per_result(self, frozen, school, people, api, login):
        template = make_template(school)
        a, b = template.items.order_by("position")
        results = [{"item": a.pk, "result": "pass"}, {"item": b.pk, "result": "fail", "note": "纱窗破"}]
        body = {
            "template": template.pk,
            "results": json.dumps(results),
            "photos": [png(), png((200, 10, 10), "q.png")],
            "photo_items": [b.pk, b.pk],
        }
        made = api(people.cook).post(INSPECTIONS, body, format="multipart")
        assert made.status_code == 201, made.json()
        by_item = {r["item"]: r for r in made.json()["results"]}
        assert len(by_item[b.pk]["photos"]) == 2 and by_item[a.pk]["photos"] == []
        url = by_item[b.pk]["photos"][0]["url"]
        assert login(people.manager).get(url).status_code == 200
        inspection = HygieneInspection.objects.get(pk=made.json()["id"])
        detail = api(people.manager).get(f"{INSPECTIONS}{inspection.pk}/").json()
        assert [len(r["photos"]) for r in detail["results"]] == [0, 2]
        listed = api(people.manager).get(INSPECTIONS).json()["results"][0]
        assert [len(r["photos"]) for r in listed["results"]] == [0, 2]

    def test_json_still_works_and_bad_photo_bodies_are_refused(self, frozen, school, people, api):
        template = make_template(school)
        a, b = template.items.order_by("position")
        results = [{"item": a.pk, "result": "pass"}, {"item": b.pk, "result": "pass"}]
        client = api(people.manager)
        unpaired = client.post(
            INSPECTIONS,
            {"template": template.pk, "results": json.dumps(results), "photos": [png()]},
            format="multipart",
        )
        assert unpaired.status_code == 400 and "photo_items" in unpaired.json()["errors"]
        stranger = client.post(
            INSPECTIONS,
            {"template": template.pk, "results": json.dumps(results), "photos": [png()], "photo_items": [999999]},
            format="multipart",
        )
        assert stranger.status_code == 400 and "photo_items" in stranger.json()["errors"]
        not_json = client.post(INSPECTIONS, {"template": template.pk, "results": "{oops"}, format="multipart")
        assert not_json.status_code == 400 and "results" in not_json.json()["errors"]
        not_image = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
        bad = client.post(
            INSPECTIONS,
            {"template": template.pk, "results": json.dumps(results), "photos": [not_image], "photo_items": [a.pk]},
            format="multipart",
        )
        assert bad.status_code == 400
        assert not HygieneInspection.objects.exists() and not Attachment.objects.exists()
        plain = client.post(INSPECTIONS, {"template": template.pk, "results": results}, format="json")
        assert plain.status_code == 201 and all(r["photos"] == [] for r in plain.json()["results"])

    def test_list_queries_stay_flat_with_photos(self, frozen, school, people, api):
        templates = [make_template(school, name=f"表{n}") for n in range(2)]
        client = api(people.manager)
        inspect(templates[0], people.manager, P, P, day=datetime.date(2026, 11, 1))
        client.get(INSPECTIONS)
        with CaptureQueriesContext(connection) as few:
            client.get(INSPECTIONS)
        for n in range(2, 8):
            inspection = inspect(templates[n % 2], people.cook, P, P, day=datetime.date(2026, 11, n))
            Attachment.objects.create(
                school=school,
                content_type=ContentType.objects.get_for_model(InspectionResult),
                object_id=inspection.results.first().pk,
                file=png(),
                kind="photo",
                caption="x",
            )
        with CaptureQueriesContext(connection) as many:
            assert client.get(INSPECTIONS).json()["count"] == 7
        assert len(many) == len(few) <= 9  # the photos of the page's results: one query

    def test_schema_documents_the_multipart_body(self, api, people):
        schema = api(people.manager).get("/api/schema/", HTTP_ACCEPT="application/json").json()
        content = schema["paths"][INSPECTIONS]["post"]["requestBody"]["content"]
        multipart = content["multipart/form-data"]
        assert multipart["encoding"]["results"]["contentType"] == "application/json"
        ref = multipart["schema"]["$ref"].rsplit("/", 1)[-1]
        props = schema["components"]["schemas"][ref]["properties"]
        assert props["photos"]["items"]["format"] == "binary" and "photo_items" in props
