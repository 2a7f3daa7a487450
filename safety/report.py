"""The safety section of the monthly report, in the seeds' voice: patrols, missed checkpoints by place,
hazards found/closed/overdue, the gate register."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.corrective.choices import OPEN_STATUSES
from logistics.reports.registry import Section, SectionData, Table, comparisons, paren, semicolon

from .choices import RoundStatus
from .models import Hazard, PatrolRound, RouteStop, VehicleEntry, Visitor


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _counts(school, start, end):
    """Patrol rounds, hazards and the gate register over [start, end): the narrative's and the tables' numbers."""
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
    hazards = Hazard.objects.filter(school=school)
    return {
        **totals,
        "share": share,
        "share_fraction": totals["complete"] / totals["total"] if totals["total"] else None,
        "found": hazards.filter(found_at__gte=since, found_at__lt=until).count(),
        "closed": hazards.filter(closed_at__gte=since, closed_at__lt=until, status="closed").count(),
        "overdue": hazards.filter(status__in=OPEN_STATUSES, deadline__lt=end).count(),
        "major": hazards.filter(level="major").exclude(status__in=["closed", "cancelled"]).count(),
        "visitors": Visitor.objects.filter(school=school, checked_in_at__gte=since, checked_in_at__lt=until).count(),
        "vehicles": VehicleEntry.objects.filter(school=school, in_at__gte=since, in_at__lt=until).count(),
    }


class SafetySection(Section):
    code = "safety"
    title = gettext_lazy("Safety")
    order = 40

    def figures(self, school, start, end):
        """The narrative's figures — the same counts as the tables; None when nothing was recorded."""
        f = _counts(school, start, end)
        return f if (f["total"] or f["found"] or f["closed"] or f["visitors"] or f["vehicles"]) else None

    def narrative(self, period, f, previous, last_year):
        """ "巡查完成率 …%，发现隐患 … 处，已销号 …" with the comparisons where there is data."""
        if f is None:
            return [_("%(period)s no patrol rounds or hazards were recorded.") % {"period": period.word}]
        if f["total"]:
            text = _(
                "%(period)s the guards walked %(total)s patrol rounds, %(complete)s complete: a completion rate of "
                "%(share)s%%"
            ) % {"period": period.word, **f}
            text += paren(comparisons(period, "share_fraction", f, previous, last_year, share=True))
            text += semicolon() + (
                _("%(incomplete)s were incomplete and %(missed)s missed, %(explained)s of these explained in writing.")
                % f
            )
        else:
            text = _("%(period)s no patrol rounds were planned.") % {"period": period.word}
        text += " " + _("%(found)s hazards were found") % f
        text += paren(comparisons(period, "found", f, previous, last_year, unit=_(" hazards")))
        text += (
            _(
                " and %(closed)s closed (销号); %(overdue)s are past their deadline and %(major)s major hazards "
                "are under supervision (挂牌督办). The gate registered %(visitors)s visitors and %(vehicles)s "
                "vehicles."
            )
            % f
        )
        return [text]

    def build(self, school, start, end):
        f = _counts(school, start, end)
        totals = {k: f[k] for k in ("total", "complete", "incomplete", "missed", "explained")}
        found, closed, overdue, major = f["found"], f["closed"], f["overdue"], f["major"]
        since, until = _aware(start), _aware(end)
        rounds = PatrolRound.objects.filter(school=school, planned_start__gte=since, planned_start__lt=until)
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
        # the narrative (from the same counts) says it in words; the tables follow
        return SectionData(title=str(self.title), paragraphs=[], tables=tables)
