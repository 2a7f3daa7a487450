"""The figures from precomputed months: flat whatever the size of the ticket table.

``repairs.stats.compute`` aggregates the period's tickets directly, so its cost grows with the tickets
in the period (a term at a million tickets holds ten times those at ten thousand). Here each school's
month is computed once into a :class:`~repairs.models.MonthFigures` row of *additive* parts (counts,
sums, per trade / status / building / room, parts used, and every completion time so the median and
p90 stay exact); a period adds its months' rows together, and only a month cut by the period's edges
is read directly. ``figures()`` equals ``stats.compute()`` (``tests/repairs/test_month_figures.py``).

Freshness: a row missing when asked for is computed then and there; rows are brought up to date by
``refresh_changed()`` — run by the platform's reminder scan every 15 minutes (``FiguresProvider``) and
as the Celery task ``repairs.tasks.refresh_figures``: the months of every ticket or part with a change
record since the rows were last brought up to date (so a skipped run loses nothing), and, as a net for
writes without a change record, every row of the last 13 months older than a day. The figures may thus
be up to a quarter of an hour old.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from logistics.audit.models import ChangeRecord

from .choices import COMPLETED_STATUSES, OPEN_STATUSES, Cause, TicketStatus, Trade
from .models import MonthFigures, PartUsage, Ticket
from .stats import PARTS_SHOWN, _hours, _percentile_cont, aware, plain

CACHE_SECONDS = getattr(settings, "REPAIRS_STATS_CACHE_SECONDS", 120)
#: changes recorded this long before the last refresh are looked at again (slow commits)
MARGIN = datetime.timedelta(minutes=5)
#: rows of recent months older than this are recomputed even without a change record
MAX_AGE = datetime.timedelta(days=1)

TICKET_COLUMNS = (
    "trade",
    "status",
    "submitted_at",
    "done_at",
    "target_at",
    "reopen_count",
    "escalated_at",
    "cause",
    "damage_amount",
    "labour_minutes",
    "parts_cost",
    "rating",
    "building__name",
    "room_id",
    "room__building__name",
    "room__name",
)
COMPLETED = frozenset(COMPLETED_STATUSES)
OPEN = frozenset(OPEN_STATUSES)


def first_of_month(day):
    return day.replace(day=1)


def next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _add(total, value):
    """A SQL ``SUM``: None until a non-null value is added."""
    if value is None:
        return total
    return value if total is None else total + value


def part(school_id, start, end):
    """The additive figures of one school's tickets submitted in [start, end) (dates) and of the
    parts recorded in it — a JSON-ready dict."""
    low, high = aware(start), aware(end)
    counts = dict.fromkeys(
        ("total", "completed", "on_time", "with_done", "reopened", "open", "escalated", "damage", "rating_n"), 0
    )
    damage_amount = labour = parts_cost = rating_sum = None
    trade, status, building, rooms, durations = {}, {}, {}, {}, []
    rows = Ticket.objects.filter(school_id=school_id, submitted_at__gte=low, submitted_at__lt=high).order_by()
    for (
        t_trade,
        t_status,
        submitted,
        done,
        target,
        reopens,
        escalated,
        cause,
        damage,
        minutes,
        cost,
        rating,
        building_name,
        room_id,
        room_building,
        room_name,
    ) in rows.values_list(*TICKET_COLUMNS).iterator(chunk_size=5000):
        counts["total"] += 1
        trade[t_trade] = trade.get(t_trade, 0) + 1
        status[t_status] = status.get(t_status, 0) + 1
        if done is not None or t_status in COMPLETED:
            counts["completed"] += 1
        if done is not None:
            counts["with_done"] += 1
            durations.append((done - submitted).total_seconds())
            if target is not None and done <= target:
                counts["on_time"] += 1
        if reopens and reopens > 0:
            counts["reopened"] += 1
        if t_status in OPEN:
            counts["open"] += 1
        if escalated is not None:
            counts["escalated"] += 1
        if cause == Cause.HUMAN_DAMAGE:
            counts["damage"] += 1
            damage_amount = _add(damage_amount, damage)
        labour = _add(labour, minutes)
        parts_cost = _add(parts_cost, cost)
        if rating is not None:
            rating_sum = _add(rating_sum, rating)
            counts["rating_n"] += 1
        building[building_name or ""] = building.get(building_name or "", 0) + 1
        room = rooms.setdefault(str(room_id), [room_building, room_name, 0])
        room[2] += 1
    parts = {}
    for name, unit, quantity, cost in (
        PartUsage.objects.filter(school_id=school_id, created__gte=low, created__lt=high, reversed_at__isnull=True)
        .order_by()
        .values_list("name", "unit", "quantity", "cost")
    ):
        entry = parts.setdefault(f"{name}\x1f{unit}", [None, None])
        entry[0], entry[1] = _add(entry[0], quantity), _add(entry[1], cost)
    return {
        **counts,
        "month": start.strftime("%Y-%m"),
        "damage_amount": _text(damage_amount),
        "labour_minutes": labour,
        "parts_cost": _text(parts_cost),
        "rating_sum": rating_sum,
        "trade": trade,
        "status": status,
        "building": building,
        "rooms": rooms,
        "durations": durations,
        "parts": {key: [_text(q), _text(c)] for key, (q, c) in parts.items()},
    }


def _text(value):
    return None if value is None else str(value)


def _dec(text):
    return None if text is None else Decimal(text)


def months_of(start, end):
    """The months [start, end) touches: (month, segment start, segment end, whole month?)."""
    month = first_of_month(start)
    while month < end:
        following = next_month(month)
        low, high = max(start, month), min(end, following)
        yield month, low, high, low == month and high == following
        month = following


def store(school_id, month, now=None):
    """Compute one school's month into its row (created or replaced); the row's data."""
    now = now or timezone.now()
    data = part(school_id, month, next_month(month))
    MonthFigures.objects.update_or_create(
        school_id=school_id, month=month, defaults={"data": data, "computed_at": now, "changes_until": now}
    )
    return data


def figures(school_ids, start, end, use_cache=True):
    """What ``stats.compute(school_ids, start, end)`` gives, from the schools' month rows."""
    school_ids = sorted(set(school_ids))
    key = f"repairs:figures:{','.join(map(str, school_ids))}:{start}:{end}"
    if use_cache and CACHE_SECONDS:
        cached = cache.get(key)
        if cached is not None:
            return cached
    segments = list(months_of(start, end))
    whole = [month for month, _low, _high, full in segments if full]
    stored = {
        (school_id, month): data
        for school_id, month, data in MonthFigures.objects.filter(school_id__in=school_ids, month__in=whole)
        .order_by()
        .values_list("school_id", "month", "data")
    }
    parts = []
    for school_id in school_ids:
        for month, low, high, full in segments:
            if not full:
                parts.append(part(school_id, low, high))
            elif (school_id, month) in stored:
                parts.append(stored[school_id, month])
            else:
                parts.append(store(school_id, month))
    result = combine(parts, start, end)
    if use_cache and CACHE_SECONDS:
        cache.set(key, result, CACHE_SECONDS)
    return result


