"""Safety education events and drills (term rule, problems → hazards once, API), and the live
rotating-code screen at a checkpoint (secret link, current code, new link)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safety import drills
from safety.models import Checkpoint, Hazard, SafetyEvent
from safety.rounds import nfc_key

pytestmark = pytest.mark.django_db


def make_event(school, organiser, kind="fire_drill", day=None, **fields):
    return SafetyEvent.objects.create(
        school=school,
        kind=kind,
        title=fields.pop("title", "消防疏散演练"),
        held_on=day or timezone.localdate(),
        duration_minutes=30,
        participants=800,
        organiser=organiser,
        **fields,
    )


class TestSafetyEventTerms:
    @pytest.mark.parametrize(
        ("day", "start", "end"),
        [
            (datetime.date(2026, 2, 1), datetime.date(2026, 2, 1), datetime.date(2026, 8, 31)),
            (datetime.date(2026, 8, 31), datetime.date(2026, 2, 1), datetime.date(2026, 8, 31)),
            (datetime.date(2026, 9, 1), datetime.date(2026, 9, 1), datetime.date(2027, 1, 31)),
            (datetime.date(2027, 1, 31), datetime.date(2026, 9, 1), datetime.date(2027, 1, 31)),
        ],
    )
    def test_term_edges(self, day, start, end):
        assert drills.term_of(day) == (start, end)

    def test_drills_of_the_term_against_the_rule(self, school, people):
        today = datetime.date(2026, 11, 20)
        make_event(school, people.head, kind="traffic", day=datetime.date(2026, 10, 1))  # a lecture: not a drill
        make_event(school, people.head, day=datetime.date(2026, 8, 31))  # the term before (spring runs to 31 Aug)
        status = drills.term_status(school, today)
        assert (status["drills"], status["events"], status["minimum"], status["short"]) == (0, 1, 1, True)
        make_event(school, people.head, kind="earthquake_drill", day=datetime.date(2026, 9, 1))
        assert drills.term_status(school, today)["short"] is False


class TestSafetyEventProblems:
    def test_a_problem_opens_one_hazard(self, school, people, login):
        event = make_event(school, people.head, problems="三楼楼梯拥堵\n应急灯不亮")
        client = login(people.staff)
        url = reverse("safety:safetyevent_hazard", args=[event.pk, 1])
        first = client.post(url)
        hazard = Hazard.objects.get()
        assert first.status_code == 302 and hazard.origin == "safety.drill" and "应急灯不亮" in hazard.title
        assert hazard.source == event
        client.post(url)
        assert Hazard.objects.count() == 1
        page = client.get(event.get_absolute_url()).content.decode()
        assert hazard.reference in page
        assert client.post(reverse("safety:safetyevent_hazard", args=[event.pk, 9])).status_code == 302
        assert Hazard.objects.count() == 1

    def test_others_may_not(self, school, other_school, people, login, make_user):
        event = make_event(school, people.head, problems="三楼楼梯拥堵")
        stranger = make_user("logistics_head", other_school)
        assert login(stranger).post(reverse("safety:safetyevent_hazard", args=[event.pk, 0])).status_code == 404
        assert login(people.parent).post(reverse("safety:safetyevent_hazard", args=[event.pk, 0])).status_code in (
            403,
            404,
        )
        assert not Hazard.objects.exists()


class TestPagesAndApi:
    def test_the_form_refuses_a_future_date_and_keeps_the_input(self, school, people, login):
        client = login(people.head)
        data = {
            "kind": "fire_drill",
            "title": "消防疏散演练",
            "held_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "duration_minutes": 30,
            "participants": 900,
            "organiser": people.head.pk,
        }
        answer = client.post(reverse("safety:safetyevent_add"), data)
        assert answer.status_code == 400 and "消防疏散演练" in answer.content.decode()
        data["held_on"] = timezone.localdate().isoformat()
        assert client.post(reverse("safety:safetyevent_add"), data).status_code == 302
        assert SafetyEvent.objects.get().organiser == people.head
        assert client.get(reverse("safety:safetyevent_list")).status_code == 200

    def test_api(self, school, other_school, people, api, make_user):
        client = api(people.head)
        body = {
            "kind": "traffic",
            "title": "交通安全讲座",
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": 45,
            "participants": 400,
            "organiser": people.teacher.pk,
            "evacuation_seconds": 120,
        }
        assert client.post("/api/v1/safety/drills/", body, format="json").status_code == 400  # not a drill
        body.pop("evacuation_seconds")
        created = client.post("/api/v1/safety/drills/", body, format="json")
        assert created.status_code == 201, created.content
        stranger = make_user("teacher", other_school)
        assert (
            client.post("/api/v1/safety/drills/", {**body, "organiser": stranger.pk}, format="json").status_code == 400
        )
        assert api(people.teacher).post("/api/v1/safety/drills/", body, format="json").status_code == 403
        assert api(people.teacher).get("/api/v1/safety/drills/").json()["count"] == 1  # staff see them
        assert api(people.parent).get("/api/v1/safety/drills/").json()["count"] == 0  # not a parent's business
        outsider = make_user("logistics_head", other_school)
        assert api(outsider).get("/api/v1/safety/drills/").json()["count"] == 0

    def test_list_query_count_is_flat(self, school, people, login, django_assert_max_num_queries):
        client = login(people.head)
        make_event(school, people.head)
        client.get(reverse("safety:safetyevent_list"))
        with django_assert_max_num_queries(30) as few:
            client.get(reverse("safety:safetyevent_list"))
        for n in range(12):
            make_event(school, people.staff, title=f"演练{n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse("safety:safetyevent_list")).status_code == 200


class TestScreen:
    def rotating(self, school):
        return Checkpoint.objects.create(
            school=school, name="配电房", kind="power", spot="配电房", proof="rotating", rotation_minutes=10
        )

    def test_the_screen_shows_the_current_code_without_login(self, school, client):
        checkpoint = self.rotating(school)
        url = reverse("safety:checkpoint_screen", args=[checkpoint.pk, checkpoint.screen_key])
        with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 3, tzinfo=datetime.UTC), tick=False):
            answer = client.get(url)
            code = checkpoint.rotating_code()
        body = answer.content.decode()
        assert answer.status_code == 200 and code in body and answer["Cache-Control"] == "no-store"
        assert 'http-equiv="refresh" content="421"' in body  # 7 minutes to the next slot, plus one second
        assert checkpoint.secret not in body
        assert client.get(reverse("safety:checkpoint_screen", args=[checkpoint.pk, "wrong"])).status_code == 404

    def test_only_rotating_checkpoints_have_a_screen(self, school, client):
        checkpoint = Checkpoint.objects.create(school=school, name="校门", kind="gate", spot="校门")
        url = reverse("safety:checkpoint_screen", args=[checkpoint.pk, checkpoint.screen_key])
        assert client.get(url).status_code == 404

    def test_a_new_link_stops_the_old_one(self, school, people, login, client):
        checkpoint = self.rotating(school)
        old = reverse("safety:checkpoint_screen", args=[checkpoint.pk, checkpoint.screen_key])
        head = login(people.head)
        assert old in head.get(checkpoint.get_absolute_url()).content.decode()
        assert old not in login(people.guard).get(checkpoint.get_absolute_url()).content.decode()
        assert login(people.guard).post(reverse("safety:checkpoint_screen_link", args=[checkpoint.pk])).status_code in (
            403,
            404,
        )
        assert head.post(reverse("safety:checkpoint_screen_link", args=[checkpoint.pk])).status_code == 302
        checkpoint.refresh_from_db()
        assert client.get(old).status_code == 404
        assert (
            client.get(reverse("safety:checkpoint_screen", args=[checkpoint.pk, checkpoint.screen_key])).status_code
            == 200
        )


def test_nfc_ids_compare_as_read_by_web_nfc_or_typed():
    assert nfc_key("04:A2:3B:1C") == nfc_key("04a23b1c") == nfc_key(" 04-a2-3b-1c ")
