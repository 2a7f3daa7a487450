"""Patrols: rounds generated idempotently, scans flagged (late / out of order / too fast / repeated)
with frozen time, rotating codes, offline replays counted once, rounds ended and explained."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from logistics.notifications.models import Notification
from logistics.reminders.services import scan as reminder_scan
from logistics.workflow import guard
from safety import rounds
from safety.choices import RoundStatus
from safety.models import Checkpoint, PatrolRound, PatrolScan, RouteStop

from .conftest import make_route

pytestmark = pytest.mark.django_db

R = RoundStatus


def local(day, hh, mm=0, ss=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hh, mm, ss)))


DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def night(school, people):
    """A route set up at 08:00; the 22:00 round of DAY generated."""
    with time_machine.travel(local(DAY, 8), tick=False):
        route = make_route(school, people)
        rounds.generate_rounds()
    return route


def stops(route):
    return [
        s.checkpoint for s in RouteStop.objects.filter(route=route).select_related("checkpoint").order_by("position")
    ]


def the_round(route, day=DAY):
    return PatrolRound.objects.get(route=route, planned_start=local(day, 22))


def scan(user, checkpoint, at, **kwargs):
    kwargs.setdefault("client_id", uuid.uuid4())
    with time_machine.travel(kwargs.pop("received", at), tick=False):
        return rounds.record_scan(user=user, checkpoint=checkpoint, device_time=at, **kwargs)


class TestPatrolRoundGeneration:
    def test_idempotent_across_repeated_scans(self, night):
        first = PatrolRound.objects.filter(route=night).count()
        assert first >= 2  # DAY and the day after (and none before the schedule existed)
        with time_machine.travel(local(DAY, 8, 30), tick=False):
            assert rounds.generate_rounds() == 0
            reminder_scan()
            reminder_scan()
        assert PatrolRound.objects.filter(route=night).count() == first
        assert not PatrolRound.objects.filter(route=night, planned_start__lt=local(DAY, 0)).exists()
        round_ = the_round(night)
        assert round_.stops_total == 3 and round_.guard.username == "guard"
        assert round_.planned_end == local(DAY, 23) and round_.grace_until == local(DAY, 23, 10)

    def test_weekdays_are_kept(self, school, people):
        with time_machine.travel(local(DAY, 8), tick=False):  # DAY is a Tuesday
            route = make_route(school, people, names=("实验楼",), name="周一巡查")
            schedule = route.schedules.get()
            schedule.weekdays = "1"
            schedule.save()
            rounds.generate_rounds(days_back=0, days_ahead=6)
        days = {timezone.localtime(r.planned_start).isoweekday() for r in PatrolRound.objects.filter(route=route)}
        assert days == {1}


class TestPatrolScan:
    def test_a_clean_round_completes(self, night, people):
        a, b, c = stops(night)
        for minute, checkpoint in ((5, a), (15, b), (25, c)):
            saved, created = scan(people.guard, checkpoint, local(DAY, 22, minute))
            assert created and not saved.flagged
        round_ = the_round(night)
        assert round_.status == R.COMPLETE and round_.outcome == R.COMPLETE and round_.stops_done == 3
        assert [s.position for s in round_.scans.order_by("position")] == [1, 2, 3]

    def test_flags(self, night, people):
        a, b, c = stops(night)
        scan(people.guard, b, local(DAY, 22, 5))  # b before a: fine so far
        first_a, _ = scan(people.guard, a, local(DAY, 22, 15))
        assert first_a.out_of_order and not first_a.late
        too_fast, _ = scan(people.guard, c, local(DAY, 22, 15, 10))  # 10 s after a (route: ≥ 30 s)
        assert too_fast.too_fast
        round_ = the_round(night)
        assert round_.status == R.COMPLETE  # every checkpoint scanned, with flags
        assert round_.flagged_scans == 2

    def test_late_and_repeated(self, night, people):
        a, b, c = stops(night)
        scan(people.guard, a, local(DAY, 22, 5))
        again, _ = scan(people.guard, a, local(DAY, 22, 10))
        assert again.repeated and not again.out_of_order
        late, _ = scan(people.guard, b, local(DAY, 23, 5))  # after the window, within the grace
        assert late.late
        with pytest.raises(ValidationError):  # after the grace: no round is due
            scan(people.guard, c, local(DAY, 23, 20))

    def test_an_early_scan_is_shown_early_not_late(self, night, people, login):
        """A scan in the grace before the window opens is outside the round's time (the ``late`` flag)
        but the round's page says it came early."""
        a, b, c = stops(night)
        early, _ = scan(people.guard, a, local(DAY, 21, 55))
        late, _ = scan(people.guard, b, local(DAY, 23, 5))
        assert early.late and late.late
        page = login(people.head).get(the_round(night).get_absolute_url()).content.decode()
        assert page.count('data-testid="early"') == 1 and "提前" in page and "超时" in page

    def test_offline_replay_counts_once(self, night, people):
        a, b, c = stops(night)
        ids = [uuid.uuid4() for _ in range(3)]
        batch = [(a, local(DAY, 22, 5), ids[0]), (b, local(DAY, 22, 15), ids[1]), (c, local(DAY, 22, 25), ids[2])]
        for _attempt in range(2):  # the phone sends its whole queue twice, 40 minutes later
            for checkpoint, at, client_id in batch:
                scan(people.guard, checkpoint, at, client_id=client_id, received=local(DAY, 23, 5))
        assert PatrolScan.objects.filter(round__route=night).count() == 3
        round_ = the_round(night)
        assert round_.status == R.COMPLETE and round_.stops_done == 3
        delays = set(round_.scans.values_list("delay_seconds", flat=True))
        assert max(delays) == 60 * 60 and not any(s.late for s in round_.scans.all())

    def test_scans_received_after_the_round_was_closed_complete_it(self, night, people):
        a, b, c = stops(night)
        scan(people.guard, a, local(DAY, 22, 5))
        with time_machine.travel(local(DAY, 23, 15), tick=False):
            rounds.close_overdue()
        assert the_round(night).status == R.INCOMPLETE
        for checkpoint, minute in ((b, 15), (c, 25)):
            scan(people.guard, checkpoint, local(DAY, 22, minute), received=local(DAY, 23, 30))
        assert the_round(night).status == R.COMPLETE

    def test_a_round_walked_offline_after_it_was_marked_missed_takes_its_scans(self, night, people):
        """No network for the whole round: the server saw no scan by the grace time and marked it missed;
        the phone's queue arrives later and the round is what the guard walked — nothing is lost."""
        a, b, c = stops(night)
        with time_machine.travel(local(DAY, 23, 15), tick=False):
            rounds.close_overdue()
        assert the_round(night).status == R.MISSED
        round_id = the_round(night).pk
        for checkpoint, minute in ((a, 5), (b, 15)):
            scan(people.guard, checkpoint, local(DAY, 22, minute), round_id=round_id, received=local(DAY, 23, 40))
        walked = the_round(night)
        assert walked.status == R.INCOMPLETE and walked.outcome == R.INCOMPLETE and walked.stops_done == 2
        assert walked.guard == people.guard and walked.started_at == local(DAY, 22, 5)
        scan(people.guard, c, local(DAY, 22, 25), received=local(DAY, 23, 45))  # found by its time, no round id
        assert the_round(night).status == R.COMPLETE
        assert PatrolScan.objects.filter(round=walked).count() == 3

    def test_a_missed_round_refuses_scans_made_after_its_grace_time(self, night, people):
        a, *_ = stops(night)
        with time_machine.travel(local(DAY, 23, 15), tick=False):
            rounds.close_overdue()
        with pytest.raises(ValidationError) as refused:
            scan(people.guard, a, local(DAY, 23, 20), round_id=the_round(night).pk)
        assert "round" in refused.value.message_dict
        assert the_round(night).status == R.MISSED and not PatrolScan.objects.exists()

    def test_a_phone_clock_far_ahead_is_not_trusted(self, night, people):
        a, *_ = stops(night)
        saved, _ = scan(people.guard, a, local(DAY, 23, 55), received=local(DAY, 22, 5))
        assert not saved.late  # judged by the time it was received

    def test_another_guards_round_is_refused(self, night, people):
        a, *_ = stops(night)
        with pytest.raises(ValidationError):
            scan(people.guard2, a, local(DAY, 22, 5))


