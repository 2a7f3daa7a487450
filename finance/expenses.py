"""Spending approval (一支笔审批): amount bands, the two-signature rule, budget checks and the services of
the expense steps (declared on ``finance.models.Expense``; ``logistics.workflow.guard.run`` locks the
row, checks permission and status, calls the function here, moves the status and writes the timeline).

The rules (docs/finance.md § Spending approval):

- Band by amount — Rules ``finance.expense_head_limit`` (300 元) and ``finance.expense_principal_limit``
  (10,000 元): up to the first the logistics head approves, up to the second the principal, above it a
  recorded collective decision (集体决策, "三重一大") with its minutes, and the principal.
- Every expense needs **two signatures by two different people**; neither may be whoever filed the
  expense nor its buyer (经办人). In the head's band one of the two is the logistics head's or the
  principal's (the other may be the finance officer's review, 会计审核); above it one is the principal's.
- An expense beyond its category's remaining budget of the year (or with no budget) needs the principal's
  signature even in the head's band (warned on the page).
- The buyer (经办人) and the person who checked receipt (验收人) are different people.
- **The principal's own expense** (the principal is its buyer or filed it) that needs the principal's
  signature goes to the leadership collectively (校长本人经办的支出由领导班子集体研究): it needs a recorded
  collective decision with its minutes, whatever its band, and the logistics head signs in the
  principal's place (two signatures by two others, one of them the head's).
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from logistics.accounts.permissions import roles_in
from logistics.accounts.roles import Role
from logistics.attachments.models import Attachment
from logistics.tenancy import rules
from logistics.tenancy.models import Membership
from logistics.workflow.guard import StepResult

from .choices import AWAITING_SIGNATURE, ApprovalBand, ExpenseStatus, SignerRole
from .models import Expense, ExpenseSignature

HEAD_LIMIT = "finance.expense_head_limit"
PRINCIPAL_LIMIT = "finance.expense_principal_limit"
INVOICE = "invoice"
MINUTES = "minutes"

#: the capacity a person signs in, highest first
SIGNER_ROLES = (
    (Role.PRINCIPAL, SignerRole.PRINCIPAL),
    (Role.LOGISTICS_HEAD, SignerRole.HEAD),
    (Role.FINANCE_OFFICER, SignerRole.FINANCE),
)


def limits(school):
    """(head limit, principal limit) in yuan, as Decimals."""
    return Decimal(str(rules.value(school, HEAD_LIMIT))), Decimal(str(rules.value(school, PRINCIPAL_LIMIT)))


def band_of(school, amount):
    """The approval band of ``amount`` in ``school`` (limits inclusive: 300.00 is the head's, 300.01 the
    principal's)."""
    head, principal = limits(school)
    if amount <= head:
        return ApprovalBand.HEAD
    if amount <= principal:
        return ApprovalBand.PRINCIPAL
    return ApprovalBand.COLLECTIVE


def attachments_of(obj, kind):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, kind=kind
    ).order_by("pk")


def attach(obj, files, kind, caption=""):
    ct = ContentType.objects.get_for_model(type(obj))
    for upload in [f for f in files or () if f]:
        Attachment.objects.create(
            school_id=obj.school_id, content_type=ct, object_id=obj.pk, file=upload, kind=kind, caption=caption
        )


def budget_position(expense):
    """The expense's category budget of its year: ``{"budget", "remaining", "over"}`` where remaining is
    budget − paid − committed of the other expenses, ``over`` whether this expense goes beyond it (also
    when there is no budget at all)."""
    from .budgets import figures_for

    year = expense.spent_on.year
    row = figures_for(expense.school_id, year, categories=[expense.category], exclude=expense.pk).get(expense.category)
    if row is None or row["budget"] is None:
        return {"budget": None, "remaining": None, "over": True, "year": year}
    return {
        "budget": row["budget"],
        "remaining": row["remaining"],
        "over": expense.amount > row["remaining"],
        "year": year,
    }


def needs_principal(expense, position=None):
    """Whether one of the two signatures must be the principal's: above the head's limit, or beyond the
    category's remaining budget."""
    if band_of(expense.school, expense.amount) != ApprovalBand.HEAD:
        return True
    position = position or budget_position(expense)
    return position["over"]


def principals_of(school_id):
    """The user ids of the school's principals (active memberships)."""
    return Membership.objects.filter(school_id=school_id, role=Role.PRINCIPAL, active=True).values("user_id")


def principal_is_party(expense):
    """Whether a principal of the school bought (经办人) or filed the expense — then the principal cannot
    sign it (nobody approves their own expense)."""
    people = [pk for pk in (expense.buyer_id, expense.filed_by_id) if pk]
    return bool(people) and principals_of(expense.school_id).filter(user_id__in=people).exists()


