"""Accompanied meals (陪餐): a school leader — or a parent (家长陪餐) — eats with the students and records
what they found: quality, quantity, hygiene, price, a rating, photos. A parent's feedback gets the canteen
manager's answer (who, when), which the parent sees on their own page.

Rule (学校食品安全与营养健康管理规定, 2019 — 集中用餐陪餐制度): every meal served has a school leader eating
with the students, and it is recorded; which meals count is the per-school Rule ``canteen.accompany.*``
(every meal by default). A served meal without a record is flagged the next morning."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import AccompanimentStatus, CompanionKind, Meal
from .samples import MealService
from .tamper import LateEntryMixin

__all__ = ["AccompaniedMeal"]

S = AccompanimentStatus


class AccompaniedMeal(LateEntryMixin, PrimaryModel):
    """One person's 陪餐 of one meal: who (leader or parent), the observations, a rating (1–5), photos
    (platform ``Attachment``), and for a parent the canteen's answer. Recorded through
    ``canteen.accompanied.record``; the answer is the declared step ``answer``; nothing is deleted."""

    meal = models.ForeignKey(
        MealService,
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=pgettext_lazy("canteen", "meal"),
    )
    #: copied from the meal: the list filters and sorts on the record's own columns
    date = models.DateField(_("date"), editable=False)
    meal_kind = models.CharField(pgettext_lazy("canteen", "meal"), max_length=20, choices=Meal.choices, editable=False)
    companion = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ate with the students")
    )
    kind = models.CharField(
        pgettext_lazy("accompanied meal", "who"), max_length=20, choices=CompanionKind.choices, editable=False
    )
    companion_title = models.CharField(
        pgettext_lazy("accompanied meal", "position"),
        max_length=50,
        blank=True,
        help_text=_("E.g. 副校长, 总务主任, 三年级二班家长."),
    )
    quality = models.CharField(_("taste and quality"), max_length=500, blank=True)
    quantity = models.CharField(pgettext_lazy("accompanied meal", "quantity"), max_length=500, blank=True)
    hygiene = models.CharField(_("hygiene"), max_length=500, blank=True)
    price = models.CharField(_("price"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (poor) to 5 (very good)."),
    )
    feedback = models.TextField(_("suggestions"), blank=True)
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.RECORDED, editable=False)
    answer_text = models.TextField(_("the canteen's answer"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("accompanied meal")
        verbose_name_plural = _("accompanied meals")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["school", "-date", "-id"], name="canteen_accomp_school_date"),
            models.Index(fields=["school", "meal"], name="canteen_accomp_school_meal"),
            models.Index(fields=["school", "companion", "-date"], name="canteen_accomp_school_who"),
            models.Index(fields=["school", "status", "-date"], name="canteen_accomp_school_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "meal", "companion"],
                name="canteen_accomp_one_per_person",
                violation_error_message=_("You have already recorded this meal."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="canteen_accomp_rating_range",
                violation_error_message=_("Give a rating from 1 to 5."),
            ),
        ]
        permissions = [("answer_accompaniedmeal", "Can answer a parent's accompanied-meal feedback")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_meal_kind_display()} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("canteen:accompaniedmeal_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.meal_id and not self.date:
            self.date, self.meal_kind = self.meal.date, self.meal.meal
        super().save(*args, **kwargs)

    def entry_event_at(self):
        """The meal's end: a 陪餐 is recorded after eating."""
        return self.meal.ends_at_datetime

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: the records a person made themselves (a parent sees only their own feedback)."""
        if scope == "own":
            return Q(companion=user)
        return super().scope_q(scope, user)

    @step(
        status,
        source=[S.AWAITING_ANSWER],
        target=S.ANSWERED,
        permission="answer",
        label=pgettext_lazy("accompanied meal step", "Answer"),
        description="Record the canteen's answer to a parent's feedback (who and when are kept).",
        form="canteen.forms_accompanied.AnswerForm",
        serializer="canteen.api.accompanied.AnswerSerializer",
        service="canteen.accompanied.answer",
        event="accompaniedmeal.answered",
        done_message=pgettext_lazy("accompanied meal step", "Answer recorded: the parent sees it on their page."),
        order=10,
        primary=True,
    )
    def answer(self):
        pass
