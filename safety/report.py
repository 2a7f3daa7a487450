"""The safety section of the monthly report, in the seeds' voice: patrols, missed checkpoints by place,
hazards found/closed/overdue, the gate register."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.corrective.choices import OPEN_STATUSES
from logistics.reports.registry import Section, SectionData, Table

from .choices import RoundStatus
from .models import Hazard, PatrolRound, RouteStop, VehicleEntry, Visitor


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class SafetySection(Section):
    code = "safety"
    title = gettext_lazy("Safety")
    order = 40

    def build(self, school, start, end):
        since, until = _aware(start), _aware(end)
        rounds = PatrolRound.objects.filter(school=school, planned_start__gte=since, planned_start__lt=until)
        totals = rounds.aggregate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(outcome=RoundStatus.COMPLETE)),
            incomplete=Count("pk", filter=Q(outcome=RoundStatus.INCOMPLETE)),
            missed=Count("pk", filter=Q(outcome=RoundStatus.MISSED)),
            explained=Count("pk", filter=Q(status=RoundStatus.EXPLAINED)),
        )
        share = round(100 * totals["complete"] / totals["total"], 1) if totals["total"] else 0
        # missed checkpoints by place: the stops of unfinished rounds not scanned in them
        missed_by_place = {}
        unfinished = list(
            rounds.filter(outcome__in=[RoundStatus.INCOMPLETE, RoundStatus.MISSED]).values_list("pk", "route_id")
        )
        stops = {}
        for route_id, name in RouteStop.objects.filter(school=school).values_list("route_id", "checkpoint__name"):
            stops.setdefault(route_id, []).append(name)
        scanned = {}
        for round_id, name in PatrolRound.scans.rel.related_model.objects.filter(
            round_id__in=[pk for pk, _r in unfinished]
        ).values_list("round_id", "checkpoint__name"):
            scanned.setdefault(round_id, set()).add(name)
        for round_id, route_id in unfinished:
            for name in stops.get(route_id, []):
                if name not in scanned.get(round_id, set()):
                    missed_by_place[name] = missed_by_place.get(name, 0) + 1
        hazards = Hazard.objects.filter(school=school)
        found = hazards.filter(found_at__gte=since, found_at__lt=until).count()
        closed = hazards.filter(closed_at__gte=since, closed_at__lt=until, status="closed").count()
        overdue = hazards.filter(status__in=OPEN_STATUSES, deadline__lt=end).count()
        major = hazards.filter(level="major").exclude(status__in=["closed", "cancelled"]).count()
        visitors = Visitor.objects.filter(school=school, checked_in_at__gte=since, checked_in_at__lt=until).count()
        vehicles = VehicleEntry.objects.filter(school=school, in_at__gte=since, in_at__lt=until).count()
        paragraph = _(
            "This month the guards walked %(total)s patrol rounds, %(complete)s of them complete (%(share)s%%); "
            "%(incomplete)s were incomplete and %(missed)s missed, %(explained)s of these explained in writing. "
            "%(found)s hazards were found and %(closed)s closed (销号); %(overdue)s are past their deadline and "
            "%(major)s major hazards are under supervision (挂牌督办). The gate registered %(visitors)s visitors "
            "and %(vehicles)s vehicles."
        ) % {
            **totals,
            "share": share,
            "found": found,
            "closed": closed,
            "overdue": overdue,
            "major": major,
            "visitors": visitors,
            "vehicles": vehicles,
        }
        tables = [
            Table(
                _("Patrol rounds"),
                [_("Figure"), _("Rounds")],
                [
                    [_("Complete"), totals["complete"]],
                    [_("Incomplete"), totals["incomplete"]],
                    [_("Missed"), totals["missed"]],
                    [_("Explained in writing"), totals["explained"]],
                ],
                footer=[_("Total"), totals["total"]],
            ),
            Table(
                _("Missed checkpoints by place"),
                [_("Checkpoint"), _("Times missed")],
                sorted(([k, v] for k, v in missed_by_place.items()), key=lambda row: -row[1]),
            ),
            Table(
                _("Hazards"),
                [_("Figure"), _("Hazards")],
                [
                    [_("Found"), found],
                    [_("Closed"), closed],
                    [_("Overdue"), overdue],
                    [_("Major, under supervision"), major],
                ],
            ),
        ]
        return SectionData(title=str(self.title), paragraphs=[paragraph], tables=tables)
