"""The low-value consumables book (低值易耗品): items under the capitalisation threshold, by quantity."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import IssueStatus, StockMovementKind

__all__ = ["Consumable", "ConsumableStock", "IssueRequest", "StockMovement"]


class Consumable(PrimaryModel):
    """A low-value consumable item (低值易耗品), tracked by quantity per store room.

    Items below the capitalisation threshold (事业单位财务规则 art. 41) are not asset cards; they are
    received into stock and issued against an approved request (审批、发放手续).
    """

    name = models.CharField(_("name"), max_length=200)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="个")
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=12, decimal_places=2, default=0)
    minimum_level = models.DecimalField(_("minimum stock level"), max_digits=12, decimal_places=2, default=0)
    total_quantity = models.DecimalField(
        _("quantity in stock"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name", "spec"],
                name="assets_consumable_unique_name",
                violation_error_message=_(
                    "A consumable with this name and specification already exists in this school."
                ),
            )
        ]
        indexes = [models.Index(fields=["school", "name"], name="assets_consumable_name")]
        permissions = [("receive_consumable", "Can receive consumables into stock")]

    def __str__(self):
        return f"{self.name} {self.spec}".strip()

    def get_absolute_url(self):
        return reverse("assets:consumable_detail", args=[self.pk])

    @property
    def is_low(self):
        return self.total_quantity <= self.minimum_level

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "catalogue":
            return Q()
        return super().scope_q(scope, user)


class ConsumableStock(PrimaryModel):
    """The quantity of one consumable held in one store room (库存)."""

    consumable = models.ForeignKey(
        Consumable, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("consumable")
    )
    store = models.ForeignKey("tenancy.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("store room"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("consumable stock")
        verbose_name_plural = _("consumable stocks")
        ordering = ["school", "consumable", "store"]
        constraints = [
            models.UniqueConstraint(
                fields=["consumable", "store"],
                name="assets_stock_unique_store",
                violation_error_message=_("This item already has a stock line in this store room."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="assets_stock_not_negative",
                violation_error_message=_("Stock cannot go below zero."),
            ),
        ]
        indexes = [models.Index(fields=["school", "consumable"], name="assets_stock_school_item")]

    def __str__(self):
        return f"{self.consumable_id}@{self.store_id}: {self.quantity}"

    def get_absolute_url(self):
        return reverse("assets:consumable_detail", args=[self.consumable_id])

    def clean(self):
        if self.store_id and self.school_id and self.store.school_id != self.school_id:
            raise ValidationError({"store": _("The store room belongs to another school.")})


class IssueRequest(ReferenceMixin, PrimaryModel):
    """A request by a member of staff to draw consumables (领用申请); logistics staff approve it,
    and only then does stock move (审批、发放手续)."""

    reference_prefix = "ISS"

    consumable = models.ForeignKey(
        Consumable, on_delete=models.PROTECT, related_name="issue_requests", verbose_name=_("consumable")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    status = FSMField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.REQUESTED)
    store = models.ForeignKey(
        "tenancy.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued from"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("issue request")
        verbose_name_plural = _("issue requests")
        ordering = ["school", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="assets_issue_unique_reference",
                violation_error_message=_("An issue request with this reference number already exists in this school."),
            )
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="assets_issue_status"),
            models.Index(fields=["school", "requester"], name="assets_issue_requester"),
        ]
        permissions = [("approve_issuerequest", "Can approve and issue consumables")]

    def __str__(self):
        return self.reference or str(self.pk)

    def get_absolute_url(self):
        return reverse("assets:issuerequest_detail", args=[self.pk])

    # --- steps (审批后发放: nothing moves before approval). Side effects in ``assets.steps.stock``. ---

    @step(
        status,
        source=[IssueStatus.REQUESTED],
        target=IssueStatus.ISSUED,
        permission="approve",
        label=pgettext_lazy("issue step", "Approve and issue"),
        description="Logistics staff approve the request and the stock moves (from `store`, or from the "
        "stores holding most). Short stock is refused with a readable message (400).",
        form="assets.forms.IssueDecisionForm",
        serializer="assets.api.serializers.IssueDecisionSerializer",
        service="assets.steps.stock.approve_issue",
        event="issue.issued",
        done_message=pgettext_lazy("issue step", "Approved and issued."),
        order=10,
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=[IssueStatus.REQUESTED],
        target=IssueStatus.REJECTED,
        permission="approve",
        label=pgettext_lazy("issue step", "Reject"),
        description="Refuse the request, with the reason (the requester sees it).",
        form="assets.forms.RequiredDecisionNoteForm",
        serializer="assets.api.serializers.AssetsRequiredNoteSerializer",
        service="assets.steps.stock.reject_issue",
        event="issue.rejected",
        done_message=pgettext_lazy("issue step", "Rejected."),
        danger=True,
        order=90,
    )
    def reject(self):
        pass

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "own":
            return Q(requester=user)
        return super().scope_q(scope, user)


class StockMovement(PrimaryModel):
    """One change of consumable stock (出入库记录): receipt, issue, use in a repair, adjustment.

    ``quantity`` is signed (receipts positive); ``source`` links what caused it (e.g. a repair ticket)
    without the assets app knowing that model.
    """

    consumable = models.ForeignKey(
        Consumable, on_delete=models.PROTECT, related_name="movements", verbose_name=_("consumable")
    )
    store = models.ForeignKey("tenancy.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("store room"))
    kind = models.CharField(_("kind"), max_length=20, choices=StockMovementKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(_("balance after"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    issue_request = models.ForeignKey(
        IssueRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["school", "consumable", "created"], name="assets_stockmove_item"),
            models.Index(fields=["school", "source_type", "source_id"], name="assets_stockmove_source"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity}"

    def get_absolute_url(self):
        return reverse("assets:consumable_detail", args=[self.consumable_id])
