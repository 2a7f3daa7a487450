"""The hygiene part of the canteen's monthly report: self-inspections, grades, failed items and their
rectification, in the seeds' voice ("本月开展卫生自查 N 次…")."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from logistics.corrective.choices import ActionStatus
from logistics.corrective.models import CorrectiveAction
from logistics.reports.registry import Section, SectionData, Table

from . import schedules
from .inspection_choices import Grade, ItemResult, PeriodState
from .models import HygieneInspection, InspectionResult


class HygieneSection(Section):
    code = "canteen_hygiene"
    title = gettext_lazy("Canteen hygiene self-inspections")
    order = 31

    def build(self, school, start, end):
        inspections = list(
            HygieneInspection.objects.filter(school=school, date__gte=start, date__lt=end)
            .select_related("template", "inspector")
            .order_by("date", "pk")
        )
        grades = {g: sum(1 for i in inspections if i.grade == g) for g in Grade.values}
        periods = schedules.schedule([school], start, end - datetime.timedelta(days=1))
        missed = [p for p in periods if p.state == PeriodState.MISSED]
        failed = list(
            InspectionResult.objects.filter(
                school=school, inspection__in=[i.pk for i in inspections], result=ItemResult.FAIL
            )
            .select_related("inspection__template")
            .order_by("inspection__date", "position")
        )
        actions = {
            a.source_id: a
            for a in CorrectiveAction.objects.filter(
                school=school,
                source_type=ContentType.objects.get_for_model(InspectionResult),
                source_id__in=[r.pk for r in failed],
            ).select_related("owner")
        }
        fixed = sum(
            1
            for r in failed
            if r.pk in actions and actions[r.pk].status in (ActionStatus.VERIFIED, ActionStatus.CLOSED)
        )
        text = _(
            "This month the canteen carried out %(n)s hygiene self-inspections: %(a)s graded A, %(b)s B and "
            "%(c)s C. %(failed)s items failed; %(fixed)s of them have been rectified and verified."
        ) % {
            "n": len(inspections),
            "a": grades["A"],
            "b": grades["B"],
            "c": grades["C"],
            "failed": len(failed),
            "fixed": fixed,
        }
        if missed:
            text += " " + _("%(n)s scheduled inspections were missed (listed below).") % {"n": len(missed)}
        elif inspections:
            text += " " + _("Every scheduled inspection was done.")
        tables = [
            Table(
                _("Hygiene self-inspections"),
                [_("Date"), _("Checklist"), _("Inspector"), _("Score (%)"), pgrade(), _("Failed items")],
                [
                    [
                        i.date.strftime("%Y-%m-%d"),
                        i.template.name,
                        str(i.inspector),
                        str(i.score),
                        i.grade,
                        i.failed_items,
                    ]
                    for i in inspections
                ],
                footer=[_("Total"), "", "", "", "", sum(i.failed_items for i in inspections)],
            ),
            Table(
                _("Failed items and their rectification"),
                [_("Date"), _("Checklist"), _("Item"), _("Owner"), _("Deadline"), _("Rectification")],
                [
                    [
                        r.inspection.date.strftime("%Y-%m-%d"),
                        r.inspection.template.name,
                        r.text,
                        str(actions[r.pk].owner or "") if r.pk in actions else "",
                        actions[r.pk].deadline.strftime("%Y-%m-%d")
                        if r.pk in actions and actions[r.pk].deadline
                        else "",
                        actions[r.pk].get_status_display() if r.pk in actions else _("No corrective action"),
                    ]
                    for r in failed
                ],
            ),
            Table(
                _("Missed inspections"),
                [_("Checklist"), pgettext("checklist frequency", "Period")],
                [
                    [
                        p.template.name,
                        p.start.strftime("%Y-%m-%d") if p.start == p.end else f"{p.start:%Y-%m-%d} – {p.end:%Y-%m-%d}",
                    ]
                    for p in missed
                ],
            ),
        ]
        return SectionData(title=str(self.title), paragraphs=[text], tables=tables)


def pgrade():
    from django.utils.translation import pgettext

    return pgettext("inspection", "grade")
