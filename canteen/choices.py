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


class LicenceKind(models.TextChoices):
    """The licences a food supplier holds (证照)."""

    FOOD_BUSINESS = "food_business", pgettext_lazy("supplier licence", "Food business licence (食品经营许可证)")
    FOOD_PRODUCTION = "food_production", pgettext_lazy("supplier licence", "Food production licence (食品生产许可证)")
    BUSINESS = "business", pgettext_lazy("supplier licence", "Business licence (营业执照)")
    OTHER = "other", pgettext_lazy("supplier licence", "Other certificate")


class DeliveryStatus(models.TextChoices):
    """A delivery is inspected line by line (进货查验); it is checked once every line is decided."""

    INSPECTING = "inspecting", pgettext_lazy("delivery status", "Being inspected")
    CHECKED = "checked", pgettext_lazy("delivery status", "Checked")


DELIVERY_STATUS_COLOURS = {DeliveryStatus.INSPECTING: "warning", DeliveryStatus.CHECKED: "success"}


class LineDecision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery line decision", "Not inspected yet")
    ACCEPTED = "accepted", pgettext_lazy("delivery line decision", "Accepted")
    REJECTED = "rejected", pgettext_lazy("delivery line decision", "Rejected")


LINE_DECISION_COLOURS = {
    LineDecision.PENDING: "secondary",
    LineDecision.ACCEPTED: "success",
    LineDecision.REJECTED: "danger",
}


class Disposal(models.TextChoices):
    """What became of rejected goods (退货或销毁, recorded)."""

    RETURNED = "returned", pgettext_lazy("rejected goods disposal", "Returned to the supplier")
    DESTROYED = "destroyed", pgettext_lazy("rejected goods disposal", "Destroyed")


class MenuStatus(models.TextChoices):
    """A weekly menu is drafted, then published (to parents, a week ahead); a published week is never
    edited in place — a change is a new version, and the old one is superseded."""

    DRAFT = "draft", pgettext_lazy("weekly menu status", "Draft")
    PUBLISHED = "published", pgettext_lazy("weekly menu status", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("weekly menu status", "Replaced by a newer version")


MENU_STATUS_COLOURS = {MenuStatus.DRAFT: "secondary", MenuStatus.PUBLISHED: "success", MenuStatus.SUPERSEDED: "light"}

#: the meals a weekly menu plans (a snack is served from the day's meal record)
MENU_MEALS = (Meal.BREAKFAST, Meal.LUNCH, Meal.DINNER)


class DisinfectionMethod(models.TextChoices):
    """How tableware is disinfected (餐用具消毒方式)."""

    STEAM = "steam", pgettext_lazy("disinfection method", "Steam")
    BOILING = "boiling", pgettext_lazy("disinfection method", "Boiling")
    INFRARED = "infrared", pgettext_lazy("disinfection method", "Infrared cabinet")
    DISHWASHER = "dishwasher", pgettext_lazy("disinfection method", "Dishwasher")
    CHEMICAL = "chemical", pgettext_lazy("disinfection method", "Chemical (chlorine)")


#: method → (minimum °C rule, minimum minutes rule, minimum mg/L rule) keys and their defaults
DISINFECTION_RULES = {
    DisinfectionMethod.STEAM: (("canteen.disinfect.steam_celsius", 100), ("canteen.disinfect.steam_minutes", 10), None),
    DisinfectionMethod.BOILING: (
        ("canteen.disinfect.boiling_celsius", 100),
        ("canteen.disinfect.boiling_minutes", 10),
        None,
    ),
    DisinfectionMethod.INFRARED: (
        ("canteen.disinfect.infrared_celsius", 120),
        ("canteen.disinfect.infrared_minutes", 15),
        None,
    ),
    DisinfectionMethod.DISHWASHER: (
        ("canteen.disinfect.dishwasher_celsius", 85),
        ("canteen.disinfect.dishwasher_minutes", 0.7),
        None,
    ),
    DisinfectionMethod.CHEMICAL: (
        None,
        ("canteen.disinfect.chemical_minutes", 5),
        ("canteen.disinfect.chemical_mg_per_litre", 250),
    ),
}


# --- 陪餐, monthly accounts (part B) ----------------------------------------------------------------


class CompanionKind(models.TextChoices):
    """Who ate with the students (陪餐): a school leader, or a parent (家长陪餐)."""

    LEADER = "leader", pgettext_lazy("accompanied meal", "School leader")
    PARENT = "parent", pgettext_lazy("accompanied meal", "Parent")


class AccompanimentStatus(models.TextChoices):
    """A leader's record is simply recorded; a parent's feedback waits for the canteen's answer."""

    RECORDED = "recorded", pgettext_lazy("accompanied meal status", "Recorded")
    AWAITING_ANSWER = "awaiting_answer", pgettext_lazy("accompanied meal status", "Awaiting the canteen's answer")
    ANSWERED = "answered", pgettext_lazy("accompanied meal status", "Answered")


ACCOMPANIMENT_STATUS_COLOURS = {
    AccompanimentStatus.RECORDED: "secondary",
    AccompanimentStatus.AWAITING_ANSWER: "warning",
    AccompanimentStatus.ANSWERED: "success",
}


class AccountStatus(models.TextChoices):
    """A month's canteen accounts (食堂收支公示): drafted, published (frozen), superseded by a correction."""

    DRAFT = "draft", pgettext_lazy("canteen accounts status", "Draft")
    PUBLISHED = "published", pgettext_lazy("canteen accounts status", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("canteen accounts status", "Superseded by a correction")


ACCOUNT_STATUS_COLOURS = {
    AccountStatus.DRAFT: "secondary",
    AccountStatus.PUBLISHED: "success",
    AccountStatus.SUPERSEDED: "warning",
}


class IncomeSource(models.TextChoices):
    """Where the meal-fee income of a month comes from."""

    FINANCE = "finance", pgettext_lazy("canteen accounts source", "Finance: meal-fee payments recorded")
    ENTERED = "entered", pgettext_lazy("canteen accounts source", "Entered by the canteen")


class FoodCostSource(models.TextChoices):
    """Where the food expense of a month comes from."""

    DELIVERIES = "deliveries", pgettext_lazy("canteen accounts source", "Accepted deliveries' prices")
    ENTERED = "entered", pgettext_lazy("canteen accounts source", "Entered by the canteen")
