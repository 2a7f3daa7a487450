"""Reminder providers of the hygiene schedules and the cold-chain readings (the platform's one scan)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.reminders.registry import DueItem, Provider
from logistics.tenancy import rules
from logistics.tenancy.models import School

from . import people, schedules
from .inspection_choices import PeriodState
from .models import ChecklistTemplate, ColdReading, ColdStore, MealService
from .settings_rules import COLD_AFTERNOON_BY_HOUR, COLD_MORNING_BY_HOUR, INSPECTION_REMIND_HOUR

#: a period that ended within these days is still escalated (a scan skipped for a while loses nothing)
LOOKBACK_DAYS = 3


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(int(hour))))


class InspectionDueProvider(Provider):
    """A checklist due in its period (from ``canteen.inspection_remind_hour`` of its due day) and not yet
    inspected is reminded to the canteen manager once; the period over without an inspection, it is
    escalated once to the logistics head (missed)."""

    code = "canteen.inspection_due"

    def due_items(self, now):
        today = timezone.localdate(now)
        school_ids = set(ChecklistTemplate.objects.filter(active=True).values_list("school_id", flat=True))
        if not school_ids:
            return
        schools = list(School.objects.filter(pk__in=school_ids))
        found = schedules.schedule(schools, today - datetime.timedelta(days=LOOKBACK_DAYS), today, today)
        pending = [p for p in found if p.state in (PeriodState.DUE, PeriodState.MISSED)]
        if not pending:
            return
        managers, heads = people.managers_of(school_ids), people.heads_of(school_ids)
        url = reverse("canteen:inspection_schedule")
        for period in pending:
            template = period.template
            due_at = _at(period.due_day, rules.value(template.school, INSPECTION_REMIND_HOUR))
            if due_at > now and period.state == PeriodState.DUE:
                continue
            span = (
                period.start.strftime("%Y-%m-%d")
                if period.start == period.end
                else f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"
            )
            yield DueItem(
                obj=template,
                due_at=due_at,
                title=_("Hygiene inspection due: %(checklist)s (%(period)s)")
                % {"checklist": template.name, "period": span},
                body=_("Do the checklist and record it before the period ends."),
                url=url,
                recipients=managers.get(template.school_id, []),
                overdue_at=period.end,
                escalate_to=heads.get(template.school_id, []),
                escalation_title=_("Hygiene inspection missed: %(checklist)s (%(period)s)")
                % {"checklist": template.name, "period": span},
            )


class ColdReadingDueProvider(Provider):
    """Each cold store is read twice a day on days the canteen serves meals: the morning reading by
    ``canteen.cold_morning_by_hour`` (10:00), the afternoon one by ``canteen.cold_afternoon_by_hour`` (16:00).
    A slot without a reading is reminded to the canteen manager once (GB 31654-2021: 冷藏设备温度定时记录)."""

    code = "canteen.cold_reading_due"

    def due_items(self, now):
        today = timezone.localdate(now)
        school_ids = set(MealService.objects.filter(date=today).values_list("school_id", flat=True))
        if not school_ids:
            return
        stores = list(ColdStore.objects.filter(school_id__in=school_ids, active=True).select_related("school"))
        if not stores:
            return
        midnight = _at(today, 0)
        readings = {}
        for store_id, taken_at in ColdReading.objects.filter(
            store__in=stores, taken_at__gte=midnight, taken_at__lt=midnight + datetime.timedelta(days=1)
        ).values_list("store_id", "taken_at"):
            readings.setdefault(store_id, []).append(taken_at)
        managers = people.managers_of(school_ids)
        for store in stores:
            morning = _at(today, rules.value(store.school, COLD_MORNING_BY_HOUR))
            afternoon = _at(today, rules.value(store.school, COLD_AFTERNOON_BY_HOUR))
            taken = readings.get(store.pk, [])
            for start, end, label in (
                (midnight, morning, _("morning")),
                (morning, afternoon, _("afternoon")),
            ):
                if end > now or any(start <= t < end for t in taken):
                    continue
                yield DueItem(
                    obj=store,
                    due_at=end,
                    title=_("No %(slot)s temperature reading of %(store)s by %(time)s")
                    % {"slot": label, "store": store.name, "time": timezone.localtime(end).strftime("%H:%M")},
                    body=_("Read the temperature now; a reading taken earlier can be entered with its time."),
                    url=reverse("canteen:coldreading_list"),
                    recipients=managers.get(store.school_id, []),
                )
