"""Meal services (供餐), their dishes (菜品) and the food sample of each dish (食品留样).

Rules (学校食品安全与营养健康管理规定, 2019; GB 31654-2021 餐饮服务通用卫生规范): every dish of every
meal is sampled, at least ``canteen.sample_min_grams`` grams (125 g; some provinces 200 g), kept in a
dedicated fridge at least ``canteen.sample_hours`` hours (48 h), with dish, amount, time and the person
who sampled it recorded; the discard is recorded too.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import MEAL_TIMES, Meal, SampleStatus
from .tamper import LateEntryMixin

__all__ = ["Dish", "FoodSample", "MealService"]


def _at(date, time):
    return timezone.make_aware(datetime.datetime.combine(date, time), timezone.get_current_timezone())


class MealService(PrimaryModel):
    """A meal served (供餐): a date, a meal (breakfast/lunch/dinner/snack) in one canteen, with its dishes.

    Each dish served gets one food sample; a served dish without one an hour after the meal's end is
    reminded to the canteen manager and escalated to the logistics head (``canteen.reminders``).
    """

    date = models.DateField(_("date"), default=timezone.localdate)
    meal = models.CharField(pgettext_lazy("canteen", "meal"), max_length=20, choices=Meal.choices)
    canteen = models.CharField(
        _("canteen"), max_length=50, blank=True, help_text=_("Which dining hall, where the school has several.")
    )
    starts_at = models.TimeField(_("serving starts"), null=True, blank=True)
    ends_at = models.TimeField(_("serving ends"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meal service")
        verbose_name_plural = _("meal services")
        ordering = ["-date", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["school", "-date", "-id"], name="canteen_meal_school_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "date", "meal", "canteen"],
                name="canteen_meal_unique_school_date_meal",
                violation_error_message=_("This meal of that day is already recorded for this canteen."),
            ),
        ]

    def __str__(self):
        text = f"{self.date:%Y-%m-%d} {self.get_meal_display()}"
        return f"{text} · {self.canteen}" if self.canteen else text

    def get_absolute_url(self):
        return reverse("canteen:mealservice_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        default_start, default_end = MEAL_TIMES.get(self.meal, (None, None))
        self.starts_at = self.starts_at or default_start
        self.ends_at = self.ends_at or default_end
        super().save(*args, **kwargs)

    @property
    def ends_at_datetime(self):
        """When serving ends (local time of the school's deployment)."""
        return _at(self.date, self.ends_at or MEAL_TIMES[self.meal][1])

    @property
    def starts_at_datetime(self):
        return _at(self.date, self.starts_at or MEAL_TIMES[self.meal][0])


class Dish(PrimaryModel):
    """A dish (菜品) of a meal service; every dish served gets one sample. A dish taken off the meal
    before it is sampled stays on record as "not served" (nothing is deleted)."""

    meal = models.ForeignKey(
        MealService, on_delete=models.PROTECT, related_name="dishes", verbose_name=pgettext_lazy("canteen", "meal")
    )
    name = models.CharField(_("dish"), max_length=100)
    main_ingredients = models.CharField(_("main ingredients"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    served = models.BooleanField(_("served"), default=True)

    class Meta:
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        ordering = ["meal", "position", "pk"]
        indexes = [models.Index(fields=["school", "meal"], name="canteen_dish_school_meal")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "meal", "name"],
                name="canteen_dish_unique_meal_name",
                violation_error_message=_("This meal already has a dish of that name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.meal.get_absolute_url()


class FoodSample(LateEntryMixin, ReferenceMixin, PrimaryModel):
    """The food sample (留样) of one dish: weight, container or fridge, when and by whom, an optional
    photo, and when it may be discarded.

    Rules: at least ``canteen.sample_min_grams`` grams (125 g, GB 31654-2021 / 学校食品安全与营养健康管理规定
    2019); kept at least ``canteen.sample_hours`` hours (48 h) — ``keep_until`` is computed when the
    sample is recorded, and the ``discard`` step refuses before it. Samples change only through
    ``canteen.services.record_sample`` and the declared ``discard`` step; nothing deletes them.
    """

    reference_prefix = "LY"

    meal = models.ForeignKey(
        MealService, on_delete=models.PROTECT, related_name="samples", verbose_name=pgettext_lazy("canteen", "meal")
    )
    dish = models.OneToOneField(Dish, on_delete=models.PROTECT, related_name="sample", verbose_name=_("dish"))
    #: copied from the meal: the list filters and sorts on the sample's own columns
    date = models.DateField(_("date"), editable=False)
    meal_kind = models.CharField(pgettext_lazy("canteen", "meal"), max_length=20, choices=Meal.choices, editable=False)
    dish_name = models.CharField(_("dish"), max_length=100, editable=False)
    weight_grams = models.PositiveIntegerField(_("weight (g)"))
    container = models.CharField(_("container or fridge"), max_length=50, blank=True)
    sampled_at = models.DateTimeField(_("sampled at"), default=timezone.now)
    sampled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sampled by")
    )
    keep_until = models.DateTimeField(_("keep until"), editable=False)
    status = FSMField(
        _("status"), max_length=20, choices=SampleStatus.choices, default=SampleStatus.KEPT, editable=False
    )
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True, editable=False)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("discarded by"),
    )
    discard_note = models.CharField(_("discard note"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("food sample")
        verbose_name_plural = _("food samples")
        ordering = ["-sampled_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-sampled_at", "-id"], name="canteen_sample_school_at"),
            models.Index(fields=["school", "date", "meal_kind"], name="canteen_sample_school_date"),
            models.Index(fields=["school", "status", "keep_until"], name="canteen_sample_school_keep"),
            models.Index(fields=["school", "sampled_by", "-sampled_at"], name="canteen_sample_school_by"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="canteen_sample_unique_reference",
                violation_error_message=_("A food sample with this reference number already exists in this school."),
            ),
        ]
        permissions = [
            ("discard_foodsample", "Can discard food samples after the keeping time"),
            ("correct_foodsample", "Can correct a food sample's typo, with a reason"),
            ("view_canteen_figures", "Can see the canteen's figures (dashboard)"),
        ]

    def __str__(self):
        return f"{self.reference} {self.dish_name}" if self.reference else self.dish_name

    def get_absolute_url(self):
        return reverse("canteen:foodsample_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.dish_id and not self.dish_name:
            self.dish_name = self.dish.name
        if self.meal_id and not self.date:
            self.date, self.meal_kind = self.meal.date, self.meal.meal
        super().save(*args, **kwargs)

    @step(
        status,
        source=[SampleStatus.KEPT],
        target=SampleStatus.DISCARDED,
        permission="discard",
        label=pgettext_lazy("food sample step", "Discard"),
        description="Discard the sample after its keeping time (refused before it, naming the time).",
        form="canteen.forms.DiscardForm",
        serializer="canteen.api.serializers.DiscardSerializer",
        service="canteen.services.discard",
        event="foodsample.discarded",
        done_message=pgettext_lazy("food sample step", "Sample discarded: who and when are recorded."),
        confirm=pgettext_lazy("food sample step", "The sample leaves the fridge for good."),
        order=10,
        primary=True,
    )
    def discard(self):
        pass

    #: what each row rule reads besides the rows: the date is in every kept page's key
    scope_watch = {"today_or_own": ()}

    @classmethod
    def scope_q(cls, scope, user):
        """``today_or_own`` (canteen staff): today's samples — the kitchen's work of the day — and the
        samples they took themselves."""
        if scope == "today_or_own":
            return Q(date=timezone.localdate()) | Q(sampled_by=user)
        return super().scope_q(scope, user)

    @property
    def may_discard_now(self):
        return self.status == SampleStatus.KEPT and timezone.now() >= self.keep_until

    def entry_event_at(self):
        """The sampling: entered more than ``canteen.late_entry_hours`` after it is a late entry."""
        return self.sampled_at
