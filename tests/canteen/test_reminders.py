"""Reminders of the canteen through the platform's one scan: a missing sample an hour after the meal
(escalated to the logistics head), the samples due for discard each morning."""

import datetime

import pytest
import time_machine

from canteen import services
from logistics.notifications.models import Notification
from logistics.reminders.services import scan

from .conftest import NOON, make_meal

# lunch ends 12:30 Shanghai = 04:30 UTC
LUNCH_END = NOON + datetime.timedelta(minutes=30)


class TestMissingSampleReminder:
    def test_before_an_hour_nothing_after_it_the_manager_then_the_head_once(self, school, people):
        with time_machine.travel(NOON, tick=False) as clock:
            meal = make_meal(school)
            for dish in meal.dishes.all()[:3]:
                services.record_sample(dish=dish, actor=people.cook, weight_grams=150)
            clock.move_to(LUNCH_END + datetime.timedelta(minutes=59))
            scan()
            assert not Notification.objects.exists()
            clock.move_to(LUNCH_END + datetime.timedelta(hours=1))
            scan()
            notes = list(Notification.objects.all())
            assert [n.recipient for n in notes] == [people.manager]
            assert "米饭" in notes[0].body
            clock.move_to(LUNCH_END + datetime.timedelta(hours=2))
            scan()
            scan()
            assert Notification.objects.filter(recipient=people.head).count() == 1
            assert Notification.objects.filter(recipient=people.manager).count() == 1

    def test_a_complete_meal_is_not_reminded(self, school, people):
        with time_machine.travel(NOON, tick=False) as clock:
            meal = make_meal(school)
            for dish in meal.dishes.all():
                services.record_sample(dish=dish, actor=people.cook, weight_grams=150)
            clock.move_to(LUNCH_END + datetime.timedelta(hours=3))
            scan()
            assert not Notification.objects.exists()


class TestDiscardDueReminder:
    def test_listed_in_the_morning_once_a_day(self, school, people):
        with time_machine.travel(NOON, tick=False) as clock:
            meal = make_meal(school, dishes=["米饭"])
            services.record_sample(dish=meal.dishes.get(), actor=people.cook, weight_grams=150)
            # two days later, 06:59 Shanghai: not yet; 07:00: once
            morning = NOON + datetime.timedelta(days=2) - datetime.timedelta(hours=5)
            clock.move_to(morning - datetime.timedelta(minutes=1))
            scan()
            assert not Notification.objects.exists()
            clock.move_to(NOON + datetime.timedelta(days=2, hours=1))
            scan()
            scan()
            notes = list(Notification.objects.filter(recipient=people.manager))
            assert len(notes) == 1 and notes[0].title.startswith("1 ") or "1" in notes[0].title


@pytest.fixture(autouse=True)
def _no_other_providers(monkeypatch):
    """Only the food-sample providers run here (the others have their own tests)."""
    from logistics.reminders import registry

    mine = [p for p in registry.providers() if p.code in ("canteen.missing_sample", "canteen.discard_due")]
    monkeypatch.setattr(registry, "providers", lambda: mine)
