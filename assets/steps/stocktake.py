"""Steps of a stock-take (清查盘点, 帐、卡、物相符): submit, reopen, approve, cancel. Differences are
explained and approved by the logistics head before the ledger changes, each change recorded
(行政事业性国有资产管理条例 art. 37–39)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event, recorded_update
from logistics.notifications.services import notify
from logistics.workflow.guard import StepResult, run

from .. import settings_rules
from ..choices import ON_LEDGER, AssetStatus, LineResult, MovementKind
from ..models import Asset, AssetMovement, StockTakeLine
from ..services._common import staff_with

DIFFERENCES = (LineResult.MISSING, LineResult.WRONG_ROOM, LineResult.NOT_IN_LEDGER)


def differences(stocktake):
    return StockTakeLine.objects.filter(stocktake=stocktake, result__in=DIFFERENCES)


def submit(stocktake, actor):
    """Finish scanning: every asset not seen is now "missing"; the head is asked to approve."""
    missing = recorded_update(
        StockTakeLine.objects.filter(stocktake=stocktake, result=LineResult.PENDING), result=LineResult.MISSING
    )
    stocktake.submitted_at = timezone.now()
    notify(
        staff_with(stocktake.school_id, Role.LOGISTICS_HEAD),
        _("Stock-take %(ref)s awaits your approval") % {"ref": stocktake.reference},
        obj=stocktake,
        key=f"assets-stocktake-submitted-{stocktake.pk}-{stocktake.submitted_at:%Y%m%d%H%M%S}",
    )
    return StepResult(_("Submitted; %(n)s assets missing") % {"n": missing}, {"missing": missing})


def reopen(stocktake, actor):
    """Back to scanning: the missing lines are "not yet seen" again."""
    recorded_update(
        StockTakeLine.objects.filter(stocktake=stocktake, result=LineResult.MISSING), result=LineResult.PENDING
    )
    return StepResult(_("Reopened for scanning"))


def cancel(stocktake, actor, note=""):
    """Cancel the stock-take; the ledger does not change."""
    return StepResult(note or _("Cancelled"))


def approve(stocktake, actor):
    """The logistics head approves; only now does the ledger change, each change recorded:
    wrong room → the asset moves; missing → reported lost (to be written off by a disposal);
    not in the ledger → a new card (账外资产入账)."""
    from ..services.ledger import next_codes

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
    changes = 0
    for line in diffs:
        note = f"{stocktake.reference}: {line.explanation}"[:500]
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
                    note=note,
                    created_by=actor,
                )
            )
            asset.room_id = line.found_room_id
            asset.save()
            record_event(
                asset, "asset.stocktake_moved", _("Moved by stock-take %(ref)s") % {"ref": stocktake.reference}
            )
        elif line.result == LineResult.MISSING:
            asset = Asset.objects.get(pk=line.asset_id)
            if asset.status == AssetStatus.ON_LOAN:  # out on an open loan: not lost, and the loan stays open
                record_event(
                    asset,
                    "asset.stocktake_on_loan",
                    _("Not seen in stock-take %(ref)s: on loan") % {"ref": stocktake.reference},
                )
            elif asset.status in ON_LEDGER:
                run(asset, "missing_in_stocktake", actor, stocktake=stocktake, explanation=line.explanation)
                changes += 1
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
                notes=_("Found in stock-take %(ref)s: %(why)s") % {"ref": stocktake.reference, "why": line.explanation},
                created_by=actor,
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
                    note=note,
                    created_by=actor,
                )
            )
            record_event(
                asset, "asset.found", _("Put on the ledger by stock-take %(ref)s") % {"ref": stocktake.reference}
            )
        line.applied = True
        line.save()
    AssetMovement.objects.bulk_create(movements)
    changes += len(movements)
    stocktake.approved_by = actor
    stocktake.approved_at = timezone.now()
    return StepResult(_("Approved; %(n)s ledger changes") % {"n": changes}, {"changes": changes})