def principal_must_sign(expense, position=None):
    """Whether the principal's own signature is required: the band or the budget needs it and the
    principal is not a party to the expense (then a collective decision and the head's signature
    replace it)."""
    return needs_principal(expense, position) and not principal_is_party(expense)


def signer_role(user, school_id):
    """The capacity ``user`` signs in for the school (their highest role among the signers), or None."""
    roles = roles_in(user, school_id)
    for role, signer in SIGNER_ROLES:
        if role in roles:
            return signer
    return None


def requirements(expense):
    """What the expense needs, for the page and the checks."""
    position = budget_position(expense)
    band = band_of(expense.school, expense.amount)
    principal = needs_principal(expense, position)
    own = principal and principal_is_party(expense)
    return {
        "band": band,
        # the principal's own expense is not "for the principal's approval" whatever its band
        "band_label": pgettext("approval band", "Collective decision (the principal's own expense)")
        if own
        else ApprovalBand(band).label,
        "needs_principal": principal and not own,
        # the principal's own expense: the leadership decides collectively, the head signs in their place
        "principals_own": own,
        "needs_decision": band == ApprovalBand.COLLECTIVE or own,
        "budget": position,
    }


def _check_people(expense):
    if expense.buyer_id == expense.receiver_id:
        raise ValidationError(
            {"receiver": _("The person who checked receipt (验收人) must be someone other than the buyer (经办人).")}
        )


def _check_decision(expense, need=None):
    """Above the principal's limit, or the principal's own expense that needs the principal's signature:
    a collective decision of the same school with its minutes attached."""
    need = need or requirements(expense)
    if not need["needs_decision"]:
        return
    decision = expense.decision
    _head, principal = limits(expense.school)
    if decision is None:
        if need["band"] != ApprovalBand.COLLECTIVE:
            raise ValidationError(
                {
                    "decision": _(
                        "The principal bought or filed this expense, which needs the principal's signature: "
                        "it is decided by the school's leadership collectively (集体决策) instead — choose the "
                        "recorded decision with its minutes; the logistics head signs in the principal's place."
                    )
                }
            )
        raise ValidationError(
            {
                "decision": _(
                    "Above %(limit)s yuan an expense needs a recorded collective decision (集体决策, "
                    "“三重一大”) with its minutes: choose the decision."
                )
                % {"limit": principal}
            }
        )
    if decision.school_id != expense.school_id:
        raise ValidationError({"decision": _("This belongs to another school.")})
    if not attachments_of(decision, MINUTES).exists():
        raise ValidationError(
            {"decision": _("The collective decision has no minutes attached: attach the minutes (会议纪要) first.")}
        )


# --- step services -----------------------------------------------------------------------------------


def submit(expense, actor):
    """Drafted → awaiting signatures. Needs at least one invoice scan; the buyer and the receiver differ;
    above the principal's limit a collective decision with minutes."""
    _check_people(expense)
    if not attachments_of(expense, INVOICE).exists():
        raise ValidationError(_("Attach the invoice (发票) scan or photo before submitting."))
    _check_decision(expense)
    expense.submitted_at = timezone.now()
    expense.rejection_reason = ""
    need = requirements(expense)
    return StepResult(
        _("Submitted for signatures (%(band)s).") % {"band": need["band_label"]},
        {"band": str(need["band"]), "needs_principal": need["needs_principal"]},
    )


def sign(expense, actor, comment=""):
    """One signature. Refused to whoever filed the expense or bought it, to a second signature by the
    same person, and — on the second signature — when neither signature is one the band requires."""
    school_id = expense.school_id
    if actor.pk in (expense.filed_by_id, expense.buyer_id):
        raise ValidationError(_("Nobody approves their own expense: you filed it or bought it (经办人)."))
    role = signer_role(actor, school_id)
    if role is None:
        raise ValidationError(_("Only the finance officer, the logistics head or the principal sign expenses."))
    earlier = list(ExpenseSignature.objects.filter(expense=expense).values_list("signer_id", "role"))
    if any(signer == actor.pk for signer, _role in earlier):
        raise ValidationError(_("You have already signed this expense: the second signature must be someone else's."))
    roles = {r for _signer, r in earlier} | {role}
    need = requirements(expense)
    if need["needs_decision"]:
        _check_decision(expense, need)
    final = expense.status == ExpenseStatus.SIGNED
    if need["principals_own"]:
        if final and not roles & {SignerRole.HEAD, SignerRole.PRINCIPAL}:
            raise ValidationError(
                _(
                    "The principal bought or filed this expense: the logistics head signs in the principal's "
                    "place, with the collective decision (校长本人经办的支出由领导班子集体研究)."
                )
            )
    elif need["needs_principal"]:
        if final and SignerRole.PRINCIPAL not in roles:
            reason = (
                _("it is beyond the category's remaining budget")
                if need["band"] == ApprovalBand.HEAD
                else _("it is above %(limit)s yuan") % {"limit": limits(expense.school)[0]}
            )
            raise ValidationError(
                _("This expense needs the principal's signature: %(reason)s (一支笔审批).") % {"reason": reason}
            )
    elif final and not roles & {SignerRole.HEAD, SignerRole.PRINCIPAL}:
        raise ValidationError(_("One of the two signatures must be the logistics head's or the principal's."))
    now = timezone.now()
    ExpenseSignature.objects.create(
        school_id=school_id, expense=expense, signer=actor, role=role, signed_at=now, comment=comment or ""
    )
    if final:
        expense.approved_at = now
    else:
        expense.signed_at = now
    label = SignerRole(role).label
    message = (_("Second signature (%(role)s): approved.") if final else _("First signature (%(role)s).")) % {
        "role": label
    }
    return StepResult(message, {"role": str(role), "comment": comment or ""})


