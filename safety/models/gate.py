"""The gate register (门卫登记): visitors, vehicles, deliveries and scrap sales.

A visitor's ID number is stored but never shown whole (masked 110***********1234 on every page, API
answer and export); only the logistics head sees it whole, and each look is recorded (PIPL). Entries
older than the retention period are purged of personal data by the scan, keeping the counts."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.people import idnumbers
from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import GateGoodsKind, VisitStatus

V = VisitStatus

__all__ = ["GateGoods", "VehicleEntry", "Visitor"]


class Visitor(PrimaryModel):
    """A visitor at the gate (来访登记): who, from where, why, whom they visit, in and out."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[idnumbers.validate_id_number])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    reason = models.CharField(_("reason for the visit"), max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    status = FSMField(_("status"), max_length=20, choices=VisitStatus.choices, default=V.INSIDE, editable=False)
    in_lesson_time = models.BooleanField(_("during lessons"), default=False, editable=False)
    checked_in_at = models.DateTimeField(_("in"), default=timezone.now, editable=False)
    checked_out_at = models.DateTimeField(_("out"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    purged_at = models.DateTimeField(_("personal data removed"), null=True, blank=True, editable=False)

    #: no personal data in the change history (the purge must leave none behind)
    audit_exclude = ("created", "updated", "updated_by", "name", "id_number", "phone")

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-checked_in_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-checked_in_at", "-id"], name="safety_visitor_school_in"),
            models.Index(fields=["school", "status", "-checked_in_at"], name="safety_visitor_school_status"),
            models.Index(
                fields=["school", "checked_in_at"], name="safety_visitor_unpurged", condition=Q(purged_at__isnull=True)
            ),
        ]
        permissions = [
            ("reveal_visitor", "Can see a visitor's whole ID number (recorded)"),
            ("approve_visitor", "Can approve or refuse a visit during lessons"),
            ("checkout_visitor", "Can check visitors out"),
        ]

    def __str__(self):
        return f"{self.name or '—'} {timezone.localtime(self.checked_in_at):%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("safety:visitor_detail", args=[self.pk])

    @property
    def id_number_masked(self):
        return idnumbers.mask(self.id_number)

    @property
    def phone_masked(self):
        phone = self.phone or ""
        return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else ("*" * len(phone))

    def save(self, *args, **kwargs):
        self.id_number = idnumbers.normalise(self.id_number)
        super().save(*args, **kwargs)

    @step(
        status,
        source=[V.WAITING],
        target=V.INSIDE,
        permission="approve",
        label=pgettext_lazy("visit step", "Approve the visit"),
        description="The host approves a visit during lessons; the guard lets the visitor in.",
        service="safety.gate.approve",
        event="visitor.approved",
        order=10,
        primary=True,
    )
    def approve(self):
        pass

    @step(
        status,
        source=[V.WAITING],
        target=V.REFUSED,
        permission="approve",
        label=pgettext_lazy("visit step", "Refuse the visit"),
        description="The host refuses a visit during lessons, with a reason the guard sees.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="safety.gate.refuse",
        event="visitor.refused",
        reason=True,
        danger=True,
        order=20,
    )
    def refuse(self):
        pass

    @step(
        status,
        source=[V.INSIDE],
        target=V.LEFT,
        permission="checkout",
        label=pgettext_lazy("visit step", "Check out"),
        description="The visitor leaves: the time is recorded.",
        service="safety.gate.check_out",
        event="visitor.left",
        url_name="check-out",
        order=30,
        primary=True,
    )
    def check_out(self):
        pass

    @classmethod
    def scope_q(cls, scope, user):
        """``host``: the visits to the user."""
        if scope == "host":
            return Q(host=user)
        return Q(pk__in=[])


class VehicleEntry(PrimaryModel):
    """A vehicle at the gate (车辆登记): plate, driver, why, in and out."""

    plate = models.CharField(_("plate number"), max_length=12)
    driver = models.CharField(_("driver"), max_length=50, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    in_at = models.DateTimeField(_("in"), default=timezone.now, editable=False)
    out_at = models.DateTimeField(_("out"), null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("personal data removed"), null=True, blank=True, editable=False)

    audit_exclude = ("created", "updated", "updated_by", "plate", "driver")

    class Meta:
        verbose_name = _("vehicle entry")
        verbose_name_plural = _("vehicle entries")
        ordering = ["-in_at", "-id"]
        indexes = [models.Index(fields=["school", "-in_at", "-id"], name="safety_vehicle_school_in")]

    def __str__(self):
        return f"{self.plate} {timezone.localtime(self.in_at):%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("safety:vehicleentry_list")


class GateGoods(PrimaryModel):
    """Goods through the gate (进出物品): a delivery, or a scrap sale (废品外卖: what, weight, buyer)."""

    kind = models.CharField(_("kind"), max_length=10, choices=GateGoodsKind.choices, default=GateGoodsKind.DELIVERY)
    what = models.CharField(_("what"), max_length=200)
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    party = models.CharField(_("supplier or buyer"), max_length=100, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("goods at the gate")
        verbose_name_plural = _("goods at the gate")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["school", "-at", "-id"], name="safety_goods_school_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.what}"

    def get_absolute_url(self):
        return reverse("safety:gategoods_list")
