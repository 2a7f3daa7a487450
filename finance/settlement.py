"""The steps of a term settlement (期末结算): compute the lines, approve — refunds and, under 多退少补, the
shortfall charges. Rule ``finance.settlement_policy`` (发改价格〔2010〕1619号)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_bulk_create
from logistics.tenancy import rules
from logistics.workflow.guard import StepResult

from .choices import ApprovalStatus, FeeCategory, PaymentMethod, WaiverKind
from .costs import cost_shares, costs_changed_since_computed, equal_shares
from .models import Charge, Refund, SettlementLine
from .money import with_balances

POLICY = "finance.settlement_policy"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def shares(total, count):
    """``total`` split into ``count`` equal shares to the cent, adding up to the total exactly."""
    return equal_shares(total, count)


def settle_line(charged, waived, collected, cost, collects_shortfall):
    """(what the student owes after the settlement, charge reduced by, refund, shortfall charged).

    What a student owes after settling is their cost share less what was already waived for them; under
    多退少不补 never more than was due before (charged − waived). The charge is reduced by what it was
    above that, the surplus paid is refunded, and under 多退少补 a shortfall is charged."""
    due = charged - waived
    target = max(cost - waived, ZERO)
    if not collects_shortfall:
        target = min(target, due)
    settled_down = max(due - target, ZERO)
    shortfall = max(target - due, ZERO)
    refund = max(collected - target, ZERO)
    return target, settled_down, refund, shortfall


def compute(settlement, actor):
    """Each student's actual cost — the total split equally or in proportion to the charges, or the
    cost entered per student (``finance.costs.cost_shares``) — for the students charged for the item
    (not the shortfall charges of a settlement), and settle each (:func:`settle_line`)."""
    item = settlement.fee_item
    if item.category == FeeCategory.ADMINISTRATIVE:
        raise ValidationError(_("Administrative fees are not settled at cost."))
    charges = list(
        with_balances(Charge.objects.filter(fee_item=item, settlement__isnull=True).select_related("student")).order_by(
            "pk"
        )
    )
    if not charges:
        raise ValidationError(_("Nobody was charged for this fee: there is nothing to settle."))
    collects = bool(rules.value(settlement.school, POLICY))
    costs = cost_shares(settlement, charges)  # by the settlement's split (per student: as entered)
    settlement.lines.all().delete()
    lines = []
    for charge, cost in zip(charges, costs, strict=True):
        collected = charge.paid - charge.refunded
        _target, settled_down, refund, shortfall = settle_line(charge.amount, charge.waived, collected, cost, collects)
        lines.append(
            SettlementLine(
                school_id=settlement.school_id,
                settlement=settlement,
                charge=charge,
                collected=collected,
                cost=cost,
                settled_down=settled_down,
                refund=refund,
                shortfall=shortfall,
            )
        )
    # derived figures of one step (recorded as the step's timeline event, not row by row)
    SettlementLine.objects.bulk_create(lines, batch_size=1000)
    settlement.collects_shortfall = collects
    settlement.collected_total = sum((line.collected for line in lines), ZERO)
    settlement.refund_total = sum((line.refund for line in lines), ZERO)
    settlement.shortfall_total = sum((line.shortfall for line in lines), ZERO)
    settlement.computed_at = timezone.now()
    return StepResult(
        _("Computed for %(count)s students: refunds %(refunds)s yuan, shortfall charged %(shortfall)s yuan.")
        % {"count": len(lines), "refunds": settlement.refund_total, "shortfall": settlement.shortfall_total},
        {"students": len(lines), "refunds": str(settlement.refund_total), "shortfall": str(settlement.shortfall_total)},
    )


def approve(settlement, actor):
    """The principal approves: per line, a waiver of the charge above the cost ("settled at cost"), an
    approved refund of the surplus paid (the refund batch) and, under 多退少补, a shortfall charge. Never
    by someone who recorded a payment of the item (管钱不管帐)."""
    from .models import Payment, Waiver

    if costs_changed_since_computed(settlement):
        raise ValidationError(_("A student's actual cost changed after the settlement was computed: compute it again."))
    if Payment.objects.filter(charge__fee_item_id=settlement.fee_item_id, created_by=actor).exists():
        raise PermissionDenied(
            _("You recorded payments of this fee: someone else must approve its settlement (管钱不管帐).")
        )
    now = timezone.now()
    policy = _("多退少补") if settlement.collects_shortfall else _("多退少不补")
    decided = {"status": ApprovalStatus.APPROVED, "decided_at": now, "decided_by": actor}
    waivers, refunds = [], []
    for line in settlement.lines.select_related("charge"):
        common = {"school_id": settlement.school_id, "charge": line.charge, "created_by": actor, "updated_by": actor}
        if line.settled_down > ZERO:
            waivers.append(
                Waiver(
                    **common,
                    **decided,
                    amount=line.settled_down,
                    kind=WaiverKind.SETTLEMENT,
                    reason=_("Term settlement at cost (%(policy)s)") % {"policy": policy},
                )  # fmt: skip
            )
        if line.refund > ZERO:
            refunds.append(
                Refund(
                    **common,
                    **decided,
                    amount=line.refund,
                    method=PaymentMethod.BANK,
                    reason=_("Term settlement: surplus refunded (%(policy)s)") % {"policy": policy},
                )  # fmt: skip
            )
        if line.shortfall > ZERO:
            # one by one: a charge takes its reference number from the school's sequence
            charge = Charge(
                school_id=settlement.school_id,
                fee_item_id=settlement.fee_item_id,
                entry_id=line.charge.entry_id,
                student_id=line.charge.student_id,
                amount=line.shortfall,
                settlement=settlement,
            )
            charge.created_by = actor
            charge.save()
    # the batch of waivers and refunds: written together, each with its change record (as many as saves)
    for model, rows in ((Waiver, waivers), (Refund, refunds)):
        model.objects.bulk_create(rows, batch_size=1000)
        record_bulk_create(rows)
    settlement.approved_at = now
    settlement.approved_by = actor
