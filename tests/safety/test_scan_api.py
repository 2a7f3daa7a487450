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
        unknown = api(people.guard).post("/api/v1/safety/scans/", {**body, "checkpoint": "nope"}, format="json")
        assert unknown.status_code == 404 and "巡更点" in unknown.json()["detail"]
        from logistics.accounts.roles import Role

        stranger = make_user(Role.GUARD, other_school)
        with time_machine.travel(local(22, 5), tick=False):
            assert api(stranger).post("/api/v1/safety/scans/", body, format="json").status_code in (403, 404)
        assert not PatrolScan.objects.exists()

    def test_a_named_round_is_not_walked_hours_before_its_window(self, night, people, api):
        """The walk page names its round: tonight's round opened in the afternoon took scans (flagged, and
        started); before its window less its grace it is refused in words, nothing recorded."""
        round_ = PatrolRound.objects.filter(route=night).order_by("planned_start").first()
        checkpoint = RouteStop.objects.filter(route=night).order_by("position").first().checkpoint
        body = {"client_id": str(uuid.uuid4()), "checkpoint": checkpoint.code, "round": round_.pk}
        client = api(people.guard)
        with time_machine.travel(local(17, 27), tick=False):
            refused = client.post("/api/v1/safety/scans/", {**body, "device_time": local(17, 27).isoformat()})
        assert refused.status_code == 400
        assert "22:00" in refused.json()["errors"]["round"][0] and "21:50" in refused.json()["errors"]["round"][0]
        round_.refresh_from_db()
        assert round_.status == "scheduled" and not PatrolScan.objects.exists()
        with time_machine.travel(local(21, 52), tick=False):  # within the grace before: taken, flagged
            taken = client.post("/api/v1/safety/scans/", {**body, "device_time": local(21, 52).isoformat()})
        assert taken.status_code == 201 and taken.json()["flags"] == ["early"]

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
        # each measured page with a query string of its own: the list keeps its rendered rows
        # (``cache_rows``), and both measured pages must read theirs
        with django_assert_max_num_queries(25) as few:
            assert client.get(url + "?measured=1").status_code == 200
        with time_machine.travel(local(8), tick=False):
            rounds.generate_rounds(days_back=0, days_ahead=20)
        assert PatrolRound.objects.count() > 20
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url + "?measured=2").status_code == 200

    def test_rounds_list_filters(self, school, night, people, login):
        """The list's selects (rendered in one pass) keep what was chosen, and the rows follow them."""
        with time_machine.travel(local(8), tick=False):
            rounds.generate_rounds(days_back=0, days_ahead=3)
        day = make_route(school, people, names=("食堂",), name="白天巡查", start=datetime.time(9, 0))
        with time_machine.travel(local(8, 30), tick=False):
            rounds.generate_rounds(days_back=0, days_ahead=1)
        PatrolRound.objects.filter(route=night, planned_start=local(22)).update(status="missed", guard=people.guard2)
        client = login(people.head)
        url = reverse("safety:patrolround_list")
        page = client.get(url).content.decode()
        assert "白天巡查" in page and page.count("夜间巡更") > 2
        assert f'<option value="{people.guard2.pk}">{people.guard2}</option>' in page
        query = f"?status=missed&route={night.pk}&guard={people.guard2.pk}"
        page = client.get(url + query).content.decode()
        rows = page.split("<tbody>")[1].split("</tbody>")[0]
        assert rows.count("<tr>") == 1 and "夜间巡更" in rows and "白天巡查" not in rows and day.pk
        assert '<option value="missed" selected>' in page and f'<option value="{night.pk}" selected>' in page
        assert f'<option value="{people.guard2.pk}" selected>' in page

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


