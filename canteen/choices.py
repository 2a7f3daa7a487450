"""Choices of the canteen app (食堂): value, label and colour in one place."""

import datetime

from django.db import models
from django.utils.translation import pgettext_lazy


class Meal(models.TextChoices):
    """The meals a school canteen serves (餐次)."""

    BREAKFAST = "breakfast", pgettext_lazy("canteen meal", "Breakfast")
    LUNCH = "lunch", pgettext_lazy("canteen meal", "Lunch")
    DINNER = "dinner", pgettext_lazy("canteen meal", "Dinner")
    SNACK = "snack", pgettext_lazy("canteen meal", "Snack")


#: the usual serving times of each meal (start, end); a meal service may set its own
MEAL_TIMES = {
    Meal.BREAKFAST: (datetime.time(7, 0), datetime.time(8, 0)),
    Meal.LUNCH: (datetime.time(11, 30), datetime.time(12, 30)),
    Meal.DINNER: (datetime.time(17, 30), datetime.time(18, 30)),
    Meal.SNACK: (datetime.time(15, 0), datetime.time(15, 30)),
}

MEAL_ORDER = {Meal.BREAKFAST: 0, Meal.LUNCH: 1, Meal.SNACK: 2, Meal.DINNER: 3}


class SampleStatus(models.TextChoices):
    """Where a food sample stands: kept in the sample fridge, or discarded after the keeping time."""

    KEPT = "kept", pgettext_lazy("food sample status", "Kept")
    DISCARDED = "discarded", pgettext_lazy("food sample status", "Discarded")


SAMPLE_STATUS_COLOURS = {SampleStatus.KEPT: "primary", SampleStatus.DISCARDED: "secondary"}
