"""Movements of fixed assets (资产变动): acquire, transfer, lend, return, report lost, dispose.

Every movement is one function, one transaction, one ``AssetMovement`` row and one timeline event
(新添物资有登记, 借领物资有手续 — "history of every change kept").
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event
from logistics.notifications.services import notify
from logistics.tenancy import rules
from logistics.tenancy.models import Sequence
from logistics.tenancy.workflow import check_step

from .. import settings_rules
from ..choices import ON_LEDGER, AssetStatus, DisposalStatus, MovementKind
from ..models import Asset, AssetLoan, AssetMovement, ClassroomCheck, DisposalRequest
from ._common import require, staff_with

#: step → (statuses it may start from, status after; None = unchanged)
ASSET_WORKFLOW = {
    "transfer": ((AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.UNDER_REPAIR), None),
    "lend": ((AssetStatus.IN_USE, AssetStatus.IDLE), AssetStatus.ON_LOAN),
    "return": ((AssetStatus.ON_LOAN,), AssetStatus.IN_USE),
    "report-lost": (
        (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.ON_LOAN, AssetStatus.UNDER_REPAIR),
        AssetStatus.LOST,
    ),
    "request-disposal": (
        (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.UNDER_REPAIR, AssetStatus.LOST),
        None,
    ),
    "under-repair": ((AssetStatus.IN_USE, AssetStatus.IDLE), AssetStatus.UNDER_REPAIR),
    "repaired": ((AssetStatus.UNDER_REPAIR,), AssetStatus.IN_USE),
    "write-off": ((*ON_LEDGER, AssetStatus.LOST), AssetStatus.DISPOSED),
}

#: disposal request (报废申请) workflow — art. 19: approval before the ledger changes
DISPOSAL_WORKFLOW = {
    "approve-head": ((DisposalStatus.REQUESTED,), DisposalStatus.HEAD_APPROVED),
    "approve-principal": ((DisposalStatus.HEAD_APPROVED,), DisposalStatus.APPROVED),
    "reject": ((DisposalStatus.REQUESTED, DisposalStatus.HEAD_APPROVED), DisposalStatus.REJECTED),
    "write-off": ((DisposalStatus.APPROVED,), DisposalStatus.WRITTEN_OFF),
}

ASSET_SEQUENCE_KEY = "asset"


def next_codes(school, count):
    """``count`` new (sequence, code) pairs: school code + sequence (``ONE-000042``), race-safe.

    Codes already on the ledger (e.g. brought in by an import) are skipped, so a generated code never
    collides with an existing one.
    """
    result = []
    while len(result) < count:
        wanted = count - len(result)
        with transaction.atomic():
            row, _created = Sequence.objects.select_for_update().get_or_create(
                school_id=school.pk, key=ASSET_SEQUENCE_KEY
            )
            Sequence.objects.filter(pk=row.pk).update(last=F("last") + wanted)
            row.refresh_from_db(fields=["last"])
        block = [(n, f"{school.code}-{n:06d}") for n in range(row.last - wanted + 1, row.last + 1)]
        taken = set(
            Asset.objects.filter(school_id=school.pk, code__in=[code for _n, code in block]).values_list(
                "code", flat=True
            )
        )
        result.extend(pair for pair in block if pair[1] not in taken)
    return result


def check_threshold(school, unit_price, bulk_item=False):
    """事业单位财务规则 art. 41: a fixed asset costs at least the threshold (1,000 yuan), unless it is
    one of a large batch of similar durable items (大批同类物资)."""
    limit = settings_rules.threshold(school)
    if unit_price is not None and unit_price < limit and not bulk_item:
        raise ValidationError(
            {
                "unit_price": _(
                    "%(price)s yuan is below the capitalisation threshold of %(limit)s yuan: record it in the "
                    "low-value consumables book, or mark it as bulk similar items (大批同类物资)."
                )
                % {"price": unit_price, "limit": limit}
            }
        )


def _move(asset, user, kind, note="", date=None, **changes):
    return AssetMovement.objects.create(
        school_id=asset.school_id,
        asset=asset,
        kind=kind,
        date=date or timezone.localdate(),
        note=note[:500],
        created_by=user,
        **changes,
    )


def _locked(asset):
    return Asset.objects.select_for_update().select_related("category").get(pk=asset.pk)


def acquire_assets(*, school, user, quantity=1, note="", **fields):
    """Put new assets on the ledger (登记入帐): one card per item — "40 student desks" makes 40 cards.

    ``fields`` are the card's fields (name, category, unit_price, purchase_date, room, custodian…).
    Checks the capitalisation threshold; all cards or none.
    """
    if quantity < 1 or quantity > 1000:
        raise ValidationError(_("Acquire between 1 and 1,000 items at a time."))
    check_threshold(school, fields.get("unit_price"), fields.get("bulk_item", False))
    fields.pop("code", None)
    created = []
    with transaction.atomic():
        codes = next_codes(school, quantity)
        batch = f"B{codes[0][0]:06d}" if quantity > 1 else ""
        for sequence, code in codes:
            asset = Asset(school=school, code=code, sequence=sequence, batch=batch, created_by=user, **fields)
            asset.full_clean(exclude=["category", "room", "custodian"])
            asset.clean()
            asset.save()
            created.append(asset)
        AssetMovement.objects.bulk_create(
            [
                AssetMovement(
                    school=school,
                    asset=asset,
                    kind=MovementKind.ACQUIRE,
                    date=asset.purchase_date,
                    to_room=asset.room,
                    to_custodian=asset.custodian,
                    to_status=asset.status,
                    note=note or (_("batch %(batch)s of %(n)s") % {"batch": batch, "n": quantity} if batch else ""),
                    created_by=user,
                )
                for asset in created
            ]
        )
        for asset in created:
            record_event(asset, "asset.acquired", _("Put on the ledger"), {"batch": batch})
    return created


def transfer_asset(*, asset, user, room=None, custodian=None, department=None, note=""):
    """Move an asset to another room and/or custodian (调拨/转移)."""
    with transaction.atomic():
        asset = _locked(asset)
        check_step(asset, "transfer", ASSET_WORKFLOW)
        if room is not None and room.school_id != asset.school_id:
            raise ValidationError({"room": _("The room belongs to another school.")})
        if custodian is not None and not is_member(custodian, asset.school_id):
            raise ValidationError({"custodian": _("The custodian is not a member of this school.")})
        if room is None and custodian is None and department is None:
            raise ValidationError(_("Choose a new room, custodian or department."))
        movement = _move(
            asset,
            user,
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
        if asset.status == AssetStatus.IDLE and (room is not None or custodian is not None):
            asset.status = AssetStatus.IN_USE
        asset.save()
        record_event(
            asset,
            "asset.transferred",
            _("Transferred to %(where)s") % {"where": movement.to_room or movement.to_custodian or department},
            {"room": asset.room_id, "custodian": asset.custodian_id},
        )
    return asset


def lend_asset(*, asset, user, expected_return=None, borrower=None, borrower_name="", purpose=""):
    """Lend an asset to a person with an expected return date (借用, 借领物资有手续)."""
    if borrower is None and not borrower_name:
        raise ValidationError(_("Name the borrower."))
    today = timezone.localdate()
    if expected_return is None:
        expected_return = today + datetime.timedelta(days=rules.value(asset.school, settings_rules.LOAN_DAYS))
    if expected_return < today:
        raise ValidationError({"expected_return": _("The expected return cannot be in the past.")})
    with transaction.atomic():
        asset = _locked(asset)
        target = check_step(asset, "lend", ASSET_WORKFLOW)
        loan = AssetLoan.objects.create(
            school_id=asset.school_id,
            asset=asset,
            borrower=borrower,
            borrower_name=borrower_name or (str(borrower) if borrower else ""),
            lent_on=today,
            expected_return=expected_return,
            purpose=purpose,
            created_by=user,
        )
        _move(
            asset,
            user,
            MovementKind.LEND,
            purpose,
            from_status=asset.status,
            to_status=target,
            to_custodian=borrower,
        )
        asset.status = target
        asset.save()
        record_event(
            asset,
            "asset.lent",
            _("Lent to %(who)s until %(date)s") % {"who": loan.borrower_display, "date": expected_return},
            {"loan": loan.pk},
        )
    return loan


def return_asset(*, asset, user, note=""):
    """Take a lent asset back (归还)."""
    with transaction.atomic():
        asset = _locked(asset)
        target = check_step(asset, "return", ASSET_WORKFLOW)
        loan = AssetLoan.objects.select_for_update().filter(asset=asset, returned_on__isnull=True).first()
        if loan is not None:
            loan.returned_on = timezone.localdate()
            loan.save()
        _move(asset, user, MovementKind.RETURN, note, from_status=asset.status, to_status=target)
        asset.status = target
        asset.save()
        record_event(asset, "asset.returned", _("Returned"), {"loan": loan.pk if loan else None})
    return asset


def report_lost(*, asset, user, note):
    """Report an asset lost (报失). It stays on the ledger until a disposal writes it off (art. 19)."""
    if not note:
        raise ValidationError({"note": _("Say what happened.")})
    with transaction.atomic():
        asset = _locked(asset)
        target = check_step(asset, "report-lost", ASSET_WORKFLOW)
        _move(asset, user, MovementKind.LOST, note, from_status=asset.status, to_status=target)
        asset.status = target
        asset.save()
        AssetLoan.objects.filter(asset=asset, returned_on__isnull=True).update(returned_on=timezone.localdate())
        record_event(asset, "asset.lost", _("Reported lost: %(note)s") % {"note": note})
    notify(
        staff_with(asset.school_id, Role.LOGISTICS_HEAD),
        _("Asset reported lost: %(asset)s") % {"asset": asset},
        body=note,
        obj=asset,
        key=f"assets-lost-{asset.pk}-{timezone.localdate()}",
    )
    return asset


def set_under_repair(*, asset, user, note="", under_repair=True):
    """Mark an asset under repair, or back in use (repairs may call this)."""
    step = "under-repair" if under_repair else "repaired"
    with transaction.atomic():
        asset = _locked(asset)
        target = check_step(asset, step, ASSET_WORKFLOW)
        _move(asset, user, MovementKind.STATUS, note, from_status=asset.status, to_status=target)
        asset.status = target
        asset.save()
        record_event(asset, f"asset.{step}", asset.get_status_display())
    return asset


# --- disposal (处置/报废) ---------------------------------------------------------------------


def request_disposal(*, assets, user, reason, method="scrap"):
    """Ask to dispose of assets (报废申请); nothing leaves the ledger until approved and written off."""
    assets = list(assets)
    if not assets:
        raise ValidationError(_("Choose at least one asset."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for disposal.")})
    school_id = assets[0].school_id
    with transaction.atomic():
        locked = list(Asset.objects.select_for_update().filter(pk__in=[a.pk for a in assets]).order_by("pk"))
        for asset in locked:
            if asset.school_id != school_id:
                raise ValidationError(_("All assets must belong to the same school."))
            check_step(asset, "request-disposal", ASSET_WORKFLOW)
        open_requests = DisposalRequest.objects.filter(
            assets__in=locked,
            status__in=(DisposalStatus.REQUESTED, DisposalStatus.HEAD_APPROVED, DisposalStatus.APPROVED),
        )
        if open_requests.exists():
            raise ValidationError(_("An asset is already in an open disposal request."))
        request = DisposalRequest(school_id=school_id, reason=reason, method=method, requested_by=user, created_by=user)
        request.save()
        request.assets.set(locked)
        record_event(request, "disposal.requested", reason, {"assets": [a.pk for a in locked]})
        for asset in locked:
            record_event(
                asset, "asset.disposal_requested", _("Disposal requested (%(ref)s)") % {"ref": request.reference}
            )
    notify(
        staff_with(school_id, Role.LOGISTICS_HEAD),
        _("Disposal request %(ref)s awaits your approval") % {"ref": request.reference},
        obj=request,
        key=f"assets-disposal-requested-{request.pk}",
    )
    return request


def approve_disposal_head(*, request, user, note=""):
    """The logistics head approves a disposal request (first of two approvals, art. 19)."""
    require(user, "assets.approve_head_disposalrequest", request.school_id)
    with transaction.atomic():
        request = DisposalRequest.objects.select_for_update().get(pk=request.pk)
        request.status = check_step(request, "approve-head", DISPOSAL_WORKFLOW)
        request.head_approved_by = user
        request.head_approved_at = timezone.now()
        if note:
            request.decision_note = note
        request.save()
        record_event(request, "disposal.head_approved", note or _("Approved by the logistics head"))
    notify(
        staff_with(request.school_id, Role.PRINCIPAL),
        _("Disposal request %(ref)s awaits the principal's approval") % {"ref": request.reference},
        obj=request,
        key=f"assets-disposal-head-{request.pk}",
    )
    return request


def approve_disposal_principal(*, request, user, note=""):
    """The principal approves (second approval, collective decision recorded in ``note``)."""
    require(user, "assets.approve_principal_disposalrequest", request.school_id)
    with transaction.atomic():
        request = DisposalRequest.objects.select_for_update().get(pk=request.pk)
        request.status = check_step(request, "approve-principal", DISPOSAL_WORKFLOW)
        request.principal_approved_by = user
        request.principal_approved_at = timezone.now()
        if note:
            request.decision_note = note
        request.save()
        record_event(request, "disposal.approved", note or _("Approved by the principal"))
    notify(
        [request.requested_by, *staff_with(request.school_id, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF)],
        _("Disposal request %(ref)s approved: write the assets off") % {"ref": request.reference},
        obj=request,
        key=f"assets-disposal-approved-{request.pk}",
    )
    return request


def reject_disposal(*, request, user, note):
    """The head or the principal refuses a disposal; the assets stay on the ledger unchanged."""
    perms = ("assets.approve_head_disposalrequest", "assets.approve_principal_disposalrequest")
    if user is not None and not has_either(user, request.school_id, *perms):
        raise PermissionDenied(_("You may not do this."))
    if not note:
        raise ValidationError({"note": _("Give the reason.")})
    with transaction.atomic():
        request = DisposalRequest.objects.select_for_update().get(pk=request.pk)
        request.status = check_step(request, "reject", DISPOSAL_WORKFLOW)
        request.decision_note = note
        request.save()
        record_event(request, "disposal.rejected", note)
    notify(
        [request.requested_by],
        _("Disposal request %(ref)s rejected") % {"ref": request.reference},
        body=note,
        obj=request,
        key=f"assets-disposal-rejected-{request.pk}",
    )
    return request


def write_off_disposal(*, request, user, date=None, proceeds=0):
    """Write approved assets out of the ledger (核销, art. 35). The cards stay, status "disposed"."""
    require(user, "assets.write_off_disposalrequest", request.school_id)
    date = date or timezone.localdate()
    with transaction.atomic():
        request = DisposalRequest.objects.select_for_update().get(pk=request.pk)
        request.status = check_step(request, "write-off", DISPOSAL_WORKFLOW)
        request.written_off_on = date
        request.proceeds = proceeds or 0
        request.save()
        for asset in Asset.objects.select_for_update().filter(disposal_requests=request).order_by("pk"):
            target = check_step(asset, "write-off", ASSET_WORKFLOW)
            _move(
                asset,
                user,
                MovementKind.DISPOSE,
                request.reference,
                date=date,
                from_status=asset.status,
                to_status=target,
                from_room_id=asset.room_id,
            )
            asset.status = target
            asset.disposed_on = date
            asset.save()
            record_event(asset, "asset.disposed", _("Written off the ledger (%(ref)s)") % {"ref": request.reference})
        record_event(request, "disposal.written_off", _("Written off"))
    return request


def is_member(user, school_id):
    from logistics.tenancy.models import Membership

    return Membership.objects.filter(user=user, school_id=school_id, active=True).exists()


def has_either(user, school_id, *perms):
    from logistics.accounts.permissions import has_perm

    return any(has_perm(user, perm, school_id) for perm in perms)


# --- classroom inventory (班级财产) -------------------------------------------------------------


def current_term(day=None):
    """The school term of ``day``: "2026-2027-1" (Sep–Jan) or "2025-2026-2" (Feb–Aug)."""
    day = day or timezone.localdate()
    if day.month >= 9:
        return f"{day.year}-{day.year + 1}-1"
    if day.month == 1:
        return f"{day.year - 1}-{day.year}-1"
    return f"{day.year - 1}-{day.year}-2"


def confirm_classroom(*, room, user, note="", term=None):
    """The class teacher confirms their classroom's asset list for the term (班级财产核对)."""
    from logistics.people.models import SchoolClass

    term = term or current_term()
    school_class = SchoolClass.objects.filter(room=room, head_teacher=user).first()
    if school_class is None and not has_either(user, room.school_id, "assets.change_asset"):
        raise ValidationError(_("Only the class teacher of this classroom can confirm its list."))
    count = Asset.objects.filter(room=room, status__in=ON_LEDGER).count()
    with transaction.atomic():
        check, created = ClassroomCheck.objects.update_or_create(
            school_id=room.school_id,
            room=room,
            term=term,
            defaults={
                "school_class": school_class,
                "confirmed_by": user,
                "confirmed_at": timezone.now(),
                "asset_count": count,
                "note": note,
            },
        )
        record_event(check, "classroom.confirmed", _("%(n)s assets confirmed") % {"n": count})
    return check
