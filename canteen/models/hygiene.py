"""Hygiene records of the canteen: the tableware disinfection log (餐用具消毒记录).

Rule (GB 31654-2021 餐饮服务通用卫生规范, 餐用具清洗消毒; GB 14934-2016): each method has its minimum
temperature, time and (chemical) concentration — steam and boiling ≥ 100 °C for ≥ 10 min, infrared cabinet
≥ 120 °C for ≥ 15 min, dishwasher ≥ 85 °C (≥ 40 s), chlorine ≥ 250 mg/L for ≥ 5 min — platform Rules per
school. A value outside its range is flagged on the record (``in_range`` false, the reasons kept), never
silently accepted; the record is never edited afterwards.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from logistics.tenancy import rules
from logistics.tenancy.base import PrimaryModel

from ..choices import DISINFECTION_RULES, MEAL_TIMES, DisinfectionMethod, Meal
from .tamper import LateEntryMixin

__all__ = ["Disinfection"]


class Disinfection(LateEntryMixin, PrimaryModel):
    """One disinfection of the tableware of a meal: method, temperature, minutes, concentration, who."""

    date = models.DateField(_("date"), default=timezone.localdate)
    meal = models.CharField(pgettext_lazy("canteen", "meal"), max_length=20, choices=Meal.choices)
    method = models.CharField(
        pgettext_lazy("disinfection", "method"), max_length=20, choices=DisinfectionMethod.choices
    )
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    minutes = models.DecimalField(_("duration (minutes)"), max_digits=5, decimal_places=1)
    concentration = models.DecimalField(
        _("concentration (mg/L)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Available chlorine, for chemical disinfection."),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    in_range = models.BooleanField(_("within the rules"), default=True, editable=False)
    problems = models.CharField(_("out of range"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("tableware disinfection")
        verbose_name_plural = _("tableware disinfections")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["school", "-date", "-id"], name="canteen_disinf_school_date"),
            models.Index(fields=["school", "in_range", "-date"], name="canteen_disinf_school_flag"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0),
                name="canteen_disinf_minutes_positive",
                violation_error_message=_("The duration must be more than zero."),
            )
        ]
        permissions = [("correct_disinfection", "Can correct a disinfection's typo, with a reason")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_meal_display()} {self.get_method_display()}"

    def get_absolute_url(self):
        return reverse("canteen:disinfection_list")

    def entry_event_at(self):
        """The end of the meal whose tableware was disinfected."""
        end = MEAL_TIMES.get(self.meal, (None, datetime.time(23, 59)))[1]
        return timezone.make_aware(datetime.datetime.combine(self.date, end), timezone.get_current_timezone())

    def evaluate(self):
        """Flag values outside the method's Rule range; returns the reasons (text)."""
        temperature_rule, minutes_rule, concentration_rule = DISINFECTION_RULES[self.method]
        for name in ("temperature", "minutes", "concentration"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                setattr(self, name, Decimal(str(value)))
        reasons = []
        if temperature_rule:
            limit = Decimal(str(rules.value(self.school, temperature_rule[0])))
            if self.temperature is None or self.temperature < limit:
                reasons.append(gettext("temperature below %(limit)s °C") % {"limit": limit})
        if minutes_rule:
            limit = Decimal(str(rules.value(self.school, minutes_rule[0])))
            if self.minutes is None or self.minutes < limit:
                reasons.append(gettext("shorter than %(limit)s minutes") % {"limit": limit})
        if concentration_rule:
            limit = Decimal(str(rules.value(self.school, concentration_rule[0])))
            if self.concentration is None or self.concentration < limit:
                reasons.append(gettext("concentration below %(limit)s mg/L") % {"limit": limit})
        return reasons

    def save(self, *args, **kwargs):
        reasons = self.evaluate()
        self.in_range, self.problems = not reasons, "；".join(reasons)[:300]
        super().save(*args, **kwargs)
