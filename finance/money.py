"""Per-student money: generating charges, recording payments, asking for waivers and refunds, and the
steps that approve or reverse them. Every record is append-only; the balance of a charge is

    balance = charged − waived (approved) − paid (recorded, not reversed) + refunded (approved)

computed from the records (``balances``), never stored."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.workflow.guard import StepResult

from .choices import ApprovalStatus, ConsentStatus, PaymentStatus, WaiverKind
from .models import Charge, Consent, Payment, Refund, Waiver

ZERO = Decimal("0.00")


def _sum(model, status, field="amount", outer="pk"):
    money = DecimalField(max_digits=12, decimal_places=2)
    rows = (
        model.objects.filter(charge=OuterRef(outer), status=status)
        .order_by()
        .values("charge")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=money), Value(ZERO), output_field=money)


def with_balances(charges):
    """``charges`` annotated with ``waived``, ``paid``, ``refunded`` and ``balance`` (one query)."""
    return charges.annotate(
        waived=_sum(Waiver, ApprovalStatus.APPROVED),
        paid=_sum(Payment, PaymentStatus.RECORDED),
        refunded=_sum(Refund, ApprovalStatus.APPROVED),
    ).annotate(balance_due=_balance_expression())


def money_stamps(charge_ids):
    """{charge id: when it or any of its payments, waivers and refunds last changed} (one query, by primary
    key; built as SQL text — the ORM's subquery expressions cost more to build than the query to run): what a
    kept list row of a charge, with its balance, is keyed by."""
    from django.db import connection

    ids = [int(pk) for pk in charge_ids]
    if not ids:
        return {}
    charge, latest = Charge._meta.db_table, []
    for model in (Payment, Waiver, Refund):
        latest.append(
            f"COALESCE((SELECT MAX(m.updated) FROM {model._meta.db_table} m WHERE m.charge_id = c.id), c.updated)"  # noqa: S608 — table names
        )
    marks = ", ".join(["%s"] * len(ids))
    greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    sql = f"SELECT c.id, {greatest}(c.updated, {', '.join(latest)}) FROM {charge} c WHERE c.id IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return dict(cursor.fetchall())


def figure_expressions(outer="pk"):
    """{"waived", "paid", "refunded"}: the sums of the charge ``OuterRef(outer)``'s records, as expressions
    (what :func:`with_balances` annotates; the API's SQL rows use them too)."""
    return {
        "waived": _sum(Waiver, ApprovalStatus.APPROVED, outer=outer),
        "paid": _sum(Payment, PaymentStatus.RECORDED, outer=outer),
        "refunded": _sum(Refund, ApprovalStatus.APPROVED, outer=outer),
    }


def _balance_expression():
    from django.db.models import F

    return F("amount") - F("waived") - F("paid") + F("refunded")


def figures(charge):
    """(charged, waived, paid, refunded, balance) of one charge, read from its records."""
    row = with_balances(Charge.objects.filter(pk=charge.pk)).values("amount", "waived", "paid", "refunded")[0]
    balance = row["amount"] - row["waived"] - row["paid"] + row["refunded"]
    return row["amount"], row["waived"], row["paid"], row["refunded"], balance


def generate_charges(item, actor):
    """Charge every student in the item's scope who is not charged yet, at the amount on the published
    board; a voluntary item only where the guardian agreed. Returns the number of charges made.

    Rules: 应公示而未公示的不得收费 (no published entry → refused); 家长签字手续方可收费 (voluntary:
    consent given)."""
    from .services import on_published_board

    entry = on_published_board(item)
    if entry is None:
        raise ValidationError(
            _("“%(item)s” is not on the published fee disclosure: it may not be charged (应公示而未公示的不得收费).")
            % {"item": item}
        )
    students = item.students_in_scope()
    if item.voluntary:
        students = students.filter(
            pk__in=Consent.objects.filter(fee_item=item, status=ConsentStatus.GIVEN).values("student_id")
        )
    made = 0
    with transaction.atomic():
        have = set(Charge.objects.filter(school_id=item.school_id, fee_item=item).values_list("student_id", flat=True))
        for student_id in students.values_list("pk", flat=True):
            if student_id in have:
                continue
            charge = Charge(
                school_id=item.school_id,
                fee_item=item,
                entry=entry,
                student_id=student_id,
                amount=entry.amount,
                due_date=item.due_date,
            )
            charge.created_by = actor
            charge.save()
            made += 1
    return made


def charge_student(item, student, actor):
    """Charge one student (the rules of :func:`generate_charges`); refused with the rule's words."""
    from .services import on_published_board

    if on_published_board(item) is None:
        raise ValidationError(
            _("“%(item)s” is not on the published fee disclosure: it may not be charged (应公示而未公示的不得收费).")
            % {"item": item}
        )
    if (
        item.voluntary
        and not Consent.objects.filter(fee_item=item, student=student, status=ConsentStatus.GIVEN).exists()
    ):
        raise ValidationError(
            _("%(student)s's guardian has not agreed to “%(item)s”: a voluntary fee is charged only with consent.")
            % {"student": student, "item": item.name}
        )
    if student.pk not in set(item.students_in_scope().values_list("pk", flat=True)):
        raise ValidationError(
            _("%(student)s is not in the scope of “%(item)s”.") % {"student": student, "item": item.name}
        )
    generate_charges_for = Charge.objects.filter(fee_item=item, student=student, settlement__isnull=True).first()
    if generate_charges_for is not None:
        return generate_charges_for
    entry = on_published_board(item)
    charge = Charge(
        school_id=item.school_id,
        fee_item=item,
        entry=entry,
        student=student,
        amount=entry.amount,
        due_date=item.due_date,
    )
    charge.created_by = actor
    charge.save()
    return charge


def _locked(charge):
    return Charge.objects.select_for_update().get(pk=charge.pk)


def record_payment(charge, actor, amount, method, receipt_number, paid_on, *, transaction_id="", payment_import=None):
    """Record a payment (amount, method, receipt number 票据号, date; the bank's transaction number and
    the imported file when it comes from one); more than the balance is refused."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        charge = _locked(charge)
        balance = figures(charge)[4]
        if amount <= ZERO:
            raise ValidationError({"amount": _("Enter an amount above zero.")})
        if amount > balance:
            raise ValidationError(
                {"amount": _("Only %(balance)s yuan is still due on this charge.") % {"balance": balance}}
            )
        payment = Payment(
            school_id=charge.school_id,
            charge=charge,
            amount=amount,
            method=method,
            receipt_number=receipt_number.strip(),
            paid_on=paid_on,
            transaction_id=(transaction_id or "").strip(),
            payment_import=payment_import,
        )
        payment.created_by = actor
        payment.validate_constraints()
        payment.save()
    return payment


def reverse_payment(payment, actor, reason):
    """The step "reverse": 管钱不管帐 — the person who recorded the payment may not reverse it."""
    if payment.created_by_id == actor.pk:
        raise PermissionDenied(_("You recorded this payment: someone else must reverse it (管钱不管帐)."))
    charged, waived, paid, refunded, balance = figures(payment.charge)
    if paid - payment.amount < refunded:
        raise ValidationError(
            _(
                "%(refunded)s yuan of this charge was refunded: reversing this payment would leave less paid than refunded."
            )
            % {"refunded": refunded}
        )
    payment.reversed_at = timezone.now()
    payment.reversed_by = actor
    payment.reversal_reason = reason
    return StepResult(_("Payment reversed: %(reason)s") % {"reason": reason}, {"reason": reason})


def request_waiver(charge, actor, amount, kind, reason):
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        charge = _locked(charge)
        charged, waived, paid, refunded, balance = figures(charge)
        if amount > charged - waived:
            raise ValidationError(
                {"amount": _("At most %(max)s yuan of this charge can still be waived.") % {"max": charged - waived}}
            )
        waiver = Waiver(school_id=charge.school_id, charge=charge, amount=amount, kind=kind, reason=reason)
        waiver.created_by = actor
        waiver.save()
    return waiver


def request_refund(charge, actor, amount, reason, method=None):
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        charge = _locked(charge)
        charged, waived, paid, refunded, balance = figures(charge)
        asked = Refund.objects.filter(charge=charge, status=ApprovalStatus.REQUESTED).aggregate(s=Sum("amount"))["s"]
        room = paid - refunded - (asked or ZERO)
        if amount > room:
            raise ValidationError({"amount": _("At most %(max)s yuan paid can still be refunded.") % {"max": room}})
        refund = Refund(school_id=charge.school_id, charge=charge, amount=amount, reason=reason)
        if method:
            refund.method = method
        refund.created_by = actor
        refund.save()
    return refund


def approve_record(record, actor):
    """The step "approve" of a waiver or refund: never by the person who asked for it; a refund never by
    anyone who recorded a payment of the charge (管钱不管帐)."""
    if record.created_by_id == actor.pk:
        raise PermissionDenied(_("You asked for this: someone else must approve it."))
    if isinstance(record, Refund) and Payment.objects.filter(charge_id=record.charge_id, created_by=actor).exists():
        raise PermissionDenied(
            _("You recorded a payment of this charge: someone else must approve its refund (管钱不管帐).")
        )
    if isinstance(record, Refund):
        charged, waived, paid, refunded, balance = figures(record.charge)
        if record.amount > paid - refunded:
            raise ValidationError(_("Only %(max)s yuan paid is left to refund.") % {"max": paid - refunded})
    else:
        charged, waived, *_rest = figures(record.charge)
        if record.amount > charged - waived:
            raise ValidationError(_("Only %(max)s yuan is left to waive.") % {"max": charged - waived})
    record.decided_at = timezone.now()
    record.decided_by = actor


def reject_record(record, actor, reason):
    if record.created_by_id == actor.pk:
        raise PermissionDenied(_("You asked for this: someone else must decide on it."))
    record.decided_at = timezone.now()
    record.decided_by = actor
    record.decision_note = reason
    return StepResult(_("Rejected: %(reason)s") % {"reason": reason}, {"reason": reason})


def paid_on_consent(consent):
    """What is paid and kept (paid − refunded) on the charge of the consent's item and student, or zero."""
    row = (
        with_balances(
            Charge.objects.filter(
                fee_item_id=consent.fee_item_id, student_id=consent.student_id, settlement__isnull=True
            )
        )
        .values_list("paid", "refunded")
        .first()
    )
    return max(row[0] - row[1], ZERO) if row else ZERO


def paid_consent_message(paid):
    """Why a paid fee's consent is not withdrawn, and what to do instead (the rule of the step)."""
    return _(
        "This fee has been paid (%(paid)s yuan): consent can no longer be withdrawn. To get money back, ask the "
        "school's finance office for a refund; the finance office records it and the principal or the logistics "
        "head approves it."
    ) % {"paid": paid}


def on_consent_revoked(consent, actor, reason):
    """A withdrawn consent: refused once anything was paid on the charge (ask for a refund instead);
    otherwise the unpaid charge is waived in full ("consent withdrawn"), approved by the system rule."""
    charge = Charge.objects.filter(
        fee_item_id=consent.fee_item_id, student_id=consent.student_id, settlement__isnull=True
    ).first()
    if charge is None:
        return
    charged, waived, paid, refunded, balance = figures(charge)
    if paid - refunded > ZERO:
        raise ValidationError(paid_consent_message(paid - refunded))
    if charged - waived > ZERO:
        waiver = Waiver(
            school_id=charge.school_id,
            charge=charge,
            amount=charged - waived,
            kind=WaiverKind.WITHDRAWN,
            reason=reason,
            status=ApprovalStatus.APPROVED,
            decided_at=timezone.now(),
            decided_by=actor,
        )
        waiver.created_by = actor
        waiver.save()
