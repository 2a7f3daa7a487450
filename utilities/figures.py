"""Use per kind and month, per student, and a meter's last 24 months — read for the pages, the
dashboard widget and the monthly report, in a fixed number of queries whatever the number of schools."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.people.models import Student

from .choices import UNITS, MeterKind
from .models import MeterReading
from .services import months_back


def totals(school_ids, months):
    """``{(school_id, kind, month): {"use", "usual", "judged", "flagged", "readings"}}`` over the given
    months. ``usual`` sums the usual use of the readings that have one; ``judged`` their use (compare
    the two, not the whole use with a partial usual)."""
    rows = (
        MeterReading.objects.filter(school_id__in=school_ids, month__in=months)
        .values("school_id", "meter__kind", "month")
        .annotate(
            total_use=Sum("consumption"),
            total_usual=Sum("usual"),
            judged_use=Sum("consumption", filter=Q(usual__isnull=False)),
            flagged_count=Count("pk", filter=Q(flagged=True)),
            reading_count=Count("pk"),
        )
        .order_by()
    )
    return {
        (row["school_id"], row["meter__kind"], row["month"]): {
            "use": row["total_use"],
            "usual": row["total_usual"],
            "judged": row["judged_use"],
            "flagged": row["flagged_count"],
            "readings": row["reading_count"],
        }
        for row in rows
    }


def students(school_ids):
    """The schools' enrolled (active) students now: ``{school_id: count}``."""
    rows = (
        Student.objects.filter(school_id__in=school_ids, active=True)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["school_id"]: row["n"] for row in rows}


def per_student(use, count):
    if use is None or not count:
        return None
    return (Decimal(use) / count).quantize(Decimal("0.001"))


def change(now, before):
    """The change in per cent from ``before`` to ``now`` (None when either is missing or ``before`` is 0)."""
    if now is None or before is None or before == 0:
        return None
    return round(float((Decimal(now) - Decimal(before)) / Decimal(before) * 100), 1)


def kind_rows(school, month):
    """One row per kind for ``school`` in ``month``: use, per student, previous month, same month last
    year and the changes — the monthly report's table and its paragraph read the same rows."""
    previous = months_back(month, 2)[0]
    last_year = month.replace(year=month.year - 1)
    data = totals([school.pk], [month, previous, last_year])
    count = students([school.pk]).get(school.pk, 0)
    rows = []
    for kind, label in MeterKind.choices:
        now = data.get((school.pk, kind, month), {})
        before = data.get((school.pk, kind, previous), {})
        year = data.get((school.pk, kind, last_year), {})
        if not (now or before or year):
            continue
        use = now.get("use")
        rows.append(
            {
                "kind": kind,
                "label": str(label),
                "unit": UNITS[kind],
                "use": use,
                "per_student": per_student(use, count),
                "previous": before.get("use"),
                "change_previous": change(use, before.get("use")),
                "last_year": year.get("use"),
                "change_last_year": change(use, year.get("use")),
                "flagged": now.get("flagged", 0),
                "readings": now.get("readings", 0),
            }
        )
    return rows, count


def months_of(start, end):
    """The first days of the months in [start, end)."""
    month = start.replace(day=1)
    found = []
    while month < end:
        found.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return found


