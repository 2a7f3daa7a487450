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

from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event
from logistics.notifications.services import notify
from logistics.tenancy.workflow import check_step

from .. import settings_rules
from ..choices import ON_LEDGER, AssetStatus, LineResult, MovementKind, StockTakeStatus
from ..models import Asset, AssetMovement, StockTake, StockTakeLine
from ._common import require, staff_with
from .ledger import next_codes

STOCKTAKE_WORKFLOW = {
    "scan": ((StockTakeStatus.IN_PROGRESS,), StockTakeStatus.IN_PROGRESS),
    "submit": ((StockTakeStatus.IN_PROGRESS,), StockTakeStatus.SUBMITTED),
    "reopen": ((StockTakeStatus.SUBMITTED,), StockTakeStatus.IN_PROGRESS),
    "explain": ((StockTakeStatus.IN_PROGRESS, StockTakeStatus.SUBMITTED), None),
    "approve": ((StockTakeStatus.SUBMITTED,), StockTakeStatus.APPROVED),
    "cancel": ((StockTakeStatus.IN_PROGRESS, StockTakeStatus.SUBMITTED), StockTakeStatus.CANCELLED),
}

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
            StockTakeLine(school=school, stocktake=stocktake, asset_id=asset_id, expected_room_id=room_id)
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
    check_step(stocktake, "scan", STOCKTAKE_WORKFLOW)
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
    line.asset = asset
    line.found_room = room
    return line


def unscan(*, stocktake, user, line):
    """Undo a tick made by mistake (the asset goes back to "not yet seen")."""
    check_step(stocktake, "scan", STOCKTAKE_WORKFLOW)
    with transaction.atomic():
        line = StockTakeLine.objects.select_for_update().get(pk=line.pk, stocktake=stocktake)
        if line.asset_id is None:
            line.delete()
            return None
        line.found_room = None
        line.result = LineResult.PENDING
        line.scanned_by = None
        line.scanned_at = None
        line.save()
    return line


def add_unledgered(*, stocktake, user, room, item_name, category=None, item_value=None, condition="", explanation=""):
    """Record an item found in ``room`` that is not on the ledger (账外资产)."""
    check_step(stocktake, "scan", STOCKTAKE_WORKFLOW)
    if room.school_id != stocktake.school_id:
        raise ValidationError(_("The room belongs to another school."))
    if not item_name:
        raise ValidationError({"item_name": _("Name the item.")})
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


def explain(*, stocktake, user, line, explanation):
    """Explain one difference (差异说明)."""
    check_step(stocktake, "explain", STOCKTAKE_WORKFLOW)
    if line.stocktake_id != stocktake.pk:
        raise ValidationError(_("This line belongs to another stock-take."))
    line.explanation = explanation
    line.save(update_fields=["explanation", "updated", "updated_by"])
    return line


def submit_stocktake(*, stocktake, user):
    """Finish scanning: every asset not seen is now "missing"; the head is asked to approve."""
    with transaction.atomic():
        stocktake = StockTake.objects.select_for_update().get(pk=stocktake.pk)
        stocktake.status = check_step(stocktake, "submit", STOCKTAKE_WORKFLOW)
        missing = StockTakeLine.objects.filter(stocktake=stocktake, result=LineResult.PENDING).update(
            result=LineResult.MISSING
        )
        stocktake.submitted_at = timezone.now()
        stocktake.save()
        record_event(stocktake, "stocktake.submitted", _("Submitted; %(n)s assets missing") % {"n": missing})
    notify(
        staff_with(stocktake.school_id, Role.LOGISTICS_HEAD),
        _("Stock-take %(ref)s awaits your approval") % {"ref": stocktake.reference},
        obj=stocktake,
        key=f"assets-stocktake-submitted-{stocktake.pk}-{stocktake.submitted_at:%Y%m%d%H%M%S}",
    )
    return stocktake


def reopen_stocktake(*, stocktake, user):
    """Back to scanning (missing lines become "not yet seen" again)."""
    with transaction.atomic():
        stocktake = StockTake.objects.select_for_update().get(pk=stocktake.pk)
        stocktake.status = check_step(stocktake, "reopen", STOCKTAKE_WORKFLOW)
        StockTakeLine.objects.filter(stocktake=stocktake, result=LineResult.MISSING).update(result=LineResult.PENDING)
        stocktake.save()
        record_event(stocktake, "stocktake.reopened", _("Reopened for scanning"))
    return stocktake


def differences(stocktake):
    return StockTakeLine.objects.filter(
        stocktake=stocktake,
        result__in=(LineResult.MISSING, LineResult.WRONG_ROOM, LineResult.NOT_IN_LEDGER),
    )


