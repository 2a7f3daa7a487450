"""Steps of an asset card (资产变动): transfer, lend, take back, under repair / repaired, report lost,
request disposal, and the write-offs taken by a disposal or a stock-take. Each writes one
``AssetMovement`` (新添物资有登记, 借领物资有手续 — the history of every change is kept)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event, recorded_update
from logistics.notifications.services import notify
from logistics.tenancy import rules
from logistics.tenancy.models import Membership
from logistics.workflow.guard import StepResult

from .. import settings_rules
from ..choices import AssetStatus, DisposalStatus, MovementKind
from ..models import AssetLoan, AssetMovement, DisposalRequest
from ..services._common import staff_with

A = AssetStatus


def is_member(user, school_id):
    return Membership.objects.filter(user=user, school_id=school_id, active=True).exists()


def move(asset, user, kind, note="", date=None, **changes):
    """The asset's movement record (never edited)."""
    return AssetMovement.objects.create(
        school_id=asset.school_id,
        asset=asset,
        kind=kind,
        date=date or timezone.localdate(),
        note=(note or "")[:500],
        created_by=user,
        **changes,
    )


def transfer(asset, actor, room=None, custodian=None, department=None, note=""):
    """Move an asset to another room and/or custodian or department (调拨/转移); an idle asset given a
    room or a custodian is in use again."""
    department = department or None
    if room is not None and room.school_id != asset.school_id:
        raise ValidationError({"room": _("This belongs to another school.")})
    if custodian is not None and not is_member(custodian, asset.school_id):
        raise ValidationError({"custodian": _("This belongs to another school.")})
    if room is None and custodian is None and department is None:
        raise ValidationError(_("Choose a new room, custodian or department."))
    movement = move(
        asset,
        actor,
        MovementKind.TRANSFER,
        note,
        from_room_id=asset.room_id,
        to_room=room if room is not None else asset.room,
        from_custodian_id=asset.custodian_id,
        to_custodian=custodian if custodian is not None else asset.custodian,
    )
    if room is not None:
        asset.room = room
    if custodian is not None:
        asset.custodian = custodian
    if department is not None:
        asset.department = department
    asset._in_use_after_transfer = room is not None or custodian is not None
    where = movement.to_room or movement.to_custodian or department
    return StepResult(
        _("Transferred to %(where)s") % {"where": where},
        {"room": asset.room_id, "custodian": asset.custodian_id},
        value=asset,
    )


def lend(asset, actor, borrower=None, borrower_name="", expected_return=None, purpose=""):
    """Lend an asset to a person with an expected return date (借用, 借领物资有手续); the borrower is a
    member of the asset's school, or a name."""
    if borrower is None and not borrower_name:
        raise ValidationError(_("Name the borrower."))
    if borrower is not None and not is_member(borrower, asset.school_id):
        raise ValidationError({"borrower": _("This belongs to another school.")})
    today = timezone.localdate()
    if expected_return is None:
        expected_return = today + datetime.timedelta(days=rules.value(asset.school, settings_rules.LOAN_DAYS))
    if expected_return < today:
        raise ValidationError({"expected_return": _("The expected return cannot be in the past.")})
    loan = AssetLoan.objects.create(
        school_id=asset.school_id,
        asset=asset,
        borrower=borrower,
        borrower_name=borrower_name or (str(borrower) if borrower else ""),
        lent_on=today,
        expected_return=expected_return,
        purpose=purpose or "",
        created_by=actor,
    )
    move(asset, actor, MovementKind.LEND, purpose, from_status=asset.status, to_status=A.ON_LOAN, to_custodian=borrower)
    return StepResult(
        _("Lent to %(who)s until %(date)s") % {"who": loan.borrower_display, "date": expected_return},
        {"loan": loan.pk},
        value=loan,
    )


