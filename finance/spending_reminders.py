"""Reminders of spending approval: expenses waiting for a signature (to the people who may give the
signature needed now — once per step), statements waiting for the principal's review."""

from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.reminders.registry import DueItem, Provider

from .choices import AWAITING_SIGNATURE, ExpenseStatus, SignerRole, StatementStatus
from .models import Expense, ExpenseSignature, StaffStatement
from .reminders import people


def signers_now(expense, signed, need_principal):
    """Who is asked for the signature the expense needs now: the first signature is asked of the logistics
    head (the principal too when the principal must sign); the second of the principal when the principal
    must sign and has not, else of the logistics head and the finance officer. Never the filer, the buyer
    or someone who already signed."""
    signed_ids = {s for s, _r in signed}
    roles = {r for _s, r in signed}
    if expense.status == ExpenseStatus.SUBMITTED:
        wanted = (Role.LOGISTICS_HEAD, Role.PRINCIPAL) if need_principal else (Role.LOGISTICS_HEAD,)
    elif need_principal and SignerRole.PRINCIPAL not in roles:
        wanted = (Role.PRINCIPAL,)
    elif roles & {SignerRole.HEAD, SignerRole.PRINCIPAL}:
        wanted = (Role.FINANCE_OFFICER, Role.LOGISTICS_HEAD, Role.PRINCIPAL)
    else:
        wanted = (Role.LOGISTICS_HEAD, Role.PRINCIPAL)
    excluded = {expense.filed_by_id, expense.buyer_id} | signed_ids
    return [u for u in people(expense.school_id, *wanted) if u.pk not in excluded]


class ExpensesAwaitingSignatureProvider(Provider):
    """An expense submitted (or signed once) reminds the signers the step needs; the due time is the
    step's own (submitted / first signature), so each step is reminded once per recipient."""

    code = "finance.expense_signature"

    def due_items(self, now):
        from .expenses import principal_must_sign

        waiting = list(
            Expense.objects.filter(status__in=AWAITING_SIGNATURE).select_related("school").order_by("pk")[:500]
        )
        signed = {}
        for expense_id, signer_id, role in ExpenseSignature.objects.filter(
            expense_id__in=[e.pk for e in waiting]
        ).values_list("expense_id", "signer_id", "role"):
            signed.setdefault(expense_id, []).append((signer_id, role))
        for expense in waiting:
            due = expense.submitted_at if expense.status == ExpenseStatus.SUBMITTED else expense.signed_at
            if due is None:
                continue
            recipients = signers_now(expense, signed.get(expense.pk, []), principal_must_sign(expense))
            if not recipients:
                continue
            yield DueItem(
                obj=expense,
                due_at=due,
                title=_("%(expense)s (%(amount)s yuan, %(purpose)s) waits for your signature")
                % {"expense": expense, "amount": expense.amount, "purpose": expense.purpose},
                recipients=recipients,
                url=expense.get_absolute_url(),
            )


class StatementAwaitingReviewProvider(Provider):
    code = "finance.statement_review"

    def due_items(self, now):
        for statement in StaffStatement.objects.filter(status=StatementStatus.SUBMITTED).order_by("pk")[:200]:
            yield DueItem(
                obj=statement,
                due_at=statement.submitted_at,
                title=_("%(statement)s waits for your review") % {"statement": statement},
                recipients=people(statement.school_id, Role.PRINCIPAL),
                url=statement.get_absolute_url(),
            )
