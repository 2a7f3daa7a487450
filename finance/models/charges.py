"""Per-student money (收费明细): charges, payments, waivers and refunds — append-only records; the
balance of a charge is charged − waived − paid + refunded, always computed from them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.people.models import GuardianLink
from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import ApprovalStatus, PaymentMethod, PaymentStatus, WaiverKind

__all__ = ["Charge", "Payment", "Refund", "Waiver"]

CENT = Decimal("0.01")


def _children(user):
    return GuardianLink.objects.filter(guardian=user).values("student_id")


class StudentMoneyScope:
    """Row rules shared by the money records of a student: parents their children, class teachers
    their class (status only — the amounts paid are the finance officer's)."""

    student_path = "student"
    #: what each row rule reads besides the rows (``logistics.tenancy.versions``)
    scope_watch = {"children": ("people.guardianlink",), "own_class": ("people.student", "people.schoolclass")}

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "children":
            return Q(**{f"{cls.student_path}__in": _children(user)})
        if scope == "own_class":
            return Q(**{f"{cls.student_path}__school_class__head_teacher": user})
        return super().scope_q(scope, user)


class Charge(StudentMoneyScope, ReferenceMixin, PrimaryModel):
    """What one student is charged for one fee item (应收). Created only for an item on the published
    board (应公示而未公示的不得收费) at the amount published, and for a voluntary item only where the
    guardian agreed (家长签字手续方可收费). One charge per item: a service or on-behalf fee is never
    bundled into an administrative fee's charge (不得与学费捆绑收取). The amount is never edited;
    money moves only through payments, waivers and refunds."""

    reference_prefix = "FEE"

    fee_item = models.ForeignKey(
        "finance.FeeItem", on_delete=models.PROTECT, related_name="charges", verbose_name=_("fee item")
    )
    entry = models.ForeignKey(
        "finance.DisclosureEntry",
        on_delete=models.PROTECT,
        related_name="charges",
        verbose_name=_("as published"),
        editable=False,
    )
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="fee_charges", verbose_name=_("student")
    )
    amount = models.DecimalField(_("amount charged"), max_digits=10, decimal_places=2, editable=False)
    due_date = models.DateField(_("due"), null=True, blank=True)
    settlement = models.ForeignKey(
        "finance.Settlement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="shortfall_charges",
        verbose_name=_("shortfall of settlement"),
        help_text=_("Set on the extra charge a settlement makes under 多退少补."),
    )

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["school", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="finance_charge_unique_reference",
                violation_error_message=_("A charge with this reference number already exists in this school."),
            ),
            models.UniqueConstraint(
                fields=["school", "fee_item", "student"],
                condition=Q(settlement__isnull=True),
                name="finance_charge_unique_student",
                violation_error_message=_("This student is already charged for this fee item."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "student"], name="finance_charge_school_student"),
            models.Index(fields=["school", "fee_item"], name="finance_charge_school_item"),
            # the lists' order (newest reference first): a page is read from the index, not sorted
            models.Index(
                "school",
                models.F("reference_number").desc(),
                models.F("id").desc(),
                name="finance_charge_school_refnum",
            ),
        ]

    def __str__(self):
        return self.reference or str(_("charge"))

    def get_absolute_url(self):
        return reverse("finance:charge_detail", args=[self.pk])


class Payment(StudentMoneyScope, PrimaryModel):
    """A payment against a charge (缴费), recorded by the finance officer with its receipt number
    (票据号). Never edited or deleted: a wrong one is reversed by another person (管钱不管帐: the
    recorder cannot reverse their own), with a reason; the reversal stays beside it."""

    student_path = "charge__student"

    @classmethod
    def scope_q(cls, scope, user):
        # 管钱不管帐: the grant of "reverse" admits only payments someone else recorded, so the
        # recorder is neither offered the button nor allowed the step
        if scope == "others":
            return ~Q(created_by=user)
        return super().scope_q(scope, user)

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="payments", verbose_name=_("charge"))
    amount = models.DecimalField(
        _("amount paid"), max_digits=10, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    receipt_number = models.CharField(_("bill number"), max_length=40)
    paid_on = models.DateField(_("paid on"))
    status = FSMField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.RECORDED, editable=False
    )
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True, editable=False)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("reversed by"),
    )  # fmt: skip
    reversal_reason = models.CharField(_("reversed because"), max_length=300, blank=True, editable=False)
    transaction_id = models.CharField(
        _("transaction number"),
        max_length=64,
        blank=True,
        help_text=_("The bank's or payment platform's number of the transfer (交易流水号)."),
    )
    payment_import = models.ForeignKey(
        "finance.PaymentImport", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="payments", verbose_name=_("imported from"),
    )  # fmt: skip

    read_only_states = frozenset({PaymentStatus.RECORDED, PaymentStatus.REVERSED})

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["school", "-paid_on", "-pk"]
        permissions = [("reverse_payment", "Can reverse a payment recorded by someone else")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "receipt_number"],
                name="finance_payment_unique_receipt",
                violation_error_message=_("A payment with this receipt number already exists in this school."),
            ),
            models.UniqueConstraint(
                fields=["school", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="finance_payment_unique_transaction",
                violation_error_message=_("A payment with this transaction number already exists in this school."),
            ),
        ]
        indexes = [models.Index(fields=["school", "charge"], name="finance_payment_school_charge")]

    def __str__(self):
        return self.receipt_number

    def get_absolute_url(self):
        return self.charge.get_absolute_url()

    @step(
        status,
        source=PaymentStatus.RECORDED,
        target=PaymentStatus.REVERSED,
        permission="reverse",
        label=pgettext_lazy("payment step", "Reverse"),
        description="Reverses a wrong payment with a reason; refused to the person who recorded it.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.money.reverse_payment",
        event="payment.reversed",
        reason=True,
        danger=True,
    )
    def reverse(self):
        pass