def take_back(asset, actor, note=""):
    """Take a lent asset back (归还): the open loan is closed."""
    loan = AssetLoan.objects.select_for_update().filter(asset=asset, returned_on__isnull=True).first()
    if loan is not None:
        loan.returned_on = timezone.localdate()
        loan.save()
    move(asset, actor, MovementKind.RETURN, note, from_status=asset.status, to_status=A.IN_USE)
    return StepResult(_("Returned"), {"loan": loan.pk if loan else None}, value=asset)


def mark_under_repair(asset, actor, note=""):
    """Mark an asset under repair (repairs may do this)."""
    move(asset, actor, MovementKind.STATUS, note, from_status=asset.status, to_status=A.UNDER_REPAIR)
    return StepResult(A.UNDER_REPAIR.label, value=asset)


def mark_repaired(asset, actor, note=""):
    """The repair is done: the asset is in use again."""
    move(asset, actor, MovementKind.STATUS, note, from_status=asset.status, to_status=A.IN_USE)
    return StepResult(A.IN_USE.label, value=asset)


def report_lost(asset, actor, note):
    """Report an asset lost (报失). It stays on the ledger until a disposal writes it off (条例 art. 19);
    an open loan ends; the logistics head is told."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what happened.")})
    move(asset, actor, MovementKind.LOST, note, from_status=asset.status, to_status=A.LOST)
    recorded_update(AssetLoan.objects.filter(asset=asset, returned_on__isnull=True), returned_on=timezone.localdate())
    notify(
        staff_with(asset.school_id, Role.LOGISTICS_HEAD),
        _("Asset reported lost: %(asset)s") % {"asset": asset},
        body=note,
        obj=asset,
        key=f"assets-lost-{asset.pk}-{timezone.localdate()}",
    )
    return StepResult(_("Reported lost: %(note)s") % {"note": note}, value=asset)


OPEN_DISPOSALS = (DisposalStatus.REQUESTED, DisposalStatus.HEAD_APPROVED, DisposalStatus.APPROVED)


def request_disposal(asset, actor, reason, method="scrap", into=None):
    """Ask to dispose of the asset (报废申请): opens a disposal request (or adds the asset to ``into``,
    one request for several assets); nothing leaves the ledger until approved and written off."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for disposal.")})
    if DisposalRequest.objects.filter(assets=asset, status__in=OPEN_DISPOSALS).exists():
        raise ValidationError(_("An asset is already in an open disposal request."))
    request = into
    if request is None:
        request = DisposalRequest(
            school_id=asset.school_id, reason=reason, method=method, requested_by=actor, created_by=actor
        )
        request.save()
        record_event(request, "disposal.requested", reason, {"assets": [asset.pk]})
        notify(
            staff_with(asset.school_id, Role.LOGISTICS_HEAD),
            _("Disposal request %(ref)s awaits your approval") % {"ref": request.reference},
            obj=request,
            key=f"assets-disposal-requested-{request.pk}",
        )
    elif request.school_id != asset.school_id:
        raise ValidationError(_("All assets must belong to the same school."))
    request.assets.add(asset)
    return StepResult(_("Disposal requested (%(ref)s)") % {"ref": request.reference}, {"disposal": request.pk}, request)


def write_off(asset, actor, request, date):
    """Written out of the ledger by the approved disposal ``request`` (核销, 条例 art. 35)."""
    move(
        asset,
        actor,
        MovementKind.DISPOSE,
        request.reference,
        date=date,
        from_status=asset.status,
        to_status=A.DISPOSED,
        from_room_id=asset.room_id,
    )
    asset.disposed_on = date
    return StepResult(_("Written off the ledger (%(ref)s)") % {"ref": request.reference}, {"disposal": request.pk})


def missing_in_stocktake(asset, actor, stocktake, explanation=""):
    """Not found in the approved stock-take: reported lost, to be written off by a disposal."""
    move(
        asset,
        actor,
        MovementKind.STOCKTAKE_LOSS,
        f"{stocktake.reference}: {explanation}",
        from_status=asset.status,
        to_status=A.LOST,
        from_room_id=asset.room_id,
    )
    return StepResult(_("Missing in stock-take %(ref)s") % {"ref": stocktake.reference}, {"stocktake": stocktake.pk})