class TestCheckpoint:
    def test_rotating_codes_accept_the_current_and_previous_slot_only(self, school):
        checkpoint = Checkpoint.objects.create(school=school, name="配电房", proof="rotating", rotation_minutes=10)
        now = local(DAY, 22, 25)
        current = checkpoint.rotating_code(now)
        previous = checkpoint.rotating_code(now - datetime.timedelta(minutes=10))
        older = checkpoint.rotating_code(now - datetime.timedelta(minutes=20))
        following = checkpoint.rotating_code(now + datetime.timedelta(minutes=10))
        assert len(current) == 6 and current.isdigit()
        assert checkpoint.accepts_code(current, now) and checkpoint.accepts_code(previous, now)
        assert not checkpoint.accepts_code(older, now) and not checkpoint.accepts_code(following, now)
        assert not checkpoint.accepts_code("", now)
        other = Checkpoint.objects.create(school=school, name="水泵房", proof="rotating", rotation_minutes=10)
        assert other.rotating_code(now) != current or other.secret != checkpoint.secret

    def test_a_wrong_rotating_code_is_recorded_and_flagged(self, school, people):
        with time_machine.travel(local(DAY, 8), tick=False):
            route = make_route(school, people, names=("配电房", "水泵房"), proof="rotating")
            rounds.generate_rounds()
        a, b = stops(route)
        good, _ = scan(people.guard, a, local(DAY, 22, 5), proof_code=a.rotating_code(local(DAY, 22, 5)))
        bad, _ = scan(people.guard, b, local(DAY, 22, 30), proof_code=b.rotating_code(local(DAY, 21, 0)))
        assert good.code_valid and not bad.code_valid and bad.flagged
        round_ = good.round
        round_.refresh_from_db()
        assert round_.stops_done == 1 and round_.status == "in_progress"  # the wrong code proved nothing

    def test_the_nfc_tag_id_is_shown_only_to_who_may_change_checkpoints(self, school, people, login, api):
        """A guard who can read the tag id types it from the guardroom: page and API keep it from guards."""
        checkpoint = Checkpoint.objects.create(school=school, name="配电房", proof="nfc", nfc_id="04:A2:3B:9C")
        url = f"/safety/checkpoints/{checkpoint.pk}/"
        assert "04:A2:3B:9C" in login(people.head).get(url).content.decode()
        guard_page = login(people.guard).get(url)
        assert guard_page.status_code == 200 and "04:A2:3B:9C" not in guard_page.content.decode()
        api_url = f"/api/v1/safety/checkpoints/{checkpoint.pk}/"
        assert api(people.head).get(api_url).json()["nfc_id"] == "04:A2:3B:9C"
        assert api(people.guard).get(api_url).json()["nfc_id"] == ""
        listed = api(people.guard).get("/api/v1/safety/checkpoints/").json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert [row["nfc_id"] for row in rows if row["id"] == checkpoint.pk] == [""]


