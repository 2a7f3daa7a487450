"""The canteen API: meals with dishes, samples with the rule, the discard action, filters, scopes."""

import datetime

import pytest
import time_machine

from canteen import services
from canteen.models import FoodSample, MealService

from .conftest import NOON, make_meal, sample_all

MEALS = "/api/v1/canteen/meals/"
SAMPLES = "/api/v1/canteen/samples/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


class TestMealServiceAPI:
    def test_create_with_dishes_then_replace_them(self, frozen, api, people):
        client = api(people.manager)
        answer = client.post(
            MEALS,
            {
                "date": "2026-12-03",
                "meal": "lunch",
                "dishes": [{"name": "米饭"}, {"name": "鱼香肉丝", "main_ingredients": "猪肉"}],
            },
            format="json",
        )
        assert answer.status_code == 201, answer.json()
        meal = MealService.objects.get(pk=answer.json()["id"])
        assert [d["name"] for d in answer.json()["dishes"]] == ["米饭", "鱼香肉丝"]
        answer = client.patch(f"{MEALS}{meal.pk}/", {"dishes": [{"name": "鱼香肉丝"}]}, format="json")
        assert answer.status_code == 200
        assert [d["name"] for d in answer.json()["dishes"]] == ["鱼香肉丝"]
        assert meal.dishes.get(name="米饭").served is False

    def test_staff_may_read_but_not_write(self, api, people, lunch):
        client = api(people.cook)
        assert client.get(MEALS).status_code == 200
        assert client.post(MEALS, {"date": "2026-12-04", "meal": "lunch"}, format="json").status_code == 403

    def test_filter_by_date_range_and_meal(self, api, people, school):
        make_meal(school, day=datetime.date(2026, 11, 30))
        make_meal(school, day=datetime.date(2026, 12, 1), meal="dinner")
        client = api(people.manager)
        rows = client.get(MEALS, {"date_after": "2026-12-01", "meal": "dinner"}).json()["results"]
        assert [(r["date"], r["meal"]) for r in rows] == [("2026-12-01", "dinner")]


class TestFoodSampleAPI:
    def test_124_refused_125_accepted(self, frozen, api, people, lunch):
        client = api(people.cook)
        dish = lunch.dishes.first()
        answer = client.post(SAMPLES, {"dish": dish.pk, "weight_grams": 124}, format="json")
        assert answer.status_code == 400
        assert "GB 31654-2021" in str(answer.json())
        answer = client.post(SAMPLES, {"dish": dish.pk, "weight_grams": 125, "container": "1号柜"}, format="json")
        assert answer.status_code == 201, answer.json()
        body = answer.json()
        assert body["sampled_by"]["username"] == "cook" and body["keep_until"].startswith("2026-12-05")
        assert body["meal"] == lunch.pk and body["dish_name"] == dish.name

    def test_other_schools_dish_is_refused(self, frozen, api, people, other_school):
        meal = make_meal(other_school)
        answer = api(people.manager).post(SAMPLES, {"dish": meal.dishes.first().pk, "weight_grams": 150}, format="json")
        assert answer.status_code == 400
        assert not FoodSample.objects.exists()

    def test_discard_action_before_and_after_48_hours(self, frozen, api, people, lunch):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=150)
        client = api(people.manager)
        url = f"{SAMPLES}{sample.pk}/discard/"
        frozen.move_to(NOON + datetime.timedelta(hours=47, minutes=59))
        answer = client.post(url, {}, format="json")
        assert answer.status_code == 400 and "2026-12-05 12:00" in str(answer.json())
        frozen.move_to(NOON + datetime.timedelta(hours=48))
        answer = client.post(url, {"note": "处理"}, format="json")
        assert answer.status_code == 200, answer.json()
        assert answer.json()["status"] == "discarded"
        assert client.post(url, {}, format="json").status_code == 409

    def test_staff_cannot_discard(self, frozen, api, people, lunch):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=150)
        frozen.move_to(NOON + datetime.timedelta(hours=49))
        assert api(people.cook).post(f"{SAMPLES}{sample.pk}/discard/", {}, format="json").status_code == 403

    def test_filters(self, frozen, api, people, school):
        for n in range(3):
            sample_all(make_meal(school, day=datetime.date(2026, 11, 28) + datetime.timedelta(days=n)), people.cook)
        client = api(people.manager)
        rows = client.get(SAMPLES, {"date_after": "2026-11-29", "date_before": "2026-11-29", "meal": "lunch"})
        assert rows.json()["count"] == 4
        assert client.get(SAMPLES, {"status": "discarded"}).json()["count"] == 0
        assert client.get(SAMPLES, {"sampled_by": people.cook.pk}).json()["count"] == 12

    def test_health_and_outsiders(self, frozen, api, people, lunch, other_manager):
        services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=150)
        assert api(other_manager).get(SAMPLES).json()["count"] == 0
        assert api(people.principal).get(SAMPLES).json()["count"] == 1
        assert api(people.parent).get(SAMPLES).json()["count"] == 0
        assert api(people.teacher).get(SAMPLES).json()["count"] == 0


class TestFoodSampleAPIQueryCounts:
    def test_list_does_not_grow_with_rows(self, frozen, api, people, school, django_assert_max_num_queries, settings):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        settings.KEPT_BY_VERSION = (
            False  # the rows-keyed path (by versions a kept list reads none: test_kept_by_versions)
        )

        sample_all(make_meal(school, day=datetime.date(2026, 11, 1)), people.cook)
        client = api(people.manager)
        client.get(SAMPLES)
        with CaptureQueriesContext(connection) as few:
            assert client.get(SAMPLES).status_code == 200
        for n in range(2, 8):
            sample_all(make_meal(school, day=datetime.date(2026, 11, n)), people.cook)
        with CaptureQueriesContext(connection) as cold:
            assert client.get(SAMPLES).json()["count"] == 28  # the new rows' JSON built (one query), then kept
        with CaptureQueriesContext(connection) as many:
            assert client.get(SAMPLES).json()["count"] == 28
        assert len(many) == len(few) <= 6
        assert len(cold) == len(few) + 1
        with CaptureQueriesContext(connection) as meals:
            assert client.get(MEALS).status_code == 200
        assert len(meals) <= 6
