"""The figures the department reports (DOMAIN.md § Repairs; seed: "本学期水道工承接报修单共562次…"):
counts by trade, building, status and month; median and p90 time to complete; share completed on
time; reopen rate; parts and cost; top rooms; human damage charged back.

Every figure comes from a handful of aggregate queries over the period (constant in the number of
tickets' rows returned); results are cached briefly because the head's page and the API ask the same.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from logistics import terms

from .choices import COMPLETED_STATUSES, OPEN_STATUSES, Cause, TicketStatus, Trade
from .models import PartUsage, Ticket

PARTS_SHOWN = 20  # rows of the parts table; the rest are one "other parts" row

CACHE_SECONDS = getattr(settings, "REPAIRS_STATS_CACHE_SECONDS", 120)


class Percentiles(Aggregate):
    """PostgreSQL ``percentile_cont(ARRAY[p, …]) WITHIN GROUP (ORDER BY seconds)``: several
    percentiles of a duration from one sort, in seconds."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[%(percentiles)s]) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"

    def __init__(self, expression, percentiles, **extra):
        super().__init__(
            expression, percentiles=", ".join(str(float(p)) for p in percentiles), output_field=FloatField(), **extra
        )

    def convert_value(self, value, expression, connection):
        return value


def term_bounds(today=None):
    """The school term around ``today`` (``logistics.terms``) → (first day, day after the last)."""
    term = terms.term_of(today or timezone.localdate())
    return term.start, term.end


def plain(value):
    """A decimal without trailing zeros or exponent: 47.00 → "47", 2.50 → "2.5"."""
    if value is None:
        return "0"
    return format(Decimal(value).normalize(), "f")


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _hours(value):
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 3600, 1)
    return round(float(value) / 3600, 1)


def _percentiles(done):
    duration = ExpressionWrapper(F("done_at") - F("submitted_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        values = done.aggregate(p=Percentiles(duration, (0.5, 0.9)))["p"] or [None, None]
        return _hours(values[0]), _hours(values[1])
    values = sorted((d - s).total_seconds() for d, s in done.values_list("done_at", "submitted_at"))
    if not values:
        return None, None
    return _hours(_percentile_cont(values, 0.5)), _hours(_percentile_cont(values, 0.9))


def _percentile_cont(values, fraction):
    """PostgreSQL's ``percentile_cont`` on sorted ``values``: linear interpolation between neighbours."""
    position = fraction * (len(values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


def compute(school_ids, start, end, use_cache=True):
    """Figures for tickets submitted in [start, end) (dates) in the given schools."""
    school_ids = sorted(set(school_ids))
    key = f"repairs:stats:{','.join(map(str, school_ids))}:{start}:{end}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    tickets = Ticket.objects.filter(
        school_id__in=school_ids, submitted_at__gte=aware(start), submitted_at__lt=aware(end)
    ).order_by()
    aggregates = {f"trade_{t}": Count("pk", filter=Q(trade=t)) for t in Trade.values}
    aggregates.update({f"status_{s}": Count("pk", filter=Q(status=s)) for s in TicketStatus.values})
    completed = Q(done_at__isnull=False) | Q(status__in=COMPLETED_STATUSES)
    aggregates.update(
        total=Count("pk"),
        completed=Count("pk", filter=completed),
        on_time=Count("pk", filter=Q(done_at__isnull=False, done_at__lte=F("target_at"))),
        with_done=Count("pk", filter=Q(done_at__isnull=False)),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
        damage=Count("pk", filter=Q(cause=Cause.HUMAN_DAMAGE)),
        damage_amount=Sum("damage_amount", filter=Q(cause=Cause.HUMAN_DAMAGE)),
        labour_minutes=Sum("labour_minutes"),
        parts_cost=Sum("parts_cost"),
        rating=Avg("rating"),
    )
    row = tickets.aggregate(**aggregates)
    median, p90 = _percentiles(tickets.filter(done_at__isnull=False))
    by_month = [
        {"month": m.strftime("%Y-%m"), "count": n}
        for m, n in tickets.annotate(m=TruncMonth("submitted_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by("m")
        .values_list("m", "n")
        if m is not None
    ]
    by_building = [
        {"building": name, "count": n}
        for name, n in tickets.values_list("building__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "building__name")[:30]
    ]
    top_rooms = [
        {"room": f"{b} {r}", "room_id": rid, "count": n}
        for rid, b, r, n in tickets.values_list("room_id", "room__building__name", "room__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "room_id")[:10]
    ]
    all_parts = [
        {"name": name, "unit": unit, "quantity": qty, "cost": cost}
        # parts used in the period: recorded (``created``) in it, not reversed
        for name, unit, qty, cost in PartUsage.objects.filter(
            school_id__in=school_ids, created__gte=aware(start), created__lt=aware(end), reversed_at__isnull=True
        )
        .values_list("name", "unit")
        .annotate(q=Sum("quantity"), c=Sum("cost"))
        .order_by("-q", "name", "unit")
    ]
    parts, other_parts = all_parts[:PARTS_SHOWN], all_parts[PARTS_SHOWN:]
    completed_n = row["completed"] or 0
    with_done = row["with_done"] or 0
    result = {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "total": row["total"],
        "by_trade": {t: row[f"trade_{t}"] for t in Trade.values},
        "by_status": {s: row[f"status_{s}"] for s in TicketStatus.values},
        "by_month": by_month,
        "by_building": by_building,
        "completed": completed_n,
        "open": row["open"],
        "escalated": row["escalated"],
        "median_hours": median,
        "p90_hours": p90,
        "on_time_share": round(row["on_time"] / with_done, 3) if with_done else None,
        "reopen_rate": round(row["reopened"] / completed_n, 3) if completed_n else None,
        "average_rating": round(row["rating"], 2) if row["rating"] is not None else None,
        "labour_hours": round((row["labour_minutes"] or 0) / 60, 1),
        "parts_cost": str(row["parts_cost"] or Decimal("0")),
        "parts": [{**p, "quantity": plain(p["quantity"]), "cost": str(p["cost"] or Decimal("0"))} for p in parts],
        # the parts table's total: the same rows (shown ones and the rest), never the tickets' parts cost
        "parts_total": str(sum((p["cost"] or Decimal("0") for p in all_parts), Decimal("0"))),
        "parts_other": {
            "count": len(other_parts),
            "cost": str(sum((p["cost"] or Decimal("0") for p in other_parts), Decimal("0"))),
        },
        "top_rooms": top_rooms,
        "damage_count": row["damage"],
        "damage_amount": str(row["damage_amount"] or Decimal("0")),
    }
    if use_cache:
        cache.set(key, result, CACHE_SECONDS)
    return result