def combine(parts, start, end):
    """Add the parts together into the figures' shape (``stats.compute``)."""
    counts = dict.fromkeys(
        ("total", "completed", "on_time", "with_done", "reopened", "open", "escalated", "damage", "rating_n"), 0
    )
    damage_amount = labour = parts_cost = rating_sum = None
    trade, status, building, rooms, months, used, durations = {}, {}, {}, {}, {}, {}, []
    for data in parts:
        for name in counts:
            counts[name] += data[name]
        damage_amount = _add(damage_amount, _dec(data["damage_amount"]))
        parts_cost = _add(parts_cost, _dec(data["parts_cost"]))
        labour = _add(labour, data["labour_minutes"])
        rating_sum = _add(rating_sum, data["rating_sum"])
        for target, source in ((trade, data["trade"]), (status, data["status"]), (building, data["building"])):
            for name, n in source.items():
                target[name] = target.get(name, 0) + n
        for room_id, (b, r, n) in data["rooms"].items():
            entry = rooms.setdefault(int(room_id), [b, r, 0])
            entry[2] += n
        if data["total"]:
            months[data["month"]] = months.get(data["month"], 0) + data["total"]
        durations.extend(data["durations"])
        for name_unit, (q, c) in data["parts"].items():
            entry = used.setdefault(name_unit, [None, None])
            entry[0], entry[1] = _add(entry[0], _dec(q)), _add(entry[1], _dec(c))
    durations.sort()
    median = p90 = None
    if durations:
        median, p90 = _hours(_percentile_cont(durations, 0.5)), _hours(_percentile_cont(durations, 0.9))
    completed, with_done = counts["completed"], counts["with_done"]
    all_parts = sorted(
        ((*key.split("\x1f", 1), q, c) for key, (q, c) in used.items()),
        key=lambda p: (-(p[2] or 0), p[0], p[1]),
    )
    top_parts, other_parts = all_parts[:PARTS_SHOWN], all_parts[PARTS_SHOWN:]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "total": counts["total"],
        "by_trade": {t: trade.get(t, 0) for t in Trade.values},
        "by_status": {s: status.get(s, 0) for s in TicketStatus.values},
        "by_month": [{"month": m, "count": n} for m, n in sorted(months.items())],
        "by_building": [
            {"building": name or None, "count": n}
            for name, n in sorted(building.items(), key=lambda item: (-item[1], item[0] == "", item[0]))[:30]
        ],
        "completed": completed,
        "open": counts["open"],
        "escalated": counts["escalated"],
        "median_hours": median,
        "p90_hours": p90,
        "on_time_share": round(counts["on_time"] / with_done, 3) if with_done else None,
        "reopen_rate": round(counts["reopened"] / completed, 3) if completed else None,
        "average_rating": round(rating_sum / counts["rating_n"], 2) if counts["rating_n"] else None,
        "labour_hours": round((labour or 0) / 60, 1),
        "parts_cost": str(parts_cost or Decimal("0")),
        "parts": [
            {"name": name, "unit": unit, "quantity": plain(q), "cost": str(c or Decimal("0"))}
            for name, unit, q, c in top_parts
        ],
        "parts_total": str(sum((p[3] or Decimal("0") for p in all_parts), Decimal("0"))),
        "parts_other": {
            "count": len(other_parts),
            "cost": str(sum((p[3] or Decimal("0") for p in other_parts), Decimal("0"))),
        },
        "top_rooms": [
            {"room": f"{b} {r}", "room_id": room_id, "count": n}
            for room_id, (b, r, n) in sorted(rooms.items(), key=lambda item: (-item[1][2], item[0]))[:10]
        ],
        "damage_count": counts["damage"],
        "damage_amount": str(damage_amount or Decimal("0")),
    }


