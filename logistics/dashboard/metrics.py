"""Area figures (各条线指标): the registry behind the principal's area cards and the district comparison.

A domain app registers its areas and figures in ``AppConfig.ready()``::

    metrics.register_area(metrics.Area("repairs", _("Repairs"), perm="repairs.view_stats", order=20))
    metrics.register(metrics.Metric("repairs.on_time", "repairs", _("Repairs on time"), kind=RATE,
                                    compute=on_time, link=ticket_list, district=True))

``compute(school_ids, start, end)`` returns ``{school_id: value}`` for the days ``[start, end)`` — all
schools in a fixed number of queries. A school **without a value has nothing recorded** and is shown as
missing (—), never as zero. Values by kind:

- ``RATE``: ``(numerator, denominator)`` — shown as a percentage; totals add numerators and
  denominators (the district's rate is not the mean of the schools' rates).
- ``COUNT`` / ``AMOUNT``: a number; ``HOURS``: hours (not added up: the district shows the median).
- ``FLAG``: ``True``/``False`` (e.g. a fee board published and current), shown with the metric's
  ``yes``/``no`` words; the total counts the schools where it holds.
- ``LABEL``: a code among the metric's ``labels`` ({code: words}, e.g. an inspection grade "A" → "A（良好）"),
  shown with its words; not compared, not added up, no chart.
"""

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "AMOUNT",
    "COUNT",
    "FLAG",
    "HOURS",
    "LABEL",
    "RATE",
    "Area",
    "Metric",
    "Listing",
    "areas",
    "listings",
    "median",
    "metrics",
    "register",
    "register_area",
    "register_listing",
]

RATE, COUNT, AMOUNT, HOURS, FLAG, LABEL = "rate", "count", "amount", "hours", "flag", "label"

_areas = {}
_metrics = []


@dataclass(eq=False)
class Area:
    """One line of work on the dashboard (repairs, canteen…): its card is shown to holders of ``perm``."""

    code: str
    label: object
    perm: str
    order: int = 50


@dataclass(eq=False)
class Metric:
    """One figure of an area. ``link(school, start, end)`` → the filtered list behind the figure.
    ``trend``: a monthly series makes sense (False for a state "now", computed once for today).
    ``district``: a column of the district comparison. ``lower_is_better``: for the sort's colours
    and the card's arrow (overdue counts)."""

    code: str
    area: str
    label: object
    kind: str = COUNT
    compute: object = None
    link: object = None
    order: int = 50
    trend: bool = True
    district: bool = False
    lower_is_better: bool = False
    #: the permission to see this figure when not the area's (a district officer sees the fee board, not charges)
    perm: str = ""
    yes: object = pgettext_lazy("dashboard figure", "yes")
    no: object = pgettext_lazy("dashboard figure", "no")
    help: object = ""
    #: ``LABEL`` figures: {code: words shown}
    labels: object = None

    def values(self, school_ids, start, end):
        return self.compute(list(school_ids), start, end) or {}

    def url(self, school, start, end):
        if not self.link:
            return ""
        try:
            return self.link(school, start, end) or ""
        except Exception:  # noqa: BLE001 — a broken link must not take the dashboard down
            return ""

    # --- reading a value ---------------------------------------------------------------------------
    def number(self, value):
        """The value as one comparable number (a rate as a share 0…1), or None when missing."""
        if value is None:
            return None
        if self.kind == RATE:
            num, den = value
            return float(num) / float(den) if den else None
        if self.kind == FLAG:
            return 1.0 if value else 0.0
        if self.kind == LABEL:
            return None
        return float(value)

    def display(self, value):
        """The value as text for a page: 87.5%, 1,234, 3.2 小时, 是/否; "—" when missing."""
        if value is None:
            return "—"
        if self.kind == RATE:
            share = self.number(value)
            return "—" if share is None else f"{share * 100:.1f}%"
        if self.kind == FLAG:
            return str(self.yes if value else self.no)
        if self.kind == LABEL:
            return str((self.labels or {}).get(value, value))
        if self.kind == HOURS:
            return _("%(hours)s h") % {"hours": f"{float(value):.1f}"}
        if self.kind == AMOUNT:
            return f"{Decimal(value):,.2f}"
        return f"{value:,}" if isinstance(value, int) else f"{float(value):,.1f}"

    def total(self, values):
        """The district's total of the schools' values (missing ones left out), or None when not added up."""
        present = [v for v in values if v is not None]
        if not present:
            return None
        if self.kind == RATE:
            num = sum(v[0] for v in present)
            den = sum(v[1] for v in present)
            return (num, den) if den else None
        if self.kind == FLAG:
            return sum(1 for v in present if v)
        if self.kind in (HOURS, LABEL):
            return None
        return sum(present)

    def display_total(self, value):
        if value is None:
            return ""
        if self.kind == FLAG:
            return f"{value:,}"
        return self.display(value)


def median(numbers):
    """The median of the numbers present (None when there is none): the middle one of an odd count, the
    mean of the two middle ones of an even count."""
    present = sorted(n for n in numbers if n is not None)
    if not present:
        return None
    return statistics.median(present)


def register_area(area):
    _areas[area.code] = area
    return area


def register(metric):
    if any(m.code == metric.code for m in _metrics):
        raise ValueError(f"A dashboard figure {metric.code!r} is already registered.")
    _metrics.append(metric)
    return metric


def unregister(code):
    _metrics[:] = [m for m in _metrics if m.code != code]


def areas():
    return sorted(_areas.values(), key=lambda a: (a.order, a.code))


def metrics(area=None, district=None):
    found = [
        m
        for m in _metrics
        if (area is None or m.area == area) and (district is None or m.district == district) and m.area in _areas
    ]
    return sorted(found, key=lambda m: (_areas[m.area].order, m.order, m.code))


# --- periods --------------------------------------------------------------------------------------
def first_of_month(day):
    return day.replace(day=1)


def add_months(day, n):
    month = day.month - 1 + n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def month_bounds(day):
    start = first_of_month(day)
    return start, add_months(start, 1)


def last_months(today, n):
    """The ``n`` months up to and including ``today``'s, oldest first: [(start, end)…]."""
    current = first_of_month(today)
    return [(add_months(current, -k), add_months(current, 1 - k)) for k in range(n - 1, -1, -1)]


# --- lists across schools on the district page ------------------------------------------------------
_listings = []


@dataclass(eq=False)
class Listing:
    """A list of records across the district's schools (the major hazards under supervision, 挂牌督办):
    ``rows(school_ids)`` → ``[{"school_id", "text", "url", "deadline", "status", "late"}]`` in one query,
    shown to district users who hold ``perm`` in those schools."""

    code: str
    title: object
    perm: str
    rows: object
    order: int = 50
    empty: object = _("Nothing at present.")


def register_listing(listing):
    if any(item.code == listing.code for item in _listings):
        raise ValueError(f"A district list {listing.code!r} is already registered.")
    _listings.append(listing)
    return listing


def listings():
    return sorted(_listings, key=lambda item: (item.order, item.code))
