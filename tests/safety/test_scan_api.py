"""The scan endpoint the guard's phone posts to: idempotent by client id, small answers, refusals in
words; the patrol pages' query counts."""

import datetime
import json
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safety import rounds
from safety.models import PatrolRound, PatrolScan, RouteStop

from .conftest import make_route

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)


def local(hh, mm=0):
    return timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(hh, mm)))


@pytest.fixture
def night(school, people):
    with time_machine.travel(local(8), tick=False):
        route = make_route(school, people)
        rounds.generate_rounds()
    return route


class TestPatrolScanApi:
    def test_idempotent_and_small(self, night, people, api):
        checkpoint = RouteStop.objects.filter(route=night).order_by("position").first().checkpoint
        body = {"client_id": str(uuid.uuid4()), "checkpoint": checkpoint.code, "device_time": local(22, 5).isoformat()}
        client = api(people.guard)
        with time_machine.travel(local(22, 6), tick=False):
            first = client.post("/api/v1/safety/scans/", body, format="json")
            again = client.post("/api/v1/safety/scans/", body, format="json")
        assert first.status_code == 201 and again.status_code == 200
        assert first.json() == again.json()
        assert PatrolScan.objects.count() == 1
        assert set(first.json()) == {
            "id",
            "client_id",
            "round",
            "checkpoint",
            "position",
            "flags",
            "round_status",
            "done",
            "total",
        }
        assert len(first.content) < 300

    def test_refusals(self, night, people, api, other_school, make_user):
        checkpoint = RouteStop.objects.filter(route=night).first().checkpoint
        body = {"client_id": str(uuid.uuid4()), "checkpoint": checkpoint.code}
        with time_machine.travel(local(12), tick=False):  # no round due at noon
            response = api(people.guard).post("/api/v1/safety/scans/", body, format="json")
        assert response.status_code == 400 and "巡更任务" in json.dumps(response.json(), ensure_ascii=False)
        assert api(people.teacher).post("/api/v1/safety/scans/", body, format="json").status_code in (403, 404)
        from logistics.accounts.roles import Role

        stranger = make_user(Role.GUARD, other_school)
        with time_machine.travel(local(22, 5), tick=False):
            assert api(stranger).post("/api/v1/safety/scans/", body, format="json").status_code in (403, 404)
        assert not PatrolScan.objects.exists()

    def test_round_steps_in_the_api(self, night, people, api):
        round_ = PatrolRound.objects.filter(route=night).order_by("planned_start").first()
        with time_machine.travel(local(22, 1), tick=False):
            response = api(people.guard).post(f"/api/v1/safety/rounds/{round_.pk}/start/", {}, format="json")
            assert response.status_code == 200 and response.json()["status"] == "in_progress"
            response = api(people.guard).post(f"/api/v1/safety/rounds/{round_.pk}/finish/", {}, format="json")
        assert response.json()["status"] == "incomplete"
        response = api(people.guard).post(
            f"/api/v1/safety/rounds/{round_.pk}/explain/", {"explanation": "对讲机没电，返回值班室"}, format="json"
        )
        assert response.status_code == 200 and response.json()["status"] == "explained"


class TestPatrolPages:
    def test_rounds_list_query_count_is_flat(self, school, night, people, login, django_assert_max_num_queries):
        client = login(people.head)
        url = reverse("safety:patrolround_list")
        client.get(url)
        with django_assert_max_num_queries(25) as few:
            assert client.get(url).status_code == 200
        with time_machine.travel(local(8), tick=False):
            rounds.generate_rounds(days_back=0, days_ahead=20)
        assert PatrolRound.objects.count() > 20
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200

    def test_pages_open(self, school, night, people, login):
        round_ = PatrolRound.objects.filter(route=night).first()
        checkpoint = RouteStop.objects.filter(route=night).first().checkpoint
        head, guard_ = login(people.head), login(people.guard)
        for client, url in (
            (head, reverse("safety:route_list")),
            (head, night.get_absolute_url()),
            (head, reverse("safety:route_edit", args=[night.pk])),
            (head, reverse("safety:checkpoint_list")),
            (head, checkpoint.get_absolute_url()),
            (head, reverse("safety:checkpoint_poster", args=[checkpoint.pk])),
            (head, round_.get_absolute_url()),
            (guard_, reverse("safety:my_rounds")),
            (guard_, reverse("safety:walk", args=[round_.pk])),
            (guard_, reverse("safety:scan_code", args=[checkpoint.code])),
            (guard_, reverse("safety:service_worker")),
        ):
            assert client.get(url).status_code == 200, url
        assert 'data-testid="non-compliant"' in head.get(reverse("safety:route_list")).content.decode()
        assert login(people.parent).get(reverse("safety:walk", args=[round_.pk])).status_code in (403, 404)


