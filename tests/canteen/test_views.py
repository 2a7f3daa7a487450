"""Canteen pages: the phone checklist, the meal form, the samples list (pinned queries), visibility."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from canteen import services
from canteen.models import FoodSample, MealService

from .conftest import NOON, make_meal, sample_all


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


class TestChecklistPage:
    def test_staff_logs_a_dish_from_todays_meal(self, frozen, login, lunch, people):
        client = login(people.cook)
        page = client.get(reverse("canteen:today"))
        assert page.status_code == 200
        body = page.content.decode()
        for dish in ("番茄炒蛋", "红烧肉", "清炒时蔬", "米饭"):
            assert dish in body
        dish = lunch.dishes.get(name="红烧肉")
        answer = client.post(
            reverse("canteen:record_sample", args=[dish.pk]), {"weight_grams": "130", "container": "1号柜"}
        )
        assert answer.status_code == 302 and answer["Location"].endswith(f"#meal-{lunch.pk}")
        sample = FoodSample.objects.get(dish=dish)
        assert (sample.weight_grams, sample.sampled_by, sample.container) == (130, people.cook, "1号柜")
        assert "1 / 4" in client.get(reverse("canteen:today")).content.decode()

    def test_too_light_is_refused_in_words_and_the_input_kept(self, frozen, login, lunch, people):
        client = login(people.cook)
        dish = lunch.dishes.get(name="米饭")
        answer = client.post(
            reverse("canteen:record_sample", args=[dish.pk]), {"weight_grams": "124", "container": "2号柜"}
        )
        assert answer.status_code == 400
        body = answer.content.decode()
        assert "GB 31654-2021" in body and 'value="124"' in body and 'value="2号柜"' in body
        assert '<details class="dish-open" open' in body
        assert not FoodSample.objects.exists()

    def test_photo_is_attached(self, frozen, login, lunch, people, tmp_path):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, format="PNG")
        photo = SimpleUploadedFile("s.png", buffer.getvalue(), content_type="image/png")
        client = login(people.cook)
        dish = lunch.dishes.first()
        client.post(reverse("canteen:record_sample", args=[dish.pk]), {"weight_grams": "150", "photo": photo})
        sample = FoodSample.objects.get(dish=dish)
        page = client.get(sample.get_absolute_url()).content.decode()
        assert 'data-testid="photos"' in page

    def test_teacher_and_parent_have_no_checklist(self, login, lunch, people):
        for user in (people.teacher, people.parent, people.principal):
            assert login(user).get(reverse("canteen:today")).status_code == 403

    def test_another_schools_dish_is_not_found(self, frozen, login, other_school, other_manager, people):
        meal = make_meal(other_school)
        dish = meal.dishes.first()
        answer = login(people.cook).post(reverse("canteen:record_sample", args=[dish.pk]), {"weight_grams": "150"})
        assert answer.status_code == 404
        assert not FoodSample.objects.exists()


class TestMealServicePages:
    def test_manager_adds_a_meal_with_its_dishes(self, frozen, login, people, school):
        client = login(people.manager)
        answer = client.post(
            reverse("canteen:mealservice_add"),
            {"date": "2026-12-03", "meal": "dinner", "canteen": "", "dishes": "土豆烧牛肉：牛肉、土豆\n紫菜蛋花汤\n"},
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        meal = MealService.objects.get(meal="dinner")
        assert list(meal.dishes.values_list("name", "main_ingredients")) == [
            ("土豆烧牛肉", "牛肉、土豆"),
            ("紫菜蛋花汤", ""),
        ]
        detail = client.get(meal.get_absolute_url()).content.decode()
        assert "土豆烧牛肉" in detail and 'data-testid="missing"' in detail

    def test_a_duplicate_meal_is_refused_in_words(self, frozen, login, people, lunch):
        answer = login(people.manager).post(
            reverse("canteen:mealservice_add"), {"date": "2026-12-03", "meal": "lunch", "dishes": "米饭"}
        )
        assert answer.status_code == 400
        assert "该食堂当天的这一餐次已经登记过了" in answer.content.decode()

    def test_staff_cannot_add_meals(self, login, people):
        assert login(people.cook).get(reverse("canteen:mealservice_add")).status_code == 403


class TestFoodSampleListPage:
    def _fill(self, school, people, days, start=0):
        for n in range(start, start + days):
            meal = make_meal(school, day=datetime.date(2026, 11, 1) + datetime.timedelta(days=n))
            sample_all(meal, people.cook)

    def test_query_count_does_not_grow_with_rows(self, frozen, login, school, people):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = login(people.manager)
        self._fill(school, people, 2)
        url = reverse("canteen:foodsample_list")
        client.get(url)
        # each measured page with a query string of its own: the list keeps its rendered rows (cache_rows)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url + "?measured=1").status_code == 200
        self._fill(school, people, 8, start=2)
        client.get(url)
        with CaptureQueriesContext(connection) as many:
            page = client.get(url + "?measured=2")
        assert page.status_code == 200
        assert len(many) == len(few) <= 12, [q["sql"] for q in many.captured_queries]

    def test_meal_list_query_count_is_flat(self, frozen, login, school, people):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = login(people.manager)
        self._fill(school, people, 2)
        client.get(reverse("canteen:mealservice_list"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("canteen:mealservice_list"))
        self._fill(school, people, 6, start=2)
        with CaptureQueriesContext(connection) as many:
            assert "4 / 4" in client.get(reverse("canteen:mealservice_list")).content.decode()
        assert len(many) == len(few) <= 12

    def test_filters_by_date_range_meal_and_status(self, frozen, login, school, people):
        self._fill(school, people, 3)
        client = login(people.manager)
        page = client.get(reverse("canteen:foodsample_list"), {"date_after": "2026-11-02", "date_before": "2026-11-02"})
        assert page.content.decode().count("LY-2026-") == 4
        page = client.get(reverse("canteen:foodsample_list"), {"status": "discarded"})
        assert "LY-2026-" not in page.content.decode()

    def test_late_entry_is_marked_on_the_list_and_the_sample(self, frozen, login, lunch, people):
        sample = services.record_sample(
            dish=lunch.dishes.first(),
            actor=people.cook,
            weight_grams=150,
            sampled_at=NOON - datetime.timedelta(hours=20),
        )
        client = login(people.manager)
        assert 'data-testid="late-entry"' in client.get(reverse("canteen:foodsample_list")).content.decode()
        assert 'data-testid="late-entry"' in client.get(sample.get_absolute_url()).content.decode()

    def test_staff_sees_today_and_own_samples_only(self, frozen, login, school, people):
        old = make_meal(school, day=datetime.date(2026, 11, 20))
        mine = services.record_sample(dish=old.dishes.all()[0], actor=people.cook, weight_grams=150)
        theirs = services.record_sample(dish=old.dishes.all()[1], actor=people.cook2, weight_grams=150)
        today = make_meal(school)
        todays = services.record_sample(dish=today.dishes.all()[0], actor=people.cook2, weight_grams=150)
        body = login(people.cook).get(reverse("canteen:foodsample_list")).content.decode()
        assert mine.reference in body and todays.reference in body and theirs.reference not in body
        assert login(people.cook).get(theirs.get_absolute_url()).status_code == 404

    def test_other_school_sees_nothing(self, frozen, login, lunch, people, other_manager):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=150)
        client = login(other_manager)
        assert sample.reference not in client.get(reverse("canteen:foodsample_list")).content.decode()
        assert client.get(sample.get_absolute_url()).status_code == 404
        assert client.get(lunch.get_absolute_url()).status_code == 404


class TestFoodSampleDiscardPage:
    def test_discard_before_time_names_it_then_after(self, frozen, login, lunch, people):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=150)
        client = login(people.manager)
        url = reverse("canteen:foodsample_step", args=[sample.pk, "discard"])
        answer = client.post(url, {"note": ""})
        assert answer.status_code == 400 and "2026-12-05 12:00" in answer.content.decode()
        frozen.move_to(NOON + datetime.timedelta(hours=48))
        due = client.get(reverse("canteen:discard_due")).content.decode()
        assert sample.reference in due
        answer = client.post(url, {"note": "处理"})
        assert answer.status_code == 302
        sample.refresh_from_db()
        assert sample.status == "discarded" and sample.discarded_by == people.manager
        assert sample.reference not in client.get(reverse("canteen:discard_due")).content.decode()
