"""The utilities section of the monthly report: use per kind and per student against the previous month
and the same month last year, in the seeds' voice, and the meters above the usual; in the term and year
summaries (学期工作总结) the same over the period's months: use per month, per kind and per student against
the term (year) before and the same term last year, and every reading above the usual."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from logistics.reports.registry import Period, Section, SectionData, Table

from . import figures
from .choices import UNITS, MeterKind
from .models import MeterReading
from .services import month_start


def _n(value, places=2):
    if value is None:
        return None
    return round(float(value), places)


def _dash(value):
    return "—" if value is None else value


def _use_rows(kinds):
    """The cells of a table of use per kind: label, unit, use, per student, the period before and the
    same period last year with their changes (a dash where nothing was recorded)."""
    return [
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
        for row in kinds
    ]


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


def _period_of(start, end):
    """The report's period from its days: a month, a calendar year or a term."""
    first = month_start(start)
    if figures.months_of(first, end) == [first]:
        return Period(first, end, "month")
    if start.month == 1 and start.day == 1 and end == start.replace(year=start.year + 1):
        return Period(start, end, "year")
    return Period(start, end, "term")


def _number_text(value):
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def period_paragraph(period, kinds, flagged, count):
    """The term's (year's) narrative, from the same rows as its tables (:func:`figures.period_rows`)."""
    if not any(row["use"] is not None for row in kinds):
        return _("No meter readings were recorded in this period.")
    parts = []
    for row in kinds:
        if row["use"] is None:
            continue
        text = _("%(period)s %(kind)s used: %(use)s %(unit)s over %(months)s months") % {
            "period": period.word,
            "kind": row["label"],
            "use": _number_text(row["use"]),
            "unit": row["unit"],
            "months": row["months"],
        }
        if row["per_student"] is not None:
            text += _(" (%(per)s %(unit)s per student)") % {"per": row["per_student"], "unit": row["unit"]}
        comparisons = [
            c
            for c in (
                _compare(row["change_previous"], _("on %(when)s") % {"when": period.previous_word}),
                _compare(row["change_last_year"], _("on %(when)s") % {"when": period.last_year_word}),
            )
            if c
        ]
        if comparisons:
            comma = pgettext("utility report", ", ")
            text += comma + comma.join(comparisons)
        parts.append(text)
    text = pgettext("utility report", "; ").join(parts) + pgettext("utility report", ".")
    if flagged:
        meters = sorted({str(r.meter) for r in flagged})
        text += ngettext(
            " %(count)s reading was above the usual (%(names)s); the cause should be checked (a leak?).",
            " %(count)s readings were above the usual (%(names)s); the causes should be checked (a leak?).",
            len(flagged),
        ) % {"count": len(flagged), "names": pgettext("utility report", ", ").join(meters)}
    else:
        text += _(" No meter used more than usual.")
    if not count:
        text += _(" No enrolled students are recorded, so there is no use per student.")
    return text


class UtilitiesSection(Section):
    code = "utilities"
    title = gettext_lazy("Water, electricity and gas")
    order = 70
    kinds = ("month", "term", "year")

    def build(self, school, start, end):
        period = _period_of(start, end)
        if period.kind != "month":
            return self.build_period(school, period)
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
                _use_rows(rows),
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

    def build_period(self, school, period):
        """The term or year summary's part: use per month, per kind over the period, the readings above the
        usual (每月用量、人均用量、用量异常)."""
        months, kinds, count = figures.period_rows(school, period)
        flagged = figures.flagged_in([school.pk], period.start, period.end).get(school.pk, [])
        order = list(MeterKind.values)
        headers = [_("Month")] + [
            _("%(kind)s (%(unit)s)") % {"kind": label, "unit": UNITS[kind]} for kind, label in MeterKind.choices
        ]
        totals = []
        for kind in order:
            present = [row["use"][kind] for row in months if row["use"][kind] is not None]
            totals.append(_n(sum(present)) if present else "—")
        tables = [
            Table(
                _("Use per month"),
                [*headers, _("Readings above the usual")],
                [
                    [f"{row['month']:%Y-%m}", *(_dash(_n(row["use"][kind])) for kind in order), row["flagged"]]
                    for row in months
                ],
                footer=[_("Total"), *totals, sum(row["flagged"] for row in months)],
            ),
            Table(
                _("Use per kind over the period"),
                [
                    _("Kind"),
                    _("Unit"),
                    period.word,
                    _("Per student"),
                    period.previous_word,
                    _("Change on the period before (%)"),
                    period.last_year_word,
                    _("Change on the same period last year (%)"),
                ],
                _use_rows(kinds),
                footer=[_("Enrolled students"), count, "", "", "", "", "", ""],
            ),
            Table(
                _("Readings above the usual"),
                [_("Month"), _("Meter"), _("Kind"), _("Campus"), _("Use"), _("Usual use"), _("Times the usual")],
                [
                    [
                        f"{r.month:%Y-%m}",
                        str(r.meter),
                        str(r.meter.get_kind_display()),
                        r.meter.campus.name,
                        _n(r.consumption),
                        _n(r.usual),
                        _n(r.ratio, 2),
                    ]
                    for r in sorted(flagged, key=lambda r: (r.month, order.index(r.meter.kind), str(r.meter)))
                ],
            ),
        ]
        return SectionData(
            title=str(self.title), paragraphs=[period_paragraph(period, kinds, flagged, count)], tables=tables
        )
