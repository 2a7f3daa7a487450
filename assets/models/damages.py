"""Damage compensation (损坏赔偿): "谁使用谁管理, 人为损坏必须赔偿"."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step
from logistics.workflow.fields import FSMBooleanField

from ..choices import DamageStatus

__all__ = ["DamageRecord"]


class DamageRecord(ReferenceMixin, PrimaryModel):
    """A damage record (损坏赔偿记录): what was damaged, who is responsible, the amount, paid or not.

    Opened by logistics staff or by a repair ticket whose cause is human damage (``source`` is that
    ticket, linked generically so assets never imports repairs). Financial record: not deletable
    once paid. Parents see only records of their own child.
    """

    #: a paid record is a financial record: never changed or deleted (read-only everywhere)
    read_only_states = (True,)
    reference_prefix = "DMG"

    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="damages",
        verbose_name=_("asset"),
    )
    room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room")
    )
    responsible_class = models.ForeignKey(
        "people.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible class"),
    )
    responsible_student = models.ForeignKey(
        "people.Student",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible student"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid = FSMBooleanField(_("paid"), default=False)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=60, blank=True)
    receipt = models.FileField(_("receipt"), upload_to="assets/receipts/%Y/%m/", blank=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        verbose_name = _("damage record")
        verbose_name_plural = _("damage records")
        ordering = ["school", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="assets_damage_unique_reference",
                violation_error_message=_("A damage record with this reference number already exists in this school."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="assets_damage_amount_positive",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "paid"], name="assets_damage_paid"),
            models.Index(fields=["school", "source_type", "source_id"], name="assets_damage_source"),
            models.Index(fields=["school", "responsible_student"], name="assets_damage_student"),
        ]
        permissions = [("record_payment_damagerecord", "Can record a damage payment")]

    def __str__(self):
        return self.reference or str(self.pk)

    def get_absolute_url(self):
        return reverse("assets:damagerecord_detail", args=[self.pk])

    def get_paid_display(self):
        """The record's status in words (the payment is its status)."""
        return DamageStatus.PAID.label if self.paid else DamageStatus.UNPAID.label

    # --- steps (人为损坏必须赔偿). Side effects in ``assets.steps.damages``. ---

    @step(
        paid,
        source=[False],
        target=True,
        permission="record_payment",
        label=pgettext_lazy("damage step", "Record payment"),
        description="Record that the damage was paid (赔偿到账), with the receipt number; after this the "
        "record can be neither changed nor deleted.",
        form="assets.forms.PaymentForm",
        serializer="assets.api.serializers.AssetsPaymentSerializer",
        service="assets.steps.damages.pay",
        event="damage.paid",
        done_message=pgettext_lazy("damage step", "Payment recorded."),
        order=10,
        primary=True,
    )
    def pay(self):
        pass

    @property
    def responsible_display(self):
        parts = [str(p) for p in (self.responsible_student, self.responsible_class) if p]
        if self.responsible_person:
            parts.append(self.responsible_person)
        return " · ".join(parts)

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "children":
            from logistics.people.models import GuardianLink

            return Q(responsible_student_id__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
        if scope == "custody":
            return Q(responsible_class__head_teacher=user)
        return super().scope_q(scope, user)
