"""Cold chain: readings in the Rule range (0–8 °C); an out-of-range run is one episode with one corrective
action (the platform's closed loop), not one alert per reading."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from canteen import cold
from canteen.models import ColdEpisode, ColdReading, ColdStore
from logistics.corrective.services import actions_for

from .conftest import NOON

READINGS = "/api/v1/canteen/cold-readings/"


@pytest.fixture
def fridge(school):
    return ColdStore.objects.create(school=school, name="留样冰箱")


class TestColdReading:
    def test_edges_of_the_range(self, school, people, fridge):
        for value, ok in (("0", True), ("8", True), ("8.1", False), ("-0.1", False)):
            reading = cold.record_reading(store=fridge, actor=people.cook, celsius=value)
            assert reading.in_range is ok


class TestColdEpisode:
    def test_one_episode_and_one_action_per_run(self, school, people, fridge):
        with time_machine.travel(NOON, tick=False) as clock:
            cold.record_reading(store=fridge, actor=people.cook, celsius="4")
            for hours, value in ((1, "9.5"), (5, "12"), (9, "10")):
                clock.move_to(NOON + datetime.timedelta(hours=hours))
                cold.record_reading(store=fridge, actor=people.cook, celsius=value)
            clock.move_to(NOON + datetime.timedelta(hours=12))
            cold.record_reading(store=fridge, actor=people.cook, celsius="5")
            episode = ColdEpisode.objects.get()
            assert (episode.readings, episode.lowest, episode.highest) == (3, Decimal("9.5"), Decimal("12"))
            assert episode.first_at == NOON + datetime.timedelta(hours=1)
            assert episode.last_at == NOON + datetime.timedelta(hours=9)
            assert episode.ended_at == NOON + datetime.timedelta(hours=12)
            actions = list(actions_for(episode))
            assert len(actions) == 1 and "留样冰箱" in actions[0].title
            assert ColdReading.objects.filter(episode=episode).count() == 3
            clock.move_to(NOON + datetime.timedelta(hours=20))
            cold.record_reading(store=fridge, actor=people.cook, celsius="-3")
            assert ColdEpisode.objects.count() == 2

    def test_page_logs_a_reading_and_lists_the_episode(self, login, school, people, fridge):
        client = login(people.cook)
        answer = client.post(reverse("canteen:coldreading_list"), {"store": fridge.pk, "celsius": "11"})
        assert answer.status_code == 302
        assert 'data-testid="out-of-range"' in client.get(reverse("canteen:coldreading_list")).content.decode()
        assert "留样冰箱" in client.get(reverse("canteen:coldepisode_list")).content.decode()
        bad = client.post(reverse("canteen:coldreading_list"), {"store": fridge.pk, "celsius": "99"})
        assert bad.status_code == 400 and 'value="99"' in bad.content.decode()


class TestColdStore:
    def test_api_reading_and_visibility(self, api, school, people, fridge, other_manager):
        answer = api(people.cook).post(READINGS, {"store": fridge.pk, "celsius": "9"}, format="json")
        assert answer.status_code == 201, answer.json()
        assert answer.json()["in_range"] is False and answer.json()["episode"]
        assert api(other_manager).get(READINGS).json()["count"] == 0
        other = api(other_manager).post(READINGS, {"store": fridge.pk, "celsius": "4"}, format="json")
        assert other.status_code in (400, 403)
        assert ColdReading.objects.count() == 1


class TestDemoColdChain:
    def test_the_demo_shows_one_warm_run_with_its_action_put_right(self, school, people):
        """The demo's cold store runs warm once: one episode (three readings, ended), one corrective
        action, assigned, rectified and verified — the closed loop a visitor can open."""
        import random

        from canteen import demo
        from logistics.corrective.choices import ActionStatus

        users = {"canteen_staff": people.cook, "canteen_manager": people.manager, "logistics_head": people.head}
        with time_machine.travel(NOON, tick=False):
            demo.seed_cold_chain(school, users, random.Random(7))
        episodes = list(ColdEpisode.objects.filter(school=school))
        assert len(episodes) == 1
        episode = episodes[0]
        assert episode.store.name == "冷藏库"
        assert episode.readings == 3 and episode.ended_at is not None
        assert episode.highest > 8
        assert ColdReading.objects.filter(school=school, in_range=False).count() == 3
        (action,) = actions_for(episode)
        assert action.status == ActionStatus.VERIFIED
        assert action.owner == people.manager and action.rectified_by == people.manager
        assert action.verified_by == people.head
