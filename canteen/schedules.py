"""Inspection schedules: which period each checklist is due in, and whether it was done, is due or was
missed.

A checklist's frequency: daily (due on every day the canteen serves a meal), weekly (due on its weekday,
``canteen.inspection_weekday`` when the checklist names none; the period is Monday–Sunday) or monthly (due
on its day, ``canteen.inspection_month_day``; the period is the calendar month). An inspection of the
checklist dated anywhere in the period does it. A period that ended without one is *missed* — the reminder
scan tells the logistics head once (``canteen.reminders.InspectionDueProvider``).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from logistics.tenancy import rules

from .inspection_choices import Frequency, PeriodState
from .models import ChecklistTemplate, HygieneInspection, MealService
from .settings_rules import INSPECTION_MONTH_DAY, INSPECTION_WEEKDAY


@dataclass
class Period:
    template: ChecklistTemplate
    start: datetime.date
    end: datetime.date  # inclusive
    due_day: datetime.date
    state: str = PeriodState.UPCOMING
    inspection_id: int | None = None
    inspection_date: datetime.date | None = None

    @property
    def state_label(self):
        return PeriodState(self.state).label


def _weekday(template):
    return template.weekday or int(rules.value(template.school, INSPECTION_WEEKDAY))


def _month_day(template):
    return min(template.month_day or int(rules.value(template.school, INSPECTION_MONTH_DAY)), 28)


def period_of(template, day):
    """The (start, end, due day) of ``template``'s period containing ``day``."""
    if template.frequency == Frequency.DAILY:
        return day, day, day
    if template.frequency == Frequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6), start + datetime.timedelta(days=_weekday(template) - 1)
    start = day.replace(day=1)
    end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return start, end, start.replace(day=_month_day(template))


def periods(template, first, last, meal_days):
    """The periods of ``template`` that end on or after ``first`` and start on or before ``last``; a daily
    checklist only on ``meal_days``. Periods ending before the checklist existed are left out."""
    created = timezone.localdate(template.created) if template.created else first
    found = []
    if template.frequency == Frequency.DAILY:
        day = max(first, created)
        while day <= last:
            if day in meal_days:
                found.append(Period(template, day, day, day))
            day += datetime.timedelta(days=1)
        return found
    day = first
    while day <= last:
        start, end, due = period_of(template, day)
        if end >= created:
            found.append(Period(template, start, end, due))
        day = end + datetime.timedelta(days=1)
    return found


def meal_days(school_ids, first, last):
    """{school id: {dates with a meal service}} in one query."""
    found = {}
    for school_id, day in (
        MealService.objects.filter(school_id__in=school_ids, date__gte=first, date__lte=last)
        .values_list("school_id", "date")
        .distinct()
    ):
        found.setdefault(school_id, set()).add(day)
    return found


def evaluate(period_list, today):
    """Fill in each period's state from the inspections (one query for all)."""
    if not period_list:
        return period_list
    first = min(p.start for p in period_list)
    last = max(p.end for p in period_list)
    done = {}
    for pk, template_id, day in (
        HygieneInspection.objects.filter(
            template_id__in={p.template.pk for p in period_list}, date__gte=first, date__lte=last
        )
        .order_by("date", "pk")
        .values_list("pk", "template_id", "date")
    ):
        done.setdefault(template_id, []).append((day, pk))
    for period in period_list:
        hit = next((x for x in done.get(period.template.pk, []) if period.start <= x[0] <= period.end), None)
        if hit:
            period.state, period.inspection_date, period.inspection_id = PeriodState.DONE, hit[0], hit[1]
        elif period.end < today:
            period.state = PeriodState.MISSED
        elif period.due_day <= today:
            period.state = PeriodState.DUE
        else:
            period.state = PeriodState.UPCOMING
    return period_list


def periods_for(templates, first, last, days):
    """The periods of ``templates`` (one school's, ``days`` its meal days) in [first, last], not evaluated."""
    found = []
    for template in templates:
        found += periods(template, first, last, days)
    return found


def schedule(schools, first, last, today=None):
    """Every active checklist's periods in [first, last] of ``schools``, evaluated (three queries)."""
    today = today or timezone.localdate()
    school_ids = [s.pk for s in schools]
    templates = list(
        ChecklistTemplate.objects.filter(school_id__in=school_ids, active=True)
        .select_related("school")
        .order_by("school_id", "kind", "name")
    )
    days = meal_days(school_ids, first, last)
    found = []
    for template in templates:
        found += periods(template, first, last, days.get(template.school_id, set()))
    return evaluate(found, today)


def month_figures(schools, today=None):
    """{school id: {"done", "due", "missed"}} of this month's periods up to today."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    figures = {s.pk: {"done": 0, "due": 0, "missed": 0} for s in schools}
    for period in schedule(schools, first, today, today):
        if period.state in (PeriodState.DONE, PeriodState.DUE, PeriodState.MISSED):
            figures[period.template.school_id][period.state] += 1
    return figures
