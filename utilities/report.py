"""The utilities section of the monthly report: use per kind and per student against the previous month
and the same month last year, in the seeds' voice, and the meters above the usual."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from logistics.reports.registry import Section, SectionData, Table

from . import figures
from .choices import MeterKind
from .models import MeterReading
from .services import month_start


def _n(value, places=2):
    if value is None:
        return None
    return round(float(value), places)


def _dash(value):
    return "—" if value is None else value


def _compare(pct, what):
    if pct is None:
        return ""
    if pct > 0:
        return _("%(what)s up %(pct)s%%") % {"what": what, "pct": pct}
    if pct < 0:
        return _("%(what)s down %(pct)s%%") % {"what": what, "pct": -pct}
    return _("%(what)s unchanged") % {"what": what}


def paragraph(rows, flagged, count):
    """The narrative, from the same rows as the tables (``rows`` of :func:`figures.kind_rows`)."""
    if not any(row["use"] is not None for row in rows):
        return _("No meter readings were recorded for this month.")
    parts = []
    for row in rows:
        if row["use"] is None:
            continue
        text = _("%(kind)s used this month: %(use)s %(unit)s") % {
            "kind": row["label"],
            "use": f"{row['use']:,.2f}".rstrip("0").rstrip("."),
            "unit": row["unit"],
        }
        if row["per_student"] is not None:
            text += _(" (%(per)s %(unit)s per student)") % {"per": row["per_student"], "unit": row["unit"]}
        comparisons = [
            c
            for c in (
                _compare(row["change_previous"], _("on the previous month")),
                _compare(row["change_last_year"], _("on the same month last year")),
            )
            if c
        ]
        if comparisons:
            comma = pgettext("utility report", ", ")
            text += comma + comma.join(comparisons)
        parts.append(text)
    text = pgettext("utility report", "; ").join(parts) + pgettext("utility report", ".")
    if flagged:
        names = pgettext("utility report", ", ").join(str(r.meter) for r in flagged)
        text += ngettext(
            " %(count)s meter used more than usual: %(names)s; the cause should be checked (a leak?).",
            " %(count)s meters used more than usual: %(names)s; the causes should be checked (a leak?).",
            len(flagged),
        ) % {"count": len(flagged), "names": names}
    else:
        text += _(" No meter used more than usual.")
    if not count:
        text += _(" No enrolled students are recorded, so there is no use per student.")
    return text


class UtilitiesSection(Section):
    code = "utilities"
    title = gettext_lazy("Water, electricity and gas")
    order = 70
    kinds = ("month",)  # the figures are per meter-reading month; not in the term/year summary yet

    def build(self, school, start, end):
        month = month_start(start)
        rows, count = figures.kind_rows(school, month)
        flagged = figures.flagged_by_school([school.pk], month).get(school.pk, [])
        kinds = list(MeterKind.values)  # water, electricity, gas — as in the table above
        readings = sorted(
            MeterReading.objects.filter(school=school, month=month).select_related("meter__campus"),
            key=lambda r: (kinds.index(r.meter.kind), r.meter.campus.name, r.meter.name),
        )
        tables = [
            Table(
                _("Use per kind"),
                [
                    _("Kind"),
                    _("Unit"),
                    _("This month"),
                    _("Per student"),
                    _("Previous month"),
                    _("Change on the previous month (%)"),
                    _("Same month last year"),
                    _("Change on the same month last year (%)"),
                ],
                [
                    [
                        row["label"],
                        row["unit"],
                        _dash(_n(row["use"])),
                        _dash(_n(row["per_student"], 3)),
                        _dash(_n(row["previous"])),
                        _dash(row["change_previous"]),
                        _dash(_n(row["last_year"])),
                        _dash(row["change_last_year"]),
                    ]
                    for row in rows
                ],
                footer=[_("Enrolled students"), count, "", "", "", "", "", ""],
            ),
            Table(
                _("Meters above the usual"),
                [_("Meter"), _("Kind"), _("Campus"), _("Use"), _("Usual use"), _("Times the usual")],
                [
                    [
                        str(r.meter),
                        str(r.meter.get_kind_display()),
                        r.meter.campus.name,
                        _n(r.consumption),
                        _n(r.usual),
                        _n(r.ratio, 2),
                    ]
                    for r in flagged
                ],
            ),
            Table(
                _("Readings of the month"),
                [_("Meter"), _("Kind"), _("Campus"), _("Meter value"), _("Use"), _("Unit"), _("Usual use")],
                [
                    [
                        str(r.meter),
                        str(r.meter.get_kind_display()),
                        r.meter.campus.name,
                        _dash(_n(r.value)),
                        _dash(_n(r.consumption)),
                        r.meter.unit,
                        _dash(_n(r.usual)),
                    ]
                    for r in readings
                ],
            ),
        ]
        return SectionData(title=str(self.title), paragraphs=[paragraph(rows, flagged, count)], tables=tables)