def _local_month(moment):
    return first_of_month(timezone.localtime(moment).date())


def refresh_changed(now=None):
    """Bring the month rows up to date (idempotent; see the module docstring); the rows recomputed."""
    now = now or timezone.now()
    since = MonthFigures.objects.aggregate(m=Min("changes_until"))["m"]
    if since is None:
        return 0  # nothing precomputed yet: rows are built when first asked for
    since -= MARGIN
    types = ContentType.objects.get_for_models(Ticket, PartUsage)
    ticket_type, part_type = types[Ticket].pk, types[PartUsage].pk
    dirty = set()
    for school_id in MonthFigures.objects.order_by().values_list("school_id", flat=True).distinct():
        changed = {ticket_type: set(), part_type: set()}
        for type_id, object_id in (
            ChangeRecord.objects.filter(school_id=school_id, time__gte=since, content_type_id__in=changed)
            .order_by()
            .values_list("content_type_id", "object_id")
            .distinct()
        ):
            changed[type_id].add(object_id)
        for moment in Ticket.objects.filter(pk__in=changed[ticket_type]).values_list("submitted_at", flat=True):
            dirty.add((school_id, _local_month(moment)))
        for moment in PartUsage.objects.filter(pk__in=changed[part_type]).values_list("created", flat=True):
            dirty.add((school_id, _local_month(moment)))
    recent = first_of_month(timezone.localdate(now)) - datetime.timedelta(days=396)
    dirty.update(
        MonthFigures.objects.filter(computed_at__lt=now - MAX_AGE, month__gte=recent).values_list("school_id", "month")
    )
    existing = set(MonthFigures.objects.values_list("school_id", "month"))
    done = 0
    for school_id, month in sorted(dirty & existing):
        with transaction.atomic():
            store(school_id, month, now)
        done += 1
    MonthFigures.objects.filter(changes_until__lt=now).update(changes_until=now)
    return done
