"""The safety widget on the principal's dashboard and its columns on the district dashboard."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.corrective.choices import ACTIVE_STATUSES, OPEN_STATUSES
from logistics.dashboard.registry import Widget

from .choices import DAILY_CHECK_KINDS, InspectionResult, PassStatus, RoundStatus, VisitStatus
from .models import Hazard, Inspection, LeavePass, PatrolRound, Visitor


def _today():
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    return start, start + datetime.timedelta(days=1)


class SafetyWidget(Widget):
    """Today: rounds done/due, missed checkpoints, visitors inside, students out; hazards open, overdue,
    major."""

    code = "safety"
    title = _("Safety")
    order = 40
    perm = "safety.view_patrolround"
    district_columns = (
        ("hazards_open", _("Open hazards")),
        ("hazards_overdue", _("Overdue hazards")),
        ("hazards_major", _("Major hazards")),
        ("rounds_missed", _("Missed rounds today")),
    )

    def _figures(self, school_ids):
        start, end = _today()
        today = timezone.localdate()
        rounds = {
            r["school_id"]: r
            for r in PatrolRound.objects.filter(
                school_id__in=school_ids, planned_start__gte=start, planned_start__lt=end
            )
            .values("school_id")
            .annotate(
                due=Count("pk"),
                done=Count("pk", filter=Q(outcome=RoundStatus.COMPLETE)),
                missed=Count("pk", filter=Q(outcome__in=[RoundStatus.MISSED, RoundStatus.INCOMPLETE])),
            )
            .order_by()
        }
        hazards = {
            h["school_id"]: h
            for h in Hazard.objects.filter(school_id__in=school_ids, status__in=ACTIVE_STATUSES)
            .values("school_id")
            .annotate(
                open=Count("pk"),
                overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
                major=Count("pk", filter=Q(level="major")),
            )
            .order_by()
        }
        return rounds, hazards

    def context(self, school, user):
        rounds, hazards = self._figures([school.pk])
        r, h = rounds.get(school.pk, {}), hazards.get(school.pk, {})
        inside = Visitor.objects.filter(school=school, status=VisitStatus.INSIDE).count()
        out = LeavePass.objects.filter(school=school, status=PassStatus.OUT).count()
        return {
            "figures": [
                (_("Rounds done / due today"), f"{r.get('done', 0)} / {r.get('due', 0)}"),
                (_("Rounds missed or incomplete today"), r.get("missed", 0)),
                (_("Visitors inside"), inside),
                (_("Students out on passes"), out),
                (_("Open hazards"), h.get("open", 0)),
                (_("Overdue hazards"), h.get("overdue", 0)),
                (_("Major hazards"), h.get("major", 0)),
            ]
        }

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        rounds, hazards = self._figures(ids)
        return {
            sid: {
                "hazards_open": hazards.get(sid, {}).get("open", 0),
                "hazards_overdue": hazards.get(sid, {}).get("overdue", 0),
                "hazards_major": hazards.get(sid, {}).get("major", 0),
                "rounds_missed": rounds.get(sid, {}).get("missed", 0),
            }
            for sid in ids
        }


class InspectionWidget(Widget):
    """Safety inspections: today's inspections, the dormitory checks and CCTV review still to do today,
    equipment past its inspection date, inspections with faults this month; district columns."""

    code = "safety_inspections"
    title = _("Safety inspections")
    order = 41
    perm = "safety.view_inspection"
    district_columns = (
        ("inspections_month", _("Inspections this month")),
        ("inspections_failed_month", _("Inspections with faults this month")),
    )

    def _figures(self, school_ids):
        start, end = _today()
        month_start = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate().replace(day=1), datetime.time())
        )
        return {
            r["school_id"]: r
            for r in Inspection.objects.filter(school_id__in=school_ids, inspected_at__gte=month_start)
            .values("school_id")
            .annotate(
                month=Count("pk"),
                failed=Count("pk", filter=Q(result=InspectionResult.FAILED)),
                today=Count("pk", filter=Q(inspected_at__gte=start, inspected_at__lt=end)),
            )
            .order_by()
        }

    def context(self, school, user):
        from .inspections import due_queryset

        checks = self._figures([school.pk]).get(school.pk, {})
        today = timezone.localdate()
        due = list(due_queryset(school, today).values_list("kind", "next_due"))
        return {
            "figures": [
                (_("Inspections today"), checks.get("today", 0)),
                (
                    _("Dormitory checks and CCTV review still to do today"),
                    sum(1 for k, _d in due if k in DAILY_CHECK_KINDS),
                ),
                (
                    _("Equipment past its inspection date"),
                    sum(1 for k, d in due if k not in DAILY_CHECK_KINDS and d < today),
                ),
                (_("Inspections with faults this month"), checks.get("failed", 0)),
            ]
        }

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        checks = self._figures(ids)
        return {
            sid: {
                "inspections_month": checks.get(sid, {}).get("month", 0),
                "inspections_failed_month": checks.get(sid, {}).get("failed", 0),
            }
            for sid in ids
        }
