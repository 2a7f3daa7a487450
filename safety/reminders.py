"""Reminder providers of the safety app, run by the platform's scan every 15 minutes."""

from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.reminders.registry import DueItem, Provider
from logistics.tenancy.models import School

from . import inspections, rounds
from .choices import DAILY_CHECK_KINDS
from .models import Equipment
from .people import heads_of, staff_of


class PatrolRoundsProvider(Provider):
    """Makes the rounds of the schedules (idempotent) and ends those past their grace time: never
    started → missed, started → complete/incomplete; missed and incomplete ones are told once."""

    code = "safety.rounds"

    def process(self, now):
        rounds.generate_rounds(now)
        rounds.close_overdue(now)


class GatePurgeProvider(Provider):
    """Removes the personal data of gate entries older than ``safety.gate_retention_days``, keeping the
    rows (so the counts stay)."""

    code = "safety.gate_purge"

    def process(self, now):
        from . import gate

        gate.purge_old(now)


class LeavePassProvider(Provider):
    """Boarders out past the expected return: the class teacher and the guardians are told once
    (中小学幼儿园安全管理办法 art. 24)."""

    code = "safety.leave_passes"

    def process(self, now):
        from . import passes

        passes.tell_not_back(now)


class EquipmentDueProvider(Provider):
    """Fire and safety equipment due for its inspection (``safety.equipment_inspection_days``, 30 days;
    GB 50444-2008 § 5.2 monthly) is reminded once to the logistics staff on the day it falls due; still
    not inspected the day after, it is escalated once to the logistics head. A refill / service date
    (``expires_on``) within ``safety.equipment_expiry_warning_days`` is reminded once too. Dormitory checks
    and CCTV review are daily: they are on the due page and the dashboard, not reminded one by one."""

    code = "safety.equipment_due"

    def due_items(self, now):
        today = timezone.localdate(now)
        school_ids = (
            Equipment.objects.filter(active=True)
            .exclude(kind__in=DAILY_CHECK_KINDS)
            .values_list("school_id", flat=True)
            .distinct()
            .order_by()
        )
        for school_id in sorted(set(school_ids)):
            heads = heads_of(school_id)
            staff = staff_of(school_id) or heads
            school = School.objects.get(pk=school_id)
            due = inspections.due_queryset(school, today).exclude(kind__in=DAILY_CHECK_KINDS)
            for equipment in due.select_related("room__building")[:1000]:
                yield DueItem(
                    obj=equipment,
                    due_at=equipment.next_due,
                    title=_("Inspection due: %(equipment)s") % {"equipment": equipment},
                    body=_("Place: %(place)s") % {"place": equipment.place or "—"},
                    recipients=staff,
                    overdue_at=equipment.next_due,  # a date: past from the day after
                    escalate_to=heads,
                    escalation_title=_("Inspection overdue: %(equipment)s") % {"equipment": equipment},
                )
            for equipment in inspections.expiring_queryset(school, today)[:1000]:
                yield DueItem(
                    obj=equipment,
                    due_at=equipment.expires_on,
                    title=_("Refill / service due by %(day)s: %(equipment)s")
                    % {"day": equipment.expires_on.isoformat(), "equipment": equipment},
                    recipients=staff,
                )