class TestPatrolRound:
    def test_missed_and_incomplete_notify_once_and_need_an_explanation(self, school, night, people):
        a, *_ = stops(night)
        with time_machine.travel(local(DAY, 8), tick=False):
            other = make_route(school, people, names=("围墙",), name="围墙巡查")
            rounds.generate_rounds()
        scan(people.guard, a, local(DAY, 22, 5))
        with time_machine.travel(local(DAY, 23, 20), tick=False):
            reminder_scan()
            reminder_scan()
        incomplete, missed = the_round(night), the_round(other)
        assert incomplete.status == R.INCOMPLETE and incomplete.stops_done == 1
        assert missed.status == R.MISSED and missed.outcome == R.MISSED
        for user in (people.head, people.staff):  # the head, and the routes' supervisor
            titles = list(Notification.objects.filter(recipient=user).values_list("title", flat=True))
            assert sum("incomplete" in t for t in titles) == 1 and sum("missed" in t for t in titles) == 1
        with pytest.raises(ValidationError):
            guard.run(missed, "explain", people.guard, explanation="")
        guard.run(missed, "explain", people.guard, explanation="当晚停电，改为手电巡查，未带手机")
        assert missed.status == R.EXPLAINED and missed.outcome == R.MISSED and missed.explained_by == people.guard

    def test_a_guard_sees_their_rounds_only(self, school, night, people):
        with time_machine.travel(local(DAY, 8), tick=False):
            theirs = make_route(school, people, names=("食堂",), name="食堂巡查")
            schedule = theirs.schedules.get()
            schedule.guard = people.guard2
            schedule.save()
            rounds.generate_rounds()
        visible = set(PatrolRound.objects.restrict(people.guard, "view").values_list("route_id", flat=True))
        assert visible == {night.pk}


class TestRoute:
    def test_key_areas_patrolled_less_than_five_times_are_non_compliant(self, school, night, people):
        routes, minimum = rounds.non_compliant_routes(school)
        assert minimum == 5 and night.pk in routes  # one round a day through 配电房
        schedule = night.schedules.get()
        for hour in (0, 2, 4, 6):
            schedule.pk = None
            schedule.start_time = datetime.time(hour, 0)
            schedule.save()
        routes, _ = rounds.non_compliant_routes(school)
        assert night.pk not in routes


class TestRouteStop:
    def test_the_route_form_orders_the_checkpoints(self, school, night, people):
        from safety.forms import RouteForm

        a, b, c = stops(night)
        data = {"name": night.name, "min_seconds_between": 30, "active": "on", f"stop_{a.pk}": 3, f"stop_{c.pk}": 1}
        form = RouteForm(data, instance=night, user=people.head, school=school)
        assert form.is_valid(), form.errors
        form.save()
        assert stops(night) == [c, a]
        same = RouteForm({**data, f"stop_{c.pk}": 3}, instance=night, user=people.head, school=school)
        assert not same.is_valid()


class TestPatrolSchedule:
    def test_runs_on_its_weekdays_and_windows_cross_midnight(self, school, people):
        from safety.models.patrols import window_of

        with time_machine.travel(local(DAY, 8), tick=False):
            route = make_route(school, people, names=("宿舍",), start=datetime.time(23, 30), name="深夜")
        schedule = route.schedules.get()
        schedule.weekdays = "67"
        assert schedule.runs_on(datetime.date(2026, 12, 5)) and not schedule.runs_on(DAY)
        start, end, grace = window_of(schedule, DAY)
        assert end.date() == DAY + datetime.timedelta(days=1) and grace - end == datetime.timedelta(minutes=10)
