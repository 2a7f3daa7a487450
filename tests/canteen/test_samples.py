"""Food samples (留样): the minimum weight, the keeping time and the discard, with frozen time."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from canteen import services
from canteen.choices import SampleStatus
from canteen.models import Dish, FoodSample, MealService
from logistics.audit.models import ChangeRecord
from logistics.tenancy import rules
from logistics.workflow import guard
from logistics.workflow.errors import StepNotAllowed

from .conftest import NOON, make_meal


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


class TestFoodSampleWeight:
    def test_124_grams_refused_with_the_rule_and_its_source(self, frozen, lunch, people):
        dish = lunch.dishes.first()
        with pytest.raises(ValidationError) as exc:
            services.record_sample(dish=dish, actor=people.cook, weight_grams=124)
        message = exc.value.message_dict["weight_grams"][0]
        assert "125" in message and "GB 31654-2021" in message and "124" in message
        assert not FoodSample.objects.exists()

    def test_125_grams_accepted_and_recorded_with_who_and_when(self, frozen, lunch, people):
        dish = lunch.dishes.first()
        sample = services.record_sample(dish=dish, actor=people.cook, weight_grams=125, container="留样柜1")
        assert (sample.weight_grams, sample.sampled_by, sample.sampled_at) == (125, people.cook, NOON)
        assert sample.reference.startswith("LY-2026-")
        assert (sample.date, sample.meal_kind, sample.dish_name) == (lunch.date, "lunch", dish.name)
        assert ChangeRecord.objects.filter(object_id=sample.pk, action="create").exists()

    def test_a_school_with_a_200_gram_rule_refuses_199(self, frozen, lunch, people, school):
        rules.set_value(school, "canteen.sample_min_grams", "200")
        school.save()
        dish = Dish.objects.get(pk=lunch.dishes.first().pk)
        with pytest.raises(ValidationError):
            services.record_sample(dish=dish, actor=people.cook, weight_grams=199)
        assert services.record_sample(dish=dish, actor=people.cook, weight_grams=200).weight_grams == 200

    def test_the_rule_cannot_go_below_the_national_125(self, school):
        with pytest.raises(ValidationError):
            rules.set_value(school, "canteen.sample_min_grams", "100")

    def test_one_sample_per_dish(self, frozen, lunch, people):
        dish = lunch.dishes.first()
        services.record_sample(dish=dish, actor=people.cook, weight_grams=150)
        with pytest.raises(ValidationError) as exc:
            services.record_sample(dish=dish, actor=people.cook2, weight_grams=150)
        assert "已经留样" in str(exc.value.message_dict["dish"])
        assert FoodSample.objects.count() == 1

    def test_a_time_in_the_future_is_refused(self, frozen, lunch, people):
        with pytest.raises(ValidationError):
            services.record_sample(
                dish=lunch.dishes.first(),
                actor=people.cook,
                weight_grams=150,
                sampled_at=NOON + datetime.timedelta(hours=1),
            )


class TestFoodSampleDiscard:
    def test_keep_until_is_48_hours_after_sampling(self, frozen, lunch, people):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=130)
        assert sample.keep_until == NOON + datetime.timedelta(hours=48)

    def test_discard_at_47h59_refused_naming_the_time_then_accepted_at_48h(self, frozen, lunch, people):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=130)
        frozen.move_to(NOON + datetime.timedelta(hours=47, minutes=59))
        with pytest.raises(ValidationError) as exc:
            guard.run(sample, "discard", people.manager)
        assert "2026-12-05 12:00" in " ".join(exc.value.messages)  # local time, to the minute
        sample.refresh_from_db()
        assert sample.status == SampleStatus.KEPT and sample.discarded_at is None
        frozen.move_to(NOON + datetime.timedelta(hours=48))
        guard.run(sample, "discard", people.manager, note="随厨余处理")
        sample.refresh_from_db()
        assert sample.status == SampleStatus.DISCARDED
        assert (sample.discarded_by, sample.discarded_at, sample.discard_note) == (
            people.manager,
            NOON + datetime.timedelta(hours=48),
            "随厨余处理",
        )

    def test_a_discarded_sample_cannot_be_discarded_again(self, frozen, lunch, people):
        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=130)
        frozen.move_to(NOON + datetime.timedelta(hours=49))
        guard.run(sample, "discard", people.manager)
        with pytest.raises(StepNotAllowed):
            guard.run(FoodSample.objects.get(pk=sample.pk), "discard", people.manager)

    def test_canteen_staff_may_not_discard(self, frozen, lunch, people):
        from django.core.exceptions import PermissionDenied

        sample = services.record_sample(dish=lunch.dishes.first(), actor=people.cook, weight_grams=130)
        frozen.move_to(NOON + datetime.timedelta(hours=49))
        with pytest.raises(PermissionDenied):
            guard.run(sample, "discard", people.cook)

    def test_a_longer_school_rule_moves_the_time(self, frozen, lunch, people, school):
        rules.set_value(school, "canteen.sample_hours", "72")
        school.save()
        dish = Dish.objects.select_related("school").get(pk=lunch.dishes.first().pk)
        sample = services.record_sample(dish=dish, actor=people.cook, weight_grams=130)
        assert sample.keep_until == NOON + datetime.timedelta(hours=72)

    def test_due_for_discard(self, frozen, lunch, people, school):
        first, second = [
            services.record_sample(dish=d, actor=people.cook, weight_grams=130) for d in lunch.dishes.all()[:2]
        ]
        assert not services.due_for_discard(school).exists()
        assert set(services.due_for_discard(school, NOON + datetime.timedelta(hours=48))) == {first, second}


class TestFoodSampleLateEntry:
    def test_entered_more_than_12_hours_after_sampling_is_a_late_entry(self, frozen, lunch, people):
        on_time = services.record_sample(
            dish=lunch.dishes.all()[0],
            actor=people.cook,
            weight_grams=130,
            sampled_at=NOON - datetime.timedelta(hours=12),
        )
        late = services.record_sample(
            dish=lunch.dishes.all()[1],
            actor=people.cook,
            weight_grams=130,
            sampled_at=NOON - datetime.timedelta(hours=12, minutes=1),
        )
        assert not on_time.is_late_entry
        assert late.is_late_entry


class TestMealServiceDishes:
    def test_usual_times_of_the_meal(self, school):
        meal = MealService.objects.create(school=school, date=datetime.date(2026, 12, 3), meal="lunch")
        assert (meal.starts_at, meal.ends_at) == (datetime.time(11, 30), datetime.time(12, 30))

    def test_a_dish_taken_off_stays_on_record_not_served(self, school):
        meal = make_meal(school, dishes=["A", "B", "C"])
        services.set_dishes(meal, ["C", "A"])
        assert list(meal.dishes.filter(served=True).order_by("position").values_list("name", flat=True)) == ["C", "A"]
        assert meal.dishes.get(name="B").served is False

    def test_a_sampled_dish_cannot_be_taken_off(self, frozen, lunch, people):
        dish = lunch.dishes.get(name="红烧肉")
        services.record_sample(dish=dish, actor=people.cook, weight_grams=130)
        with pytest.raises(ValidationError) as exc:
            services.set_dishes(lunch, ["番茄炒蛋"])
        assert "红烧肉" in str(exc.value)
        assert lunch.dishes.filter(served=True).count() == 4

    def test_a_dish_not_served_cannot_be_sampled(self, frozen, lunch, people):
        services.set_dishes(lunch, ["番茄炒蛋"])
        with pytest.raises(ValidationError):
            services.record_sample(dish=lunch.dishes.get(name="米饭"), actor=people.cook, weight_grams=130)


class TestDishUniqueness:
    def test_unique_name_per_meal_answers_in_words(self, lunch):
        dish = Dish(school=lunch.school, meal=lunch, name="红烧肉")
        with pytest.raises(ValidationError) as exc:
            dish.validate_constraints()
        assert "这一餐已有同名菜品" in str(exc.value)
