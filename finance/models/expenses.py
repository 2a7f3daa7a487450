"""Spending approval (一支笔审批): expenses/reimbursements signed by two different people by amount band,
collective decisions (集体决策, "三重一大") for the largest, and budgets per category and year."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import ExpenseCategory, ExpenseStatus, PayMethod, SignerRole

E = ExpenseStatus

__all__ = ["Budget", "BudgetRevision", "CollectiveDecision", "Expense", "ExpenseSignature"]

CENT = "0.01"


class CollectiveDecision(PrimaryModel):
    """A recorded collective decision (集体决策) of the school's leadership meeting on a large expense
    ("三重一大": 重大事项决策、重要干部任免、重大项目安排、大额资金使用 — decided collectively, never by
    one person). Meeting date, who took part, what was decided; the minutes (会议纪要) are attached."""

    meeting_date = models.DateField(_("meeting date"))
    subject = models.CharField(_("subject"), max_length=200)
    participants = models.TextField(
        pgettext_lazy("meeting", "participants"), help_text=_("Everybody who took part, e.g. 校长 张三、副校长 李四…")
    )
    decision = models.TextField(_("what was decided"))

    class Meta:
        verbose_name = _("collective decision")
        verbose_name_plural = _("collective decisions")
        ordering = ["school", "-meeting_date", "-pk"]
        indexes = [models.Index(fields=["school", "meeting_date"], name="finance_decision_school_date")]

    def __str__(self):
        return f"{self.meeting_date:%Y-%m-%d} {self.subject}"

    def get_absolute_url(self):
        return reverse("finance:collectivedecision_detail", args=[self.pk])


class Expense(ReferenceMixin, PrimaryModel):
    """An expense or reimbursement (支出报销): what was bought, for how much, from whom, with the invoice
    scans attached; the person who bought (经办人) and a different person who checked receipt (验收人).

    一支笔审批 by amount band (Rules ``finance.expense_head_limit``, default 300 元, and
    ``finance.expense_principal_limit``, default 10,000 元; common practice of 中小学校财务制度, 财教〔2012〕488号
    art. on 支出管理): every expense is signed by **two different people**, never by whoever filed it
    or bought it; up to the first limit one of them is the logistics head (or the principal), above it
    one of them is the principal; above the second limit a recorded collective decision (集体决策) with its
    minutes is required too. An expense beyond its category's remaining budget needs the principal's
    signature whatever its amount. Paid, it is never edited or deleted (the database refuses it): a wrong
    one is reversed with a reason."""

    reference_prefix = "EXP"

    purpose = models.CharField(_("purpose"), max_length=300)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(CENT))]
    )
    category = models.CharField(_("budget category"), max_length=20, choices=ExpenseCategory.choices)
    supplier = models.CharField(_("supplier"), max_length=200)
    spent_on = models.DateField(_("date of purchase"))
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bought by (经办人)")
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("receipt checked by (验收人)"),
        help_text=_("Someone other than the buyer who checked what was delivered."),
    )  # fmt: skip
    decision = models.ForeignKey(
        CollectiveDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="expenses",
        verbose_name=_("collective decision"),
        help_text=_("Required above the principal's limit (集体决策, with its minutes attached)."),
    )  # fmt: skip
    status = FSMField(_("status"), max_length=20, choices=E.choices, default=E.DRAFTED, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("filed by"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted for signatures"), null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(_("first signature"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    rejection_reason = models.CharField(_("rejected because"), max_length=300, blank=True, editable=False)
    withdrawal_reason = models.CharField(_("withdrawn because"), max_length=300, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("paid by"),
    )  # fmt: skip
    pay_method = models.CharField(
        _("payment method"), max_length=20, choices=PayMethod.choices, blank=True, editable=False
    )
    voucher_number = models.CharField(_("voucher number"), max_length=40, blank=True, editable=False)
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True, editable=False)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("reversed by"),
    )  # fmt: skip
    reversal_reason = models.CharField(_("reversed because"), max_length=300, blank=True, editable=False)

    read_only_states = frozenset(set(E.values) - {E.DRAFTED})

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["school", "-reference_number"]
        permissions = [
            ("submit_expense", "Can submit or withdraw an expense"),
            ("approve_expense", "Can sign (approve) or reject an expense"),
            ("pay_expense", "Can pay an approved expense"),
            ("reverse_expense", "Can reverse a paid expense"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="finance_expense_unique_reference",
                violation_error_message=_("An expense with this reference number already exists in this school."),
            ),
            models.CheckConstraint(
                condition=~Q(buyer=models.F("receiver")),
                name="finance_expense_buyer_not_receiver",
                violation_error_message=_(
                    "The person who checked receipt (验收人) must be someone other than the buyer (经办人)."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="finance_expense_school_status"),
            models.Index(fields=["school", "category", "spent_on"], name="finance_expense_school_cat"),
            models.Index(fields=["school", "filed_by"], name="finance_expense_school_filer"),
        ]

    def __str__(self):
        return self.reference or str(_("expense"))

    def get_absolute_url(self):
        return reverse("finance:expense_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "own":  # filed or bought it
            return Q(filed_by=user) | Q(buyer=user)
        if scope == "involved":  # … or checked its receipt
            return Q(filed_by=user) | Q(buyer=user) | Q(receiver=user)
        return super().scope_q(scope, user)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.buyer_id and self.receiver_id and self.buyer_id == self.receiver_id:
            raise ValidationError(
                {
                    "receiver": _(
                        "The person who checked receipt (验收人) must be someone other than the buyer (经办人)."
                    )
                }
            )

    @step(
        status,
        source=E.DRAFTED,
        target=E.SUBMITTED,
        permission="submit",
        label=pgettext_lazy("expense step", "Submit for signatures"),
        description="Submits the expense for its two signatures; needs an invoice and, above the principal's "
        "limit, a collective decision with minutes.",
        service="finance.expenses.submit",
        event="expense.submitted",
        order=10,
        primary=True,
    )
    def submit(self):
        pass

    @step(
        status,
        source=[E.SUBMITTED, E.SIGNED],
        target={E.SUBMITTED: E.SIGNED, E.SIGNED: E.APPROVED},
        permission="approve",
        label=pgettext_lazy("expense step", "Sign"),
        description="Signs (approves) the expense. Two different people sign; never whoever filed or bought "
        "it; above the logistics head's limit (or beyond the budget) one of them is the principal.",
        form="finance.expense_forms.SignForm",
        serializer="finance.api.expense_serializers.SignSerializer",
        service="finance.expenses.sign",
        event="expense.signed",
        order=20,
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=[E.SUBMITTED, E.SIGNED],
        target=E.REJECTED,
        permission="approve",
        label=pgettext_lazy("expense step", "Reject"),
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.expenses.reject",
        event="expense.rejected",
        reason=True,
        danger=True,
        order=30,
    )
    def reject(self):
        pass

    @step(
        status,
        source=[E.DRAFTED, E.SUBMITTED, E.SIGNED],
        target=E.WITHDRAWN,
        permission="submit",
        label=pgettext_lazy("expense step", "Withdraw"),
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.expenses.withdraw",
        event="expense.withdrawn",
        reason=True,
        danger=True,
        order=40,
    )
    def withdraw(self):
        pass

    @step(
        status,
        source=E.APPROVED,
        target=E.PAID,
        permission="pay",
        label=pgettext_lazy("expense step", "Record payment"),
        description="Records that the approved expense was paid (date, method, voucher number).",
        form="finance.expense_forms.PayForm",
        serializer="finance.api.expense_serializers.PaySerializer",
        service="finance.expenses.pay",
        event="expense.paid",
        order=50,
        primary=True,
    )
    def pay(self):
        pass

    @step(
        status,
        source=E.PAID,
        target=E.REVERSED,
        permission="reverse",
        label=pgettext_lazy("expense step", "Reverse"),
        description="Reverses a wrongly paid expense with a reason (it stays on the books beside its reversal); "
        "refused to the person who recorded the payment.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.expenses.reverse",
        event="expense.reversed",
        reason=True,
        danger=True,
        order=60,
    )
    def reverse(self):
        pass


class ExpenseSignature(PrimaryModel):
    """One signature on an expense (审批签字): who, when, in which capacity, with an optional comment.
    One per person and expense (the database refuses a second), never by the filer or the buyer."""

    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("expense"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    role = models.CharField(_("signed as"), max_length=20, choices=SignerRole.choices)
    signed_at = models.DateTimeField(_("signed at"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("expense signature")
        verbose_name_plural = _("expense signatures")
        ordering = ["school", "expense", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "expense", "signer"],
                name="finance_expense_signature_unique",
                violation_error_message=_("This person has already signed this expense."),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.signer}"

    def get_absolute_url(self):
        return self.expense.get_absolute_url()


class Budget(PrimaryModel):
    """The budget of one category for one year (预算, calendar year = 预算年度). Actual (paid expenses) and
    committed (approved, not yet paid) are computed from the expenses, never stored. The amount is never
    edited in place: a revision (with its reason) is recorded and shown as the budget's history."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    category = models.CharField(_("budget category"), max_length=20, choices=ExpenseCategory.choices)
    amount = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["school", "-year", "category"]
        permissions = [("revise_budget", "Can revise a budget's amount (with a reason)")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "category"],
                name="finance_budget_unique_category",
                violation_error_message=_("This category already has a budget for this year: revise it instead."),
            )
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("finance:budget_detail", args=[self.pk])


class BudgetRevision(PrimaryModel):
    """A change of a budget's amount (预算调整): before, after, why, who and when."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("budget"))
    previous_amount = models.DecimalField(_("before (yuan)"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("after (yuan)"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")
        ordering = ["school", "budget", "-created", "-pk"]
        indexes = [models.Index(fields=["school", "budget"], name="finance_budgetrev_school")]

    def __str__(self):
        return f"{self.budget}: {self.previous_amount} → {self.amount}"

    def get_absolute_url(self):
        return self.budget.get_absolute_url()
