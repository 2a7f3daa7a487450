"""Movements of fixed assets (资产变动): acquire, then the steps declared on ``Asset`` and
``DisposalRequest`` (transfer, lend, return, report lost, dispose), each a thin call of the workflow
guard; their work is in ``assets.steps``. Every movement is one transaction, one ``AssetMovement``
row and one timeline event (新添物资有登记, 借领物资有手续 — "history of every change kept").
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import terms
from logistics.audit.recorder import record_event
from logistics.tenancy.models import Sequence
from logistics.workflow.guard import run

from .. import settings_rules
from ..choices import ON_LEDGER, MovementKind
from ..models import Asset, AssetMovement, ClassroomCheck

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


def acquire_assets(*, school, user, quantity=1, note="", **fields):
    """Put new assets on the ledger (登记入帐): one card per item — "40 student desks" makes 40 cards.

    ``fields`` are the card's fields (name, category, unit_price, purchase_date, room, custodian…) and
    ``price_confirmed`` (an unusually high unit price was confirmed). Checks the price bounds (rules
    ``assets.unit_price_confirm_above`` / ``assets.unit_price_maximum``) and the capitalisation threshold;
    all cards or none.
    """
    if quantity < 1 or quantity > 1000:
        raise ValidationError(_("Acquire between 1 and 1,000 items at a time."))
    settings_rules.check_price(school, fields.get("unit_price"), fields.pop("price_confirmed", False))
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


# --- steps: each goes through the workflow guard (``Asset`` and ``DisposalRequest`` declare them;
# ``assets.steps`` does the work). Signatures kept for callers (repairs, demo, tests). -------------


def transfer_asset(*, asset, user, room=None, custodian=None, department=None, note=""):
    """Move an asset to another room and/or custodian (调拨/转移); see ``assets.steps.ledger.transfer``."""
    return run(asset, "transfer", user, room=room, custodian=custodian, department=department, note=note)


def lend_asset(*, asset, user, expected_return=None, borrower=None, borrower_name="", purpose=""):
    """Lend an asset with an expected return date (借用, 借领物资有手续); returns the loan."""
    return run(
        asset,
        "lend",
        user,
        borrower=borrower,
        borrower_name=borrower_name,
        expected_return=expected_return,
        purpose=purpose,
    )


def return_asset(*, asset, user, note=""):
    """Take a lent asset back (归还)."""
    return run(asset, "take_back", user, note=note)


def report_lost(*, asset, user, note):
    """Report an asset lost (报失); it stays on the ledger until a disposal writes it off (art. 19)."""
    return run(asset, "report_lost", user, note=note)


def set_under_repair(*, asset, user, note="", under_repair=True):
    """Mark an asset under repair, or back in use (repairs may call this; scheduled work acts as
    ``system_actor()``)."""
    return run(asset, "mark_under_repair" if under_repair else "mark_repaired", user, note=note)


def request_disposal(*, assets, user, reason, method="scrap"):
    """Ask to dispose of assets (报废申请): one request for all of them; nothing leaves the ledger
    until approved and written off. Each asset takes its ``request_disposal`` step."""
    assets = list(assets)
    if not assets:
        raise ValidationError(_("Choose at least one asset."))
    with transaction.atomic():
        request = None
        for asset in sorted(assets, key=lambda a: a.pk):
            request = run(asset, "request_disposal", user, reason=reason, method=method, into=request)
    return request


def approve_disposal_head(*, request, user, note=""):
    """The logistics head approves a disposal request (first of two approvals, art. 19)."""
    return run(request, "approve_head", user, note=note)


def approve_disposal_principal(*, request, user, note=""):
    """The principal approves (second approval, collective decision recorded in ``note``)."""
    return run(request, "approve_principal", user, note=note)


def reject_disposal(*, request, user, note):
    """The head or the principal refuses a disposal; the assets stay on the ledger unchanged."""
    return run(request, "reject", user, note=note)


def write_off_disposal(*, request, user, date=None, proceeds=0):
    """Write approved assets out of the ledger (核销, art. 35). The cards stay, status "disposed"."""
    return run(request, "write_off", user, date=date, proceeds=proceeds)


def has_either(user, school_id, *perms):
    from logistics.accounts.permissions import has_perm

    return any(has_perm(user, perm, school_id) for perm in perms)


# --- classroom inventory (班级财产) -------------------------------------------------------------


def current_term(day=None):
    """The school term of ``day`` (``logistics.terms``): "2026-2027-1" (Sep–Jan) or "2025-2026-2" (Feb–Aug)."""
    return terms.term_of(day or timezone.localdate()).code


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
