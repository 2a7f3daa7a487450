"""The safety section of the monthly report, in the seeds' voice: patrols, missed checkpoints by place,
hazards found/closed/overdue, the gate register."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from logistics.corrective.choices import OPEN_STATUSES
from logistics.reports.registry import Section, SectionData, Table, comparisons, paren, semicolon

from .choices import DAILY_CHECK_KINDS, DRILL_KINDS, DrillKind, EquipmentKind, InspectionResult, Proof, RoundStatus
from .models import Hazard, Inspection, PatrolRound, PatrolScan, RouteStop, SafetyEvent, VehicleEntry, Visitor


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
        "proof": proof_of_rounds(rounds),
        # plain posters picked from the list on the round page, not read by the camera
        "by_hand": PatrolScan.objects.filter(round__in=rounds, by_hand=True).count(),
        "checks": inspection_figures(school, since, until, end),
        "events": event_figures(school, start, end),
    }


class SafetySection(Section):
    code = "safety"
    title = gettext_lazy("Safety")
    order = 40

    def figures(self, school, start, end):
        """The narrative's figures — the same counts as the tables; None when nothing was recorded."""
        f = _counts(school, start, end)
        recorded = f["total"] or f["found"] or f["closed"] or f["visitors"] or f["vehicles"]
        return f if (recorded or f["checks"]["done"] or f["events"]["events"]) else None

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
        paragraphs = [text]
        proof = f["proof"]
        if proof["static"]:
            paragraphs.append(
                _(
                    "%(static)s of the rounds rest on printed QR codes only (the weakest proof: a photo of the "
                    "poster scans the same); %(rotating)s were proved by rotating codes and %(nfc)s by NFC tags."
                )
                % proof
            )
        if f["by_hand"]:
            paragraphs.append(
                _(
                    "%(by_hand)s checkpoint scans were chosen by hand from the list on the round page, their poster "
                    "not read (torn, dark or out of reach): they count, flagged, without proof of presence."
                )
                % f
            )
        paragraphs.append(
            _(
                "%(done)s safety inspections were made (equipment, dormitories, CCTV review); %(failed)s found "
                "faults, each reported as a hazard; %(overdue)s pieces of equipment are past their inspection "
                "date. %(events)s safety education events and %(drills)s evacuation drills were held, with "
                "%(participants)s participants; this term %(term_drills)s drills against at least %(minimum)s."
            )
            % {**f["checks"], **f["events"]}
        )
        return paragraphs

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
        for round_id, name in PatrolScan.objects.filter(
            round_id__in=[pk for pk, _r in unfinished], code_valid=True
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
                    [pgettext("hazard figure", "Found"), found],
                    [pgettext("hazard figure", "Closed"), closed],
                    [pgettext("hazard figure", "Overdue"), overdue],
                    [_("Major, under supervision"), major],
                ],
            ),
        ]
        proof, checks, events = f["proof"], f["checks"], f["events"]
        tables.append(
            Table(
                _("Rounds by proof of presence"),
                [_("Proof of presence"), _("Rounds")],
                [
                    [_("Printed QR code only (weakest)"), proof["static"]],
                    [_("Rotating code"), proof["rotating"]],
                    [_("NFC tag"), proof["nfc"]],
                    [_("No scan"), proof["none"]],
                ],
                footer=[_("Total"), sum(proof.values())],
            )
        )
        tables.append(
            Table(
                _("Safety inspections by kind"),
                [_("Kind"), _("Inspections"), _("With faults")],
                checks["by_kind"],
                footer=[_("Total"), checks["done"], checks["failed"]],
            )
        )
        tables.append(
            Table(
                _("Safety education and drills"),
                [_("Kind"), _("Events"), _("Participants")],
                events["by_kind"],
                footer=[_("Total"), events["events"], events["participants"]],
            )
        )
        # the narrative (from the same counts) says it in words; the tables follow
        return SectionData(title=str(self.title), paragraphs=[], tables=tables)


def proof_of_rounds(rounds):
    """Rounds by the weakest proof among their scans: any printed-QR scan makes a round "static" (a photo of
    the poster scans the same), else any rotating code, else NFC; rounds without a scan apart."""
    rows = rounds.annotate(
        n_static=Count("scans", filter=Q(scans__proof=Proof.STATIC)),
        n_rotating=Count("scans", filter=Q(scans__proof=Proof.ROTATING)),
        n_nfc=Count("scans", filter=Q(scans__proof=Proof.NFC)),
    ).values_list("n_static", "n_rotating", "n_nfc")
    result = {"static": 0, "rotating": 0, "nfc": 0, "none": 0}
    for n_static, n_rotating, n_nfc in rows.order_by():
        key = "static" if n_static else "rotating" if n_rotating else "nfc" if n_nfc else "none"
        result[key] += 1
    return result


def inspection_figures(school, since, until, end):
    from .inspections import due_queryset

    labels = dict(EquipmentKind.choices)
    done = (
        Inspection.objects.filter(school=school, inspected_at__gte=since, inspected_at__lt=until)
        .values("equipment__kind")
        .annotate(n=Count("pk"), failed=Count("pk", filter=Q(result=InspectionResult.FAILED)))
        .order_by("equipment__kind")
    )
    by_kind = [[str(labels.get(r["equipment__kind"], r["equipment__kind"])), r["n"], r["failed"]] for r in done]
    overdue = (
        due_queryset(school, end - datetime.timedelta(days=1))
        .exclude(kind__in=DAILY_CHECK_KINDS)
        .filter(next_due__lt=end - datetime.timedelta(days=1))
        .count()
    )
    return {
        "done": sum(r[1] for r in by_kind),
        "failed": sum(r[2] for r in by_kind),
        "overdue": overdue,
        "by_kind": by_kind,
    }


def event_figures(school, start, end):
    from .drills import term_status

    labels = dict(DrillKind.choices)
    rows = (
        SafetyEvent.objects.filter(school=school, held_on__gte=start, held_on__lt=end)
        .values("kind")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by("kind")
    )
    by_kind = [[str(labels.get(r["kind"], r["kind"])), r["n"], r["people"] or 0] for r in rows]
    term = term_status(school, end - datetime.timedelta(days=1))
    return {
        "events": sum(r[1] for r in by_kind),
        "drills": sum(r["n"] for r in rows if r["kind"] in DRILL_KINDS),
        "participants": sum(r[2] for r in by_kind),
        "term_drills": term["drills"],
        "minimum": term["minimum"],
        "by_kind": by_kind,
    }