def approve_stocktake(*, stocktake, user):
    """The logistics head approves; only now does the ledger change, each change recorded:
    wrong room → the asset moves; missing → reported lost (to be written off by a disposal);
    not in the ledger → a new card (账外资产入账)."""
    require(user, "assets.approve_stocktake", stocktake.school_id)
    with transaction.atomic():
        stocktake = StockTake.objects.select_for_update().get(pk=stocktake.pk)
        check_step(stocktake, "approve", STOCKTAKE_WORKFLOW)
        diffs = list(differences(stocktake).select_related("asset", "item_category").select_for_update(of=("self",)))
        unexplained = [line for line in diffs if not line.explanation.strip()]
        if unexplained:
            raise ValidationError(
                _("%(n)s differences have no explanation yet; explain each before approving.") % {"n": len(unexplained)}
            )
        new_items = [line for line in diffs if line.result == LineResult.NOT_IN_LEDGER]
        for line in new_items:
            if line.item_category_id is None or line.item_value is None:
                raise ValidationError(
                    _("Give the category and value of “%(item)s” found in the stock-take.") % {"item": line.item_name}
                )
        today = timezone.localdate()
        codes = iter(next_codes(stocktake.school, len(new_items))) if new_items else iter(())
        movements = []
        for line in diffs:
            if line.result == LineResult.WRONG_ROOM:
                asset = Asset.objects.select_for_update().get(pk=line.asset_id)
                movements.append(
                    AssetMovement(
                        school_id=asset.school_id,
                        asset=asset,
                        kind=MovementKind.STOCKTAKE_MOVE,
                        date=today,
                        from_room_id=asset.room_id,
                        to_room_id=line.found_room_id,
                        note=f"{stocktake.reference}: {line.explanation}"[:500],
                        created_by=user,
                    )
                )
                asset.room_id = line.found_room_id
                asset.save()
                record_event(
                    asset, "asset.stocktake_moved", _("Moved by stock-take %(ref)s") % {"ref": stocktake.reference}
                )
            elif line.result == LineResult.MISSING:
                asset = Asset.objects.select_for_update().get(pk=line.asset_id)
                if asset.status in ON_LEDGER:
                    movements.append(
                        AssetMovement(
                            school_id=asset.school_id,
                            asset=asset,
                            kind=MovementKind.STOCKTAKE_LOSS,
                            date=today,
                            from_status=asset.status,
                            to_status=AssetStatus.LOST,
                            from_room_id=asset.room_id,
                            note=f"{stocktake.reference}: {line.explanation}"[:500],
                            created_by=user,
                        )
                    )
                    asset.status = AssetStatus.LOST
                    asset.save()
                    record_event(
                        asset, "asset.stocktake_lost", _("Missing in stock-take %(ref)s") % {"ref": stocktake.reference}
                    )
            elif line.result == LineResult.NOT_IN_LEDGER:
                sequence, code = next(codes)
                below = line.item_value < settings_rules.threshold(stocktake.school)
                asset = Asset(
                    school_id=stocktake.school_id,
                    code=code,
                    sequence=sequence,
                    name=line.item_name,
                    category_id=line.item_category_id,
                    unit_price=line.item_value,
                    purchase_date=today,
                    room_id=line.found_room_id,
                    bulk_item=below,
                    notes=_("Found in stock-take %(ref)s: %(why)s")
                    % {"ref": stocktake.reference, "why": line.explanation},
                    created_by=user,
                )
                asset.save()
                line.asset = asset
                movements.append(
                    AssetMovement(
                        school_id=asset.school_id,
                        asset=asset,
                        kind=MovementKind.FOUND,
                        date=today,
                        to_room_id=line.found_room_id,
                        to_status=asset.status,
                        note=f"{stocktake.reference}: {line.explanation}"[:500],
                        created_by=user,
                    )
                )
                record_event(
                    asset, "asset.found", _("Put on the ledger by stock-take %(ref)s") % {"ref": stocktake.reference}
                )
            line.applied = True
            line.save()
        AssetMovement.objects.bulk_create(movements)
        stocktake.status = StockTakeStatus.APPROVED
        stocktake.approved_by = user
        stocktake.approved_at = timezone.now()
        stocktake.save()
        record_event(
            stocktake,
            "stocktake.approved",
            _("Approved; %(n)s ledger changes") % {"n": len(movements)},
            {"changes": len(movements)},
        )
    return stocktake


def cancel_stocktake(*, stocktake, user, note=""):
    with transaction.atomic():
        stocktake = StockTake.objects.select_for_update().get(pk=stocktake.pk)
        stocktake.status = check_step(stocktake, "cancel", STOCKTAKE_WORKFLOW)
        stocktake.save()
        record_event(stocktake, "stocktake.cancelled", note or _("Cancelled"))
    return stocktake


def progress(stocktake):
    """{result: count} and the share of expected assets seen."""
    from django.db.models import Count

    counts = dict(
        StockTakeLine.objects.filter(stocktake=stocktake).values_list("result").annotate(n=Count("pk")).order_by()
    )
    seen = counts.get(LineResult.FOUND, 0) + counts.get(LineResult.WRONG_ROOM, 0)
    expected = stocktake.expected_count or 0
    return {
        "counts": counts,
        "seen": seen,
        "expected": expected,
        "percent": min(100, int(seen * 100 / expected)) if expected else 100,
    }
