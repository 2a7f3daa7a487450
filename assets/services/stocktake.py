"""Stock-takes (清查盘点): ledger, card and item must agree (帐、卡、物相符).

Walk room by room, scan or tick each asset, add items found that are not on the ledger; the result
lists found / missing / wrong room / not in the ledger; every difference is explained; the logistics
head approves and only then does the ledger change, each change recorded
(行政事业性国有资产管理条例 art. 37–39).

Concurrency: a stock-take has one line per asset (unique constraint); a scan updates that line
under a row lock, or creates it with ``get_or_create`` — two people scanning at once never lose a
scan, and a scan twice is the same scan.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event
from logistics.tenancy import versions
from logistics.workflow.guard import ensure, run

from ..choices import ON_LEDGER, AssetStatus, LineResult
from ..models import Asset, StockTake, StockTakeLine

#: assets a stock-take expects to find
EXPECTED_STATUSES = ON_LEDGER


def start_stocktake(*, school, user, name, rooms=None, whole_school=False, notes=""):
    """Start a stock-take of ``rooms`` (or the whole school): snapshot the ledger's assets there."""
    rooms = list(rooms or [])
    if not whole_school and not rooms:
        raise ValidationError({"rooms": _("Choose rooms, or the whole school.")})
    for room in rooms:
        if room.school_id != school.pk:
            raise ValidationError({"rooms": _("A room belongs to another school.")})
    with transaction.atomic():
        stocktake = StockTake(
            school=school,
            name=name,
            whole_school=whole_school,
            started_on=timezone.localdate(),
            notes=notes,
            created_by=user,
        )
        stocktake.save()
        if rooms:
            stocktake.rooms.set(rooms)
        expected = Asset.objects.filter(school=school, status__in=EXPECTED_STATUSES)
        if not whole_school:
            expected = expected.filter(room__in=rooms)
        lines = [
            StockTakeLine(school=school, stocktake=stocktake, asset_id=asset_id, expected_room_id=room_id, listed=True)
            for asset_id, room_id in expected.values_list("pk", "room_id").iterator(chunk_size=5000)
        ]
        StockTakeLine.objects.bulk_create(lines, batch_size=5000)
        stocktake.expected_count = len(lines)
        stocktake.save(update_fields=["expected_count", "updated"])
        record_event(stocktake, "stocktake.started", _("%(n)s assets expected") % {"n": len(lines)})
    return stocktake


def scan(*, stocktake, user, asset, room, condition=""):
    """Record that ``asset`` was seen in ``room`` (scan of its label, or a tick). Idempotent."""
    if asset.school_id != stocktake.school_id or room.school_id != stocktake.school_id:
        raise ValidationError(_("The asset or room belongs to another school."))
    ensure(stocktake, "scan", user)
    if asset.status == AssetStatus.DISPOSED:
        raise ValidationError(
            _("%(asset)s was written off the ledger on %(date)s.") % {"asset": asset, "date": asset.disposed_on}
        )
    now = timezone.now()
    # One UPDATE … RETURNING: atomic per row, so simultaneous scans serialise on the row and none is
    # lost; it also answers the line without a second query (the scan is on a phone's hot path).
    sql = (
        "UPDATE assets_stocktakeline SET found_room_id = %s, "
        "result = CASE WHEN expected_room_id = %s THEN %s ELSE %s END, "
        "scanned_by_id = %s, scanned_at = %s, updated = %s, "
        "condition = CASE WHEN %s <> '' THEN %s ELSE condition END "
        "WHERE stocktake_id = %s AND asset_id = %s RETURNING *"
    )
    params = [
        room.pk,
        room.pk,
        LineResult.FOUND,
        LineResult.WRONG_ROOM,
        getattr(user, "pk", None),
        now,
        now,
        condition or "",
        condition or "",
        stocktake.pk,
        asset.pk,
    ]
    found = list(StockTakeLine.objects.raw(sql, params))
    if found:
        line = found[0]
    else:
        try:
            with transaction.atomic():
                line = StockTakeLine.objects.create(
                    school_id=stocktake.school_id,
                    stocktake_id=stocktake.pk,
                    asset_id=asset.pk,
                    expected_room_id=asset.room_id,
                    found_room_id=room.pk,
                    result=LineResult.FOUND if asset.room_id == room.pk else LineResult.WRONG_ROOM,
                    condition=condition or "",
                    scanned_by=user,
                    scanned_at=now,
                    created_by=user,
                )
        except IntegrityError:  # someone else created the line a moment ago: scan onto it
            line = list(StockTakeLine.objects.raw(sql, params))[0]
    versions.changed("assets.stocktakeline", stocktake.school_id)  # the raw UPDATE sent no signal
    line.asset = asset
    line.found_room = room
    return line