class TestScanHistory:
    """A scan is an append-only event: its row is the record; creating it writes no change record, and the
    round's counters following it write none either — the round's status changes still do."""

    def test_no_change_record_per_scan(self, school, people, route):
        import datetime as dt
        import uuid as uuid_module

        import time_machine
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone as tz

        from logistics.audit.models import ChangeRecord
        from safety import rounds as rounds_module
        from safety.models import PatrolRound, PatrolScan

        day = tz.localdate() + dt.timedelta(days=1)  # tomorrow: always after the route was made, whatever the hour
        start = tz.make_aware(dt.datetime.combine(day, dt.time(22, 0)))
        with time_machine.travel(start - dt.timedelta(hours=1), tick=False):
            rounds_module.generate_rounds()
        round_ = PatrolRound.objects.get(route=route, planned_start=start)
        stops = list(route.stops.select_related("checkpoint").order_by("position"))
        with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
            rounds_module.record_scan(user=people.guard, checkpoint=stops[0].checkpoint, client_id=uuid_module.uuid4())
        with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
            rounds_module.record_scan(user=people.guard, checkpoint=stops[1].checkpoint, client_id=uuid_module.uuid4())
        assert PatrolScan.objects.filter(round=round_).count() == 2
        scan_type = ContentType.objects.get_for_model(PatrolScan)
        round_type = ContentType.objects.get_for_model(PatrolRound)
        assert not ChangeRecord.objects.filter(content_type=scan_type).exists()
        round_records = ChangeRecord.objects.filter(content_type=round_type, object_id=round_.pk)
        assert all("stops_done" not in (r.after or {}) for r in round_records)
        assert round_records.filter(after__status="in_progress").exists()  # the start is recorded


class TestScanQueryCount:
    """The scan is the guard's hot path (docs/benchmarks.md): the queries of a new scan and of one sent again
    are pinned and do not grow with the scans already in the round."""

    def test_pinned(self, night, people, api, django_assert_max_num_queries):
        stops = list(RouteStop.objects.filter(route=night).order_by("position").select_related("checkpoint"))
        round_id = PatrolRound.objects.filter(route=night, planned_start=local(22)).values_list("pk", flat=True).get()
        client = api(people.guard)

        def body(stop, minute):
            return {
                "client_id": str(uuid.uuid4()),
                "checkpoint": stop.checkpoint.code,
                "device_time": local(22, minute).isoformat(),
                "round": round_id,
            }

        with time_machine.travel(local(22, 5), tick=False):
            assert client.post("/api/v1/safety/scans/", body(stops[0], 4), format="json").status_code == 201
        with time_machine.travel(local(22, 10), tick=False):
            with django_assert_max_num_queries(12):
                assert client.post("/api/v1/safety/scans/", body(stops[0], 9), format="json").status_code == 201
            for minute in range(11, 20):
                client.post("/api/v1/safety/scans/", body(stops[0], minute), format="json")  # repeated scans
            with django_assert_max_num_queries(12):
                again = body(stops[1], 20)
                assert client.post("/api/v1/safety/scans/", again, format="json").status_code == 201
            with django_assert_max_num_queries(7):
                assert client.post("/api/v1/safety/scans/", again, format="json").status_code == 200
