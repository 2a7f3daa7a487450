"""The safety widget on the principal's dashboard and its columns on the district dashboard."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.corrective.choices import ACTIVE_STATUSES, OPEN_STATUSES
from logistics.dashboard.registry import Widget

from .choices import PassStatus, RoundStatus, VisitStatus
from .models import Hazard, LeavePass, PatrolRound, Visitor


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
