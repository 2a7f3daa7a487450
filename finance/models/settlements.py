"""Term settlement of an at-cost fee (期末结算, 多退少不补): the actual cost against what was collected,
student by student; approved by the principal, it produces the refunds and the published spending list."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import CostSplit, SettlementStatus

S = SettlementStatus

__all__ = ["Settlement", "SettlementLine"]


class Settlement(PrimaryModel):
    """The settlement of one service or on-behalf fee at cost (textbooks bought, premium paid, meals
    served): the actual total is split equally among the students charged; each student's surplus is
    refunded. Rule ``finance.settlement_policy`` (发改价格〔2010〕1619号): by default 多退少不补 — never an
    extra charge when the cost exceeds what was collected; a school may set 多退少补, and then the
    shortfall is charged. The policy in force is kept on the settlement when it is computed."""

    fee_item = models.ForeignKey(
        "finance.FeeItem", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("fee item")
    )
    actual_total = models.DecimalField(
        _("actual cost (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    split = models.CharField(
        _("how the cost is divided"),
        max_length=20,
        choices=CostSplit.choices,
        default=CostSplit.EQUAL,
        help_text=_("Per student: enter each student's actual cost class by class; the total is their sum."),
    )
    spending_note = models.TextField(
        _("how the money was spent"), help_text=_("Published to parents: what was bought, from whom, how many.")
    )
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.DRAFTED, editable=False)
    collects_shortfall = models.BooleanField(_("shortfall charged (多退少补)"), default=False, editable=False)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("approved by"),
    )  # fmt: skip
    collected_total = models.DecimalField(
        _("collected (yuan)"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    refund_total = models.DecimalField(_("refunds (yuan)"), max_digits=12, decimal_places=2, default=0, editable=False)
    shortfall_total = models.DecimalField(
        _("shortfall (yuan)"), max_digits=12, decimal_places=2, default=0, editable=False
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["school", "-pk"]
        permissions = [
            ("compute_settlement", "Can compute a fee settlement"),
            ("approve_settlement", "Can approve a fee settlement (the principal)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "fee_item"],
                name="finance_settlement_unique_item",
                violation_error_message=_("This fee item already has a settlement."),
            )
        ]
        indexes = [models.Index(fields=["school", "status"], name="finance_settl_school_status")]

    @classmethod
    def scope_q(cls, scope, user):
        # 管钱不管帐: whoever recorded payments of the item does not approve its settlement
        if scope == "uninvolved":
            from .charges import Payment

            recorded = Payment.objects.filter(charge__fee_item=OuterRef("fee_item"), created_by=user)
            return ~Q(Exists(recorded))
        return super().scope_q(scope, user)

    def __str__(self):
        return str(_("Settlement of %(item)s") % {"item": self.fee_item.name}) if self.fee_item_id else ""

    def get_absolute_url(self):
        return reverse("finance:settlement_detail", args=[self.pk])

    @step(
        status,
        source=[S.DRAFTED, S.COMPUTED],
        target=S.COMPUTED,
        permission="compute",
        label=pgettext_lazy("settlement step", "Compute"),
        description="Splits the actual cost among the students charged and computes each refund (or shortfall).",
        service="finance.settlement.compute",
        event="settlement.computed",
        order=10,
        primary=True,
    )
    def compute(self):
        pass

    @step(
        status,
        source=S.COMPUTED,
        target=S.APPROVED,
        permission="approve",
        label=pgettext_lazy("settlement step", "Approve and publish"),
        description="The principal approves: the refunds are made and the spending list is published.",
        service="finance.settlement.approve",
        event="settlement.approved",
        confirm=pgettext_lazy("settlement step", "The refunds are made and the spending list is published."),
        order=20,
        primary=True,
    )
    def approve(self):
        pass


class SettlementLine(PrimaryModel):
    """One student in a settlement: collected (paid − refunded), cost share, how much of the charge the
    settlement waives (it was more than the cost), the refund of what was paid above the cost, and the
    shortfall charged (多退少补 only)."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("settlement")
    )
    charge = models.ForeignKey("finance.Charge", on_delete=models.PROTECT, related_name="+", verbose_name=_("charge"))
    collected = models.DecimalField(_("collected (yuan)"), max_digits=10, decimal_places=2)
    cost = models.DecimalField(_("cost share (yuan)"), max_digits=10, decimal_places=2)
    settled_down = models.DecimalField(_("charge reduced by (yuan)"), max_digits=10, decimal_places=2)
    refund = models.DecimalField(_("refund (yuan)"), max_digits=10, decimal_places=2)
    shortfall = models.DecimalField(_("shortfall (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["school", "settlement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "settlement", "charge"],
                name="finance_settlement_line_unique",
                violation_error_message=_("This charge is already in the settlement."),
            )
        ]

    @classmethod
    def scope_q(cls, scope, user):
        # parents: the settlement statements of their own children
        if scope == "children":
            from logistics.people.models import GuardianLink

            return Q(charge__student__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
        return super().scope_q(scope, user)

    def __str__(self):
        return f"{self.charge_id}: {self.refund}"

    def get_absolute_url(self):
        return self.settlement.get_absolute_url()