def _next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def period_rows(school, period):
    """The term's or year's figures (``period``: a ``logistics.reports.registry.Period``) in three reads:
    ``(months, kinds, count)`` — ``months``: one row per month of the period up to this month
    ``{"month", "use": {kind: use or None}, "flagged", "readings"}``; ``kinds``: one row per kind with its
    use over the months, per student, and against the period before and the same period last year (the
    sums of the same monthly totals); ``count``: enrolled students now. The summary's tables and its
    paragraph read these same rows."""
    # the months of the period up to the current one (a term under way has no readings ahead of today)
    months = months_of(period.start, min(period.end, _next_month(timezone.localdate())))
    previous = months_of(period.previous.start, period.previous.end)
    last_year = months_of(period.last_year.start, period.last_year.end)
    data = totals([school.pk], sorted(set(months) | set(previous) | set(last_year)))
    count = students([school.pk]).get(school.pk, 0)

    def over(kind, chosen):
        found = [data[(school.pk, kind, m)]["use"] for m in chosen if (school.pk, kind, m) in data]
        found = [v for v in found if v is not None]
        return sum(found, Decimal(0)) if found else None

    month_rows = []
    for month in months:
        cells = {kind: data.get((school.pk, kind, month), {}) for kind in MeterKind.values}
        month_rows.append(
            {
                "month": month,
                "use": {kind: cell.get("use") for kind, cell in cells.items()},
                "flagged": sum(cell.get("flagged", 0) for cell in cells.values()),
                "readings": sum(cell.get("readings", 0) for cell in cells.values()),
            }
        )
    kind_rows = []
    for kind, label in MeterKind.choices:
        use, before, year = over(kind, months), over(kind, previous), over(kind, last_year)
        if use is None and before is None and year is None:
            continue
        kind_rows.append(
            {
                "kind": kind,
                "label": str(label),
                "unit": UNITS[kind],
                "use": use,
                "per_student": per_student(use, count),
                "previous": before,
                "change_previous": change(use, before),
                "last_year": year,
                "change_last_year": change(use, year),
                "months": sum(1 for m in months if data.get((school.pk, kind, m), {}).get("use") is not None),
            }
        )
    return month_rows, kind_rows, count


def flagged_in(school_ids, start, end):
    """``{school_id: [reading, …]}``: the readings above the usual in the months of [start, end)."""
    out = defaultdict(list)
    for reading in (
        MeterReading.objects.filter(school_id__in=school_ids, month__gte=start, month__lt=end, flagged=True)
        .select_related("meter__campus")
        .order_by("month", "meter__kind", "meter__name")
    ):
        out[reading.school_id].append(reading)
    return out


def meter_history(meter, month, n=24):
    """The meter's last ``n`` months ending with ``month``: ``[(month, reading or None)]``, oldest first,
    from its first reading on (a month without a reading in between stays, as "not read")."""
    months = months_back(month, n)
    readings = {
        r.month: r
        for r in MeterReading.objects.filter(meter=meter, month__gte=months[0], month__lte=months[-1]).select_related(
            "entered_by"
        )
    }
    history = [(m, readings.get(m)) for m in months]
    while len(history) > 1 and history[0][1] is None:  # months before the meter's first reading
        history.pop(0)
    return history


def chart_config(meter, history):
    """A Chart.js bar chart of the month's use (flagged months in red) with the usual as a line."""
    labels = [f"{m:%Y-%m}" for m, _r in history]
    use = [float(r.consumption) if r and r.consumption is not None else None for _m, r in history]
    usual = [float(r.usual) if r and r.usual is not None else None for _m, r in history]
    colours = ["#dc3545" if r and r.flagged else "#0d6efd" for _m, r in history]
    unit = meter.unit
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "type": "bar",
                    "label": _("Use (%(unit)s)") % {"unit": unit},
                    "data": use,
                    "backgroundColor": colours,
                    "order": 2,
                },
                {
                    "type": "line",
                    "label": _("Usual (%(unit)s)") % {"unit": unit},
                    "data": usual,
                    "borderColor": "#212529",
                    "backgroundColor": "#212529",
                    "borderDash": [4, 4],
                    "borderWidth": 2,
                    "pointRadius": 0,
                    "spanGaps": True,
                    "order": 1,
                },
            ],
        },
        "options": {
            "maintainAspectRatio": False,
            "animation": False,
            "plugins": {"legend": {"position": "bottom", "labels": {"boxWidth": 14}}},
            "scales": {"x": {"ticks": {"maxRotation": 90, "autoSkip": True}}, "y": {"beginAtZero": True}},
        },
    }


def flagged_by_school(school_ids, month):
    """``{school_id: [reading, …]}``: the meters above the usual in ``month``."""
    out = defaultdict(list)
    for reading in (
        MeterReading.objects.filter(school_id__in=school_ids, month=month, flagged=True)
        .select_related("meter__campus")
        .order_by("meter__kind", "meter__name")
    ):
        out[reading.school_id].append(reading)
    return out