def test_my_rounds_are_grouped_by_day(school, night, people, login):
    """The guard's list names each day above its rounds (yesterday's 22:00 and tonight's both read 22:00)."""
    with time_machine.travel(local(20), tick=False):
        page = login(people.guard).get(reverse("safety:my_rounds")).content.decode()
    assert page.count('data-testid="day"') == 1 and "2026年12月1日 星期二" in page
    assert page.index('data-testid="day"') < page.index('data-testid="round-')


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
    are pinned and do not grow with the scans already in the round. With forced authentication (no session
    or user read, the user's memberships already read): a new scan is the checkpoint (with whether its client
    id was sent), the round locked with what its scans so far tell, the insert with the round's counters (one
    statement on PostgreSQL: the round's update in a CTE of the scan's insert) — plus SAVEPOINT / RELEASE here, where the test's transaction makes the scan's transaction a savepoint;
    one sent again is the checkpoint and the scan."""

    def test_pinned(self, night, people, api, django_assert_num_queries):
        from django.db import connection

        new = 5 if connection.vendor in rounds.ONE_STATEMENT_VENDORS else 6  # SQLite: the insert, then the update
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
            with django_assert_num_queries(new):
                assert client.post("/api/v1/safety/scans/", body(stops[0], 9), format="json").status_code == 201
            for minute in range(11, 20):
                client.post("/api/v1/safety/scans/", body(stops[0], minute), format="json")  # repeated scans
            with django_assert_num_queries(new):
                again = body(stops[1], 20)
                assert client.post("/api/v1/safety/scans/", again, format="json").status_code == 201
            with django_assert_num_queries(2):
                assert client.post("/api/v1/safety/scans/", again, format="json").status_code == 200
        assert PatrolScan.objects.filter(round_id=round_id).count() == 12


class TestScanAnswer:
    def test_the_answer_is_the_documented_serializer(self, night, people, api):
        """``rounds.scan_answer`` (the hot path's answer) gives exactly ``ScanSerializer``'s JSON (the
        schema's), for a clean scan, a flagged one and one with a code that is not valid."""
        from rest_framework.renderers import JSONRenderer

        from safety.api.serializers import ScanSerializer

        stops = list(RouteStop.objects.filter(route=night).order_by("position").select_related("checkpoint"))
        client = api(people.guard)
        answers = []

        def post(body):
            answer = client.post("/api/v1/safety/scans/", body, format="json").json()
            scan = PatrolScan.objects.select_related("round").get(pk=answer["id"])
            assert answer == json.loads(JSONRenderer().render(ScanSerializer(scan).data))
            assert json.loads(JSONRenderer().render(rounds.scan_answer(scan))) == answer
            answers.append(answer)

        with time_machine.travel(local(22, 5), tick=False):
            for stop, minute in ((stops[1], 2), (stops[0], 3)):  # the second: out of order
                body = {"client_id": str(uuid.uuid4()), "checkpoint": stop.checkpoint.code}
                post({**body, "device_time": local(22, minute).isoformat()})
        bad = stops[2].checkpoint
        bad.proof, bad.nfc_id = "nfc", "04:A2:3B"
        bad.save()
        with time_machine.travel(local(22, 20), tick=False):
            post({"client_id": str(uuid.uuid4()), "checkpoint": bad.code, "proof_code": "0000"})
        assert answers[1]["flags"] == ["out_of_order"] and answers[2]["flags"] == ["code_not_valid"]
        # the wrong tag did not prove the last checkpoint: the round is not complete, 2 of 3 done
        assert [a["round_status"] for a in answers] == ["in_progress", "in_progress", "in_progress"]
        assert answers[2]["done"] == 2 and answers[2]["total"] == 3
        with time_machine.travel(local(22, 21), tick=False):  # the right tag: done, and not "repeated"
            post({"client_id": str(uuid.uuid4()), "checkpoint": bad.code, "proof_code": "04a23b"})
        assert answers[3]["flags"] == [] and answers[3]["round_status"] == "complete" and answers[3]["done"] == 3


class TestScanStateFromTheRound:
    """The lock of the round reads what the flags need from its scans so far in the same query
    (``rounds._locked_round``). Against a plain reading of the rules over the scans in Python, for a long
    walk of repeats, skips, going back, quick and slow steps, right and wrong NFC tags (a wrong one proves
    nothing: it neither ticks its checkpoint nor makes the next right one a repeat)."""

    @staticmethod
    def expected(previous, positions, checkpoint_id, moment, minimum):
        seen = {p.checkpoint_id for p in previous if p.code_valid}
        furthest = max(
            (positions.get(p.checkpoint_id, 0) for p in previous if not p.repeated and p.code_valid), default=0
        )
        last = previous[-1] if previous else None
        repeated = checkpoint_id in seen
        return {
            "position": len(previous) + 1,
            "repeated": repeated,
            "out_of_order": not repeated and positions[checkpoint_id] < furthest,
            "too_fast": last is not None
            and last.checkpoint_id != checkpoint_id
            and abs((moment - last.effective_time).total_seconds()) < minimum,
        }

    @pytest.mark.parametrize("one_statement", [True, False], ids=["one-statement", "orm-save"])
    def test_flags_and_counters_follow_the_scans(self, school, people, one_statement, monkeypatch):
        """Both ways of writing the scan: one statement (PostgreSQL) and the ORM's save and update (SQLite)."""
        import random

        if not one_statement:
            monkeypatch.setattr(rounds, "ONE_STATEMENT_VENDORS", frozenset())

        from .conftest import make_route as make

        with time_machine.travel(local(8), tick=False):
            route = make(school, people, names=("东门", "宿舍楼", "配电房", "实验楼", "食堂", "西门"))
            rounds.generate_rounds()
        round_ = PatrolRound.objects.get(route=route, planned_start=local(22))
        stops = list(RouteStop.objects.filter(route=route).select_related("checkpoint").order_by("position"))
        positions = {s.checkpoint_id: s.position for s in stops}
        for stop in stops[1:3]:  # two checkpoints prove presence by their NFC tag
            stop.checkpoint.proof, stop.checkpoint.nfc_id = "nfc", f"04:A2:3B:{stop.position:02d}"
            stop.checkpoint.save()
        picker, hands = random.Random(11), random.Random(5)
        moment = local(22, 1)
        for step in range(40):
            moment += datetime.timedelta(seconds=picker.choice((5, 20, 45, 90)))
            checkpoint = picker.choice(stops[:5]).checkpoint  # the last stop never: the round stays open
            previous = list(PatrolScan.objects.filter(round=round_).order_by("position"))
            want = self.expected(previous, positions, checkpoint.pk, moment, route.min_seconds_between)
            tag = ""
            if checkpoint.proof == "nfc":
                tag = checkpoint.nfc_id if picker.random() < 0.6 else "04:00:00:00"
                want["code_valid"] = tag == checkpoint.nfc_id
            by_hand = hands.random() < 0.25  # picked from the list: flagged for a poster, ignored for a tag
            want["by_hand"] = by_hand and checkpoint.proof == "static"
            with time_machine.travel(moment + datetime.timedelta(seconds=3), tick=False):
                scan, created = rounds.record_scan(
                    user=people.guard,
                    checkpoint=checkpoint,
                    client_id=uuid.uuid4(),
                    device_time=moment,
                    proof_code=tag,
                    by_hand=by_hand,
                )
            assert created
            got = {name: getattr(scan, name) for name in want}
            assert got == want, step
            round_.refresh_from_db()
            scans = list(PatrolScan.objects.filter(round=round_))
            assert round_.stops_done == len({s.checkpoint_id for s in scans if s.code_valid}), step
            assert round_.flagged_scans == sum(s.flagged for s in scans), step
        assert round_.status == "in_progress" and round_.flagged_scans > 0
        assert {s.out_of_order for s in scans} == {True, False} and {s.too_fast for s in scans} == {True, False}
        assert {s.code_valid for s in scans} == {True, False} and {s.by_hand for s in scans} == {True, False}
        round_.refresh_from_db()
        counters = round_.stops_done, round_.flagged_scans
        rounds._recount(round_)  # the steps' recount agrees with the scan's counters
        assert (round_.stops_done, round_.flagged_scans) == counters


class TestChosenByHand:
    """A plain QR checkpoint picked from the list on the round page (the poster not read by the camera)
    counts but is flagged; a typed rotating code or NFC tag id is its own proof, so the mark is ignored."""

    def test_flagged_counted_and_shown(self, school, people, night, api, login):
        stops = list(RouteStop.objects.filter(route=night).select_related("checkpoint").order_by("position"))
        tagged = stops[2].checkpoint
        tagged.proof, tagged.nfc_id = "nfc", "04A23B"
        tagged.save()
        client = api(people.guard)
        answers = []
        for minute, (stop, by_hand, code) in enumerate(
            ((stops[0], False, ""), (stops[1], True, ""), (stops[2], True, "04:a2:3b")), start=5
        ):
            body = {"client_id": str(uuid.uuid4()), "checkpoint": stop.checkpoint.code, "proof_code": code}
            body |= {"by_hand": by_hand, "device_time": local(22, minute * 2).isoformat()}
            with time_machine.travel(local(22, minute * 2), tick=False):
                answers.append(client.post("/api/v1/safety/scans/", body, format="json").json())
        assert [a["flags"] for a in answers] == [[], ["by_hand"], []]
        assert answers[-1]["done"] == 3 and answers[-1]["round_status"] == "complete"
        round_ = PatrolRound.objects.get(pk=answers[0]["round"])
        assert round_.flagged_scans == 1
        assert list(round_.scans.order_by("position").values_list("by_hand", flat=True)) == [False, True, False]
        page = login(people.head).get(round_.get_absolute_url()).content.decode()
        assert page.count("手动选择") == 1
        not_a_bool = client.post(
            "/api/v1/safety/scans/",
            {"client_id": str(uuid.uuid4()), "checkpoint": stops[0].checkpoint.code, "by_hand": "maybe"},
            format="json",
        )
        assert not_a_bool.status_code == 400 and "by_hand" in not_a_bool.json()["errors"]


class TestCheckpointForScan:
    def test_the_current_school_wins_a_shared_code_and_sent_ids_are_per_school(
        self, school, other_school, people, make_user
    ):
        from logistics.accounts.roles import Role
        from logistics.tenancy.models import Membership
        from safety.models import Checkpoint

        guard = people.guard
        Membership.objects.create(user=guard, school=other_school, role=Role.GUARD)
        here = Checkpoint.objects.create(school=school, name="东门", code="shared-code")
        there = Checkpoint.objects.create(school=other_school, name="东门", code="shared-code")
        client_id = uuid.uuid4()
        assert rounds.checkpoint_for_scan(guard, "shared-code", client_id, school.pk) == here
        assert rounds.checkpoint_for_scan(guard, "shared-code", client_id, other_school.pk) == there
        assert rounds.checkpoint_for_scan(guard, "no-such-code", client_id, school.pk) is None
        with time_machine.travel(local(8), tick=False):
            route = make_route(school, people, names=("北门",))
            rounds.generate_rounds()
        north = Checkpoint.objects.get(school=school, name="北门")
        with time_machine.travel(local(22, 5), tick=False):
            scan, _created = rounds.record_scan(user=guard, checkpoint=north, client_id=client_id)
        found = rounds.checkpoint_for_scan(guard, north.code, client_id, school.pk)
        assert found.sent_scan_id == scan.pk and route.pk
        assert rounds.checkpoint_for_scan(guard, "shared-code", client_id, other_school.pk).sent_scan_id is None


class TestScanMovesTheRoundsVersion:
    def test_a_scan_moves_the_rounds_and_scans_data_versions(self, night, people, settings):
        """The scan and the round's counters are written by hand (one statement, no signal): the rounds and
        scans lists, kept by data versions with a shared cache, must still show them at once."""
        from logistics.tenancy import versions

        settings.KEPT_BY_VERSION = True
        checkpoint = RouteStop.objects.filter(route=night).order_by("position").first().checkpoint
        labels = ["safety.patrolround", "safety.patrolscan"]
        before = {label: versions.versions([label], [night.school_id]) for label in labels}
        with time_machine.travel(local(22, 6), tick=False):
            rounds.record_scan(user=people.guard, checkpoint=checkpoint, client_id=uuid.uuid4())
        after = {label: versions.versions([label], [night.school_id]) for label in labels}
        assert all(after[label] != before[label] for label in labels), (before, after)


class TestTheScanRow:
    def test_the_inserted_scan_is_whole_and_its_round_counted(self, night, people, api):
        """The hand-written insert keeps what the ORM's save would: the authors (the guard, from the change
        context of the request), the times, every flag; and the round's counters and change time."""
        stop = RouteStop.objects.filter(route=night).order_by("position").select_related("checkpoint").first()
        round_id = PatrolRound.objects.filter(route=night, planned_start=local(22)).values_list("pk", flat=True).get()
        client_id = uuid.uuid4()
        with time_machine.travel(local(22, 6), tick=False):
            answer = api(people.guard).post(
                "/api/v1/safety/scans/",
                {"client_id": str(client_id), "checkpoint": stop.checkpoint.code, "round": round_id},
                format="json",
            )
        assert answer.status_code == 201
        scan = PatrolScan.objects.get(pk=answer.json()["id"])
        assert (scan.client_id, scan.round_id, scan.checkpoint_id, scan.guard_id) == (
            client_id,
            round_id,
            stop.checkpoint_id,
            people.guard.pk,
        )
        assert scan.created_by_id == scan.updated_by_id == people.guard.pk
        assert scan.created == scan.updated == scan.scanned_at == local(22, 6) and scan.position == 1
        round_ = PatrolRound.objects.get(pk=round_id)
        assert (round_.stops_done, round_.flagged_scans, round_.updated) == (1, scan.flagged, local(22, 6))


class TestScanOfAWrongRound:
    def test_a_round_that_is_no_id_is_refused_with_a_message(self, night, people, api):
        """The round's id reaches hand-written SQL: one beyond the column is a 400 with the field named."""
        stop = RouteStop.objects.filter(route=night).order_by("position").select_related("checkpoint").first()
        client = api(people.guard)
        for value in (2**63, 0, -5):
            body = {"client_id": str(uuid.uuid4()), "checkpoint": stop.checkpoint.code, "round": value}
            answer = client.post("/api/v1/safety/scans/", body, format="json")
            assert answer.status_code == 400 and "round" in json.dumps(answer.json()), value
        body = {"client_id": str(uuid.uuid4()), "checkpoint": stop.checkpoint.code, "round": 2**62}
        answer = client.post("/api/v1/safety/scans/", body, format="json")  # an id no round has
        assert answer.status_code == 400 and "round" in json.dumps(answer.json())