def unscan(*, stocktake, user, line):
    """Undo a tick made by mistake (the asset goes back to "not yet seen")."""
    ensure(stocktake, "scan", user)
    with transaction.atomic():
        line = StockTakeLine.objects.select_for_update().get(pk=line.pk, stocktake=stocktake)
        if line.asset_id is None or not line.listed:
            # an item not in the ledger, or an asset from outside the stock-take: the scan made the line
            line.delete()
            return None
        line.found_room = None
        line.result = LineResult.PENDING
        line.scanned_by = None
        line.scanned_at = None
        line.save()
    return line


def _check_value(value):
    """An item's value becomes its card's price on approval: never below zero (the card refuses it)."""
    if value is not None and value < 0:
        raise ValidationError({"item_value": _("The value cannot be negative.")})


def add_unledgered(*, stocktake, user, room, item_name, category=None, item_value=None, condition="", explanation=""):
    """Record an item found in ``room`` that is not on the ledger (账外资产)."""
    ensure(stocktake, "scan", user)
    if room.school_id != stocktake.school_id:
        raise ValidationError(_("The room belongs to another school."))
    if not item_name:
        raise ValidationError({"item_name": _("Name the item.")})
    _check_value(item_value)
    line = StockTakeLine(
        school_id=stocktake.school_id,
        stocktake=stocktake,
        found_room=room,
        result=LineResult.NOT_IN_LEDGER,
        condition=condition,
        scanned_by=user,
        scanned_at=timezone.now(),
        item_name=item_name,
        item_category=category,
        item_value=item_value,
        explanation=explanation,
        created_by=user,
    )
    line.save()
    return line


def explain(*, stocktake, user, line, explanation, item_category=None, item_value=None):
    """Explain one difference (差异说明); for an item not on the ledger, also its category and value
    (the card it becomes on approval). Nothing is saved when the stock-take's status refuses it."""
    ensure(stocktake, "explain", user)
    if line.stocktake_id != stocktake.pk:
        raise ValidationError(_("This line belongs to another stock-take."))
    if item_category is not None and item_category.school_id != stocktake.school_id:
        raise ValidationError({"item_category": _("This belongs to another school.")})
    _check_value(item_value)
    fields = ["explanation", "updated", "updated_by"]
    if item_category is not None:
        line.item_category = item_category
        fields.append("item_category")
    if item_value is not None:
        line.item_value = item_value
        fields.append("item_value")
    line.explanation = explanation
    line.save(update_fields=fields)
    return line


# --- steps: each goes through the workflow guard (``StockTake`` declares them; the work is in
# ``assets.steps.stocktake``) -------------------------------------------------------------------


def submit_stocktake(*, stocktake, user):
    """Finish scanning: every asset not seen is now "missing"; the head is asked to approve."""
    return run(stocktake, "submit", user)


def reopen_stocktake(*, stocktake, user):
    """Back to scanning (missing lines become "not yet seen" again)."""
    return run(stocktake, "reopen", user)


def approve_stocktake(*, stocktake, user):
    """The logistics head approves; only now does the ledger change, each change recorded."""
    return run(stocktake, "approve", user)


def cancel_stocktake(*, stocktake, user, note=""):
    """Cancel the stock-take; the ledger does not change."""
    return run(stocktake, "cancel", user, note=note)


def differences(stocktake):
    from ..steps.stocktake import differences as lines

    return lines(stocktake)


SEEN = (LineResult.FOUND, LineResult.WRONG_ROOM)


def progress(stocktake):
    """{result: count} of every line, and how many of the listed assets (the ledger's snapshot at the start)
    have been seen. An asset from outside the stock-take found in one of its rooms is a difference (it is in
    ``counts``) but is not one of the expected assets, so it never makes "seen" reach "expected" (one query)."""
    from django.db.models import Count

    counts, seen, scanned = {}, 0, 0
    for result, listed, n in (
        StockTakeLine.objects.filter(stocktake=stocktake)
        .values_list("result", "listed")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[result] = counts.get(result, 0) + n
        if result != LineResult.PENDING:
            scanned += n
        if listed and result in SEEN:
            seen += n
    expected = stocktake.expected_count or 0
    return {
        "counts": counts,
        "seen": seen,
        "expected": expected,
        "pending": counts.get(LineResult.PENDING, 0),
        "scanned": scanned,
        # rounded down: 99.5 % is not "all seen"; an empty stock-take has nothing left to see
        "percent": min(100, seen * 100 // expected) if expected else 100,
    }