def reject(expense, actor, reason):
    if actor.pk in (expense.filed_by_id, expense.buyer_id):
        raise ValidationError(_("Nobody decides on their own expense: you filed it or bought it (经办人)."))
    expense.rejection_reason = reason
    return StepResult(_("Rejected: %(reason)s") % {"reason": reason}, {"reason": reason})


def withdraw(expense, actor, reason):
    expense.withdrawal_reason = reason
    return StepResult(_("Expense withdrawn: %(reason)s") % {"reason": reason}, {"reason": reason})


def pay(expense, actor, paid_on, method, voucher_number):
    """Approved → paid, with the date, method and voucher number (记账凭证号)."""
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if paid_on < expense.spent_on:
        raise ValidationError({"paid_on": _("The payment date cannot be before the purchase.")})
    expense.paid_on = paid_on
    expense.pay_method = method
    expense.voucher_number = voucher_number.strip()
    expense.paid_by = actor
    return StepResult(
        _("Paid on %(date)s, voucher %(voucher)s.") % {"date": paid_on.isoformat(), "voucher": expense.voucher_number},
        {"paid_on": paid_on.isoformat(), "method": method, "voucher": expense.voucher_number},
    )


def reverse(expense, actor, reason):
    """Paid → reversed: the expense stays on the books beside its reversal (with the reason); never by
    the person who recorded the payment (管钱不管帐)."""
    if actor.pk == expense.paid_by_id:
        raise ValidationError(_("The person who recorded the payment cannot reverse it (管钱不管帐)."))
    expense.reversed_at = timezone.now()
    expense.reversed_by = actor
    expense.reversal_reason = reason
    return StepResult(_("Reversed: %(reason)s") % {"reason": reason}, {"reason": reason})


# --- creating an expense ---------------------------------------------------------------------------


def file_expense(*, school, actor, invoices=(), **fields):
    """File a draft expense for ``school`` as ``actor`` with its invoice scans."""
    expense = Expense(school=school, filed_by=actor, **fields)
    _check_people(expense)
    expense.full_clean(exclude=["filed_by"])
    expense.save()
    attach(expense, invoices, INVOICE)
    return expense


# --- who is waiting ----------------------------------------------------------------------------------


def awaiting_principal(school):
    """The school's expenses waiting for the principal's signature (for the principal's "needs me"):
    submitted or once-signed, needing the principal (above the head's limit, or beyond the category's
    remaining budget) and not yet signed by a principal. A queryset of ``Expense``, oldest first.
    A few queries whatever the number of expenses (the budget figures once per year concerned)."""
    from .budgets import figures_for

    head, _principal = limits(school)
    signed_by_principal = ExpenseSignature.objects.filter(school=school, role=SignerRole.PRINCIPAL).values("expense_id")
    principals = principals_of(school.pk)
    # the principal's own expenses wait for the logistics head (with the collective decision), not for them
    waiting = (
        Expense.objects.filter(school=school, status__in=AWAITING_SIGNATURE)
        .exclude(pk__in=signed_by_principal)
        .exclude(buyer__in=principals)
        .exclude(filed_by__in=principals)
    )
    small = list(waiting.filter(amount__lte=head).values_list("pk", "category", "amount", "spent_on"))
    figures = {year: figures_for(school, year) for year in {row[3].year for row in small}}
    over = []
    for pk, category, amount, spent_on in small:
        row = figures[spent_on.year].get(category)
        if row is None or row["remaining"] is None or amount > row["remaining"]:
            over.append(pk)
    return waiting.filter(Q(amount__gt=head) | Q(pk__in=over)).order_by("submitted_at", "pk")