class ApprovedRecord(StudentMoneyScope, PrimaryModel):
    """A waiver or a refund: asked for by one person, approved or rejected by another."""

    student_path = "charge__student"

    @classmethod
    def scope_q(cls, scope, user):
        # nobody decides on what they asked for themselves (the grant of "approve" is scoped)
        if scope == "others":
            return ~Q(created_by=user)
        return super().scope_q(scope, user)

    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(CENT)])
    reason = models.CharField(_("reason"), max_length=300)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("approved by"),
    )  # fmt: skip
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True, editable=False)

    read_only_states = frozenset({ApprovalStatus.REQUESTED, ApprovalStatus.APPROVED, ApprovalStatus.REJECTED})

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.charge.get_absolute_url()


class Waiver(ApprovedRecord):
    """A waiver (减免) of part or all of a charge: by the published waiver policy or individually, with
    its reason, approved by the principal or logistics head (not the person who asked)."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="waivers", verbose_name=_("charge"))
    kind = models.CharField(_("kind"), max_length=20, choices=WaiverKind.choices)
    status = FSMField(
        _("status"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.REQUESTED, editable=False
    )

    class Meta:
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        ordering = ["school", "-pk"]
        permissions = [("approve_waiver", "Can approve or reject a waiver")]
        indexes = [models.Index(fields=["school", "charge"], name="finance_waiver_school_charge")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @step(
        status,
        source=ApprovalStatus.REQUESTED,
        target=ApprovalStatus.APPROVED,
        permission="approve",
        label=pgettext_lazy("waiver step", "Approve"),
        description="Approves the waiver; refused to the person who asked for it.",
        service="finance.money.approve_record",
        event="waiver.approved",
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=ApprovalStatus.REQUESTED,
        target=ApprovalStatus.REJECTED,
        permission="approve",
        label=pgettext_lazy("waiver step", "Reject"),
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.money.reject_record",
        event="waiver.rejected",
        reason=True,
        danger=True,
    )
    def reject(self):
        pass


class Refund(ApprovedRecord):
    """A refund (退费) of money paid on a charge — at the settlement of an at-cost fee (多退少不补) or for
    a fee withdrawn —, approved by the principal or logistics head; never by someone who recorded a
    payment of the charge (管钱不管帐)."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("charge"))

    @classmethod
    def scope_q(cls, scope, user):
        # 管钱不管帐: neither the asker nor anyone who recorded a payment of the charge decides
        if scope == "uninvolved":
            recorded = Payment.objects.filter(charge=OuterRef("charge"), created_by=user)
            return ~Q(created_by=user) & ~Q(Exists(recorded))
        return super().scope_q(scope, user)

    method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.BANK
    )
    status = FSMField(
        _("status"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.REQUESTED, editable=False
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["school", "-pk"]
        permissions = [("approve_refund", "Can approve or reject a refund")]
        indexes = [models.Index(fields=["school", "charge"], name="finance_refund_school_charge")]

    def __str__(self):
        return f"{_('refund')} {self.amount}"

    @step(
        status,
        source=ApprovalStatus.REQUESTED,
        target=ApprovalStatus.APPROVED,
        permission="approve",
        label=pgettext_lazy("refund step", "Approve"),
        description="Approves the refund; refused to whoever asked for it or recorded a payment of the charge.",
        service="finance.money.approve_record",
        event="refund.approved",
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=ApprovalStatus.REQUESTED,
        target=ApprovalStatus.REJECTED,
        permission="approve",
        label=pgettext_lazy("refund step", "Reject"),
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="finance.money.reject_record",
        event="refund.rejected",
        reason=True,
        danger=True,
    )
    def reject(self):
        pass
