"""Preventive maintenance plans (定期维护保养计划) and the duty rota of repair workers (值班表)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from ..choices import Recurrence, Trade, Urgency, Weekday, WeekOfMonth

__all__ = ["DutySlot", "MaintenancePlan", "nth_weekday"]


def nth_weekday(year, month, weekday, nth):
    """The ``nth`` (1..4, or -1 for the last) ``weekday`` (0 = Monday) of a month."""
    if nth == -1:
        last = (datetime.date(year, month, 1) + relativedelta(months=1)) - datetime.timedelta(days=1)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


class MaintenancePlan(PrimaryModel):
    """A preventive maintenance plan (定期维护): what to check, where, how often, by whom.

    Rule (DOMAIN.md § Repairs, seed: "电梯、空调等大设备按月检测维护"): when a plan falls due (``lead_days``
    before ``next_due``) one preventive ticket is opened for that date — at most once, guaranteed by
    the unique (plan, due_date) constraint on tickets — and a missed plan escalates to the head.
    """

    name = models.CharField(_("name"), max_length=100)
    equipment = models.CharField(_("equipment"), max_length=100, blank=True, help_text=_("e.g. elevator No. 2"))
    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room or place")
    )
    checklist = models.TextField(_("checklist"), help_text=_("What to check, one item per line."))
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.MONTHS)
    interval = models.PositiveSmallIntegerField(_("every N"), default=1)
    week_of_month = models.SmallIntegerField(_("week of the month"), choices=WeekOfMonth.choices, null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    next_due = models.DateField(_("next due"))
    lead_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), default=3, help_text=_("The ticket opens this many days before the due date.")
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("repair workers")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        ordering = ["school", "next_due", "name"]
        indexes = [models.Index(fields=["school", "active", "next_due"], name="plan_school_due")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("repairs:maintenanceplan_detail", args=[self.pk])

    def clean(self):
        if self.recurrence == Recurrence.NTH_WEEKDAY and (self.week_of_month is None or self.weekday is None):
            raise ValidationError(_("Choose the week of the month and the weekday."))
        if self.interval < 1:
            raise ValidationError({"interval": _("The value must be at least %(min)s.") % {"min": 1}})
        if self.room_id and self.school_id and self.room.school_id != self.school_id:
            raise ValidationError({"room": _("This belongs to another school.")})

    def checklist_items(self):
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    def following(self, date):
        """The due date after ``date`` by this plan's recurrence."""
        n = max(self.interval, 1)
        if self.recurrence == Recurrence.DAYS:
            return date + datetime.timedelta(days=n)
        if self.recurrence == Recurrence.WEEKS:
            return date + datetime.timedelta(weeks=n)
        if self.recurrence == Recurrence.NTH_WEEKDAY:
            month = date.replace(day=1) + relativedelta(months=n)
            return nth_weekday(month.year, month.month, self.weekday, self.week_of_month)
        return date + relativedelta(months=n)

    def opens_on(self):
        return self.next_due - datetime.timedelta(days=self.lead_days)


class DutySlot(PrimaryModel):
    """Who is on duty for a trade (值班): new tickets of the trade go to this worker by the simple rota
    (rule ``repairs.auto_assign``); a slot without a weekday holds every day."""

    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("repair worker")
    )

    class Meta:
        verbose_name = _("duty slot")
        verbose_name_plural = _("duty rota")
        ordering = ["school", "trade", "weekday"]
        indexes = [models.Index(fields=["school", "trade", "weekday"], name="dutyslot_school_trade")]

    def __str__(self):
        day = self.get_weekday_display() if self.weekday is not None else _("every day")
        return f"{self.get_trade_display()} · {day} · {self.worker}"

    def get_absolute_url(self):
        return reverse("repairs:dutyslot_detail", args=[self.pk])
