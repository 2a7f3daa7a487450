"""Suppliers with their licences (供应商及证照) and deliveries inspected line by line (进货查验).

Rules: a supplier without a valid licence cannot deliver (食品安全法: 不得采购证照不全者的食品); products past
their expiry on arrival are refused; bulk staples (大宗食材) are accepted only after two or more different
inspectors checked them (``canteen.bulk_staple_inspectors``; 教育部 school canteen guidance 2024, 双人或多人联检);
delivery records are kept ≥ 6 months past the products' shelf life, 2 years where there is none
(食品安全法 art. 50, 53) — nothing deletes them before that.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import DeliveryStatus, Disposal, LicenceKind, LineDecision
from .tamper import LateEntryMixin, end_of_day

__all__ = ["Delivery", "DeliveryLine", "ProductCategory", "Supplier", "SupplierLicence"]


class Supplier(PrimaryModel):
    """A food supplier (供应商): who they are and what they supply (published to parents as food sources)."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    supplies = models.CharField(_("what they supply"), max_length=200, help_text=_("e.g. rice, flour, cooking oil"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["school", "name"]
        indexes = [models.Index(fields=["school", "name"], name="canteen_supplier_school_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="canteen_supplier_unique_name",
                violation_error_message=_("A supplier of this name already exists in this school."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("canteen:supplier_detail", args=[self.pk])

    def licence_problem(self, on_date):
        """Why the supplier may not deliver on ``on_date`` (text), or ``None``: it needs at least one
        licence, and none of its licences may have expired."""
        licences = list(self.licences.all())
        if not licences:
            return _("%(supplier)s has no licence on record.") % {"supplier": self.name}
        expired = [lic for lic in licences if lic.valid_until < on_date]
        if expired:
            lic = expired[0]
            return _("The licence %(kind)s No. %(number)s of %(supplier)s expired on %(date)s.") % {
                "kind": lic.get_kind_display(),
                "number": lic.number,
                "supplier": self.name,
                "date": lic.valid_until.strftime("%Y-%m-%d"),
            }
        return None


class SupplierLicence(PrimaryModel):
    """A supplier's licence (食品经营许可证 / 食品生产许可证 …): number, scope, valid until; the scan is an
    attachment. Expiring within ``canteen.licence_warning_days`` (30) it is reminded."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="licences", verbose_name=_("supplier")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LicenceKind.choices, default=LicenceKind.FOOD_BUSINESS)
    number = models.CharField(_("number"), max_length=60)
    scope = models.CharField(pgettext_lazy("licence", "scope"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("supplier licence")
        verbose_name_plural = _("supplier licences")
        ordering = ["supplier", "valid_until"]
        indexes = [models.Index(fields=["school", "valid_until"], name="canteen_licence_school_until")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "supplier", "kind", "number"],
                name="canteen_licence_unique_number",
                violation_error_message=_("This licence is already recorded for this supplier."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self):
        return self.supplier.get_absolute_url()

    def clean(self):
        if self.supplier_id and self.school_id and self.supplier.school_id != self.school_id:
            raise ValidationError({"supplier": _("This belongs to another school.")})


class ProductCategory(PrimaryModel):
    """A category of food products (食材类别); ``bulk_staple`` marks 大宗食材 (grain, oil, meat…), which
    need two different inspectors."""

    name = models.CharField(_("name"), max_length=50)
    bulk_staple = models.BooleanField(
        _("bulk staple"), default=False, help_text=_("大宗食材: inspected by two or more people (双人联检).")
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["school", "name"]
        indexes = [models.Index(fields=["school", "name"], name="canteen_category_school_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="canteen_category_unique_name",
                violation_error_message=_("A product category of this name already exists in this school."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("canteen:productcategory_list")


class Delivery(LateEntryMixin, ReferenceMixin, PrimaryModel):
    """A delivery (进货) from a supplier, inspected line by line; kept until ``retain_until``."""

    reference_prefix = "JH"

    delivered_on = models.DateField(_("delivery date"), default=timezone.localdate)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("supplier")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.INSPECTING, editable=False
    )
    retain_until = models.DateField(_("keep the record until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-id"]
        indexes = [
            models.Index(fields=["school", "-delivered_on", "-id"], name="canteen_delivery_school_date"),
            models.Index(fields=["school", "supplier", "-delivered_on"], name="canteen_delivery_school_supp"),
            models.Index(fields=["school", "status", "-delivered_on"], name="canteen_delivery_school_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="canteen_delivery_unique_reference",
                violation_error_message=_("A delivery with this reference number already exists in this school."),
            )
        ]
        permissions = [("inspect_delivery", "Can inspect deliveries (accept or reject lines)")]

    def __str__(self):
        return f"{self.reference} {self.supplier}" if self.reference else str(self.supplier)

    def get_absolute_url(self):
        return reverse("canteen:delivery_detail", args=[self.pk])

    def entry_event_at(self):
        """The delivery day (recorded the next day or later: a late entry)."""
        return end_of_day(self.delivered_on)

    def delete(self, *args, **kwargs):
        """Refused before ``retain_until`` (食品安全法 art. 50, 53): the record must stay readable."""
        if self.retain_until is None or timezone.localdate() <= self.retain_until:
            raise ValidationError(
                _("Delivery records are kept until %(date)s (食品安全法 art. 50, 53); this one cannot be deleted.")
                % {"date": self.retain_until.strftime("%Y-%m-%d") if self.retain_until else "—"}
            )
        return super().delete(*args, **kwargs)

    def _after_line(self):
        return (
            DeliveryStatus.INSPECTING
            if self.lines.filter(decision=LineDecision.PENDING).exists()
            else DeliveryStatus.CHECKED
        )

    @step(
        status,
        source=[DeliveryStatus.INSPECTING],
        target=RETURN_VALUE(DeliveryStatus.INSPECTING, DeliveryStatus.CHECKED),
        permission="inspect",
        label=pgettext_lazy("delivery step", "Accept a line"),
        description="Accept one line after inspection (`line`; `inspectors`: the other people who checked it — "
        "bulk staples need two different inspectors). Refused for a product past its expiry.",
        form="canteen.forms.AcceptLineForm",
        serializer="canteen.api.serializers.AcceptLineSerializer",
        service="canteen.supply.accept_line",
        event="delivery.line_accepted",
        order=10,
        primary=True,
    )
    def accept_line(self):
        return self._after_line()

    @step(
        status,
        source=[DeliveryStatus.INSPECTING],
        target=RETURN_VALUE(DeliveryStatus.INSPECTING, DeliveryStatus.CHECKED),
        permission="inspect",
        label=pgettext_lazy("delivery step", "Reject a line"),
        description="Reject one line with the reason and what became of the goods (returned or destroyed).",
        form="canteen.forms.RejectLineForm",
        serializer="canteen.api.serializers.RejectLineSerializer",
        service="canteen.supply.reject_line",
        event="delivery.line_rejected",
        danger=True,
        order=20,
    )
    def reject_line(self):
        return self._after_line()


class DeliveryLine(PrimaryModel):
    """One product of a delivery: what, how much, production date and batch, shelf life or expiry,
    price; then accepted or rejected (with the reason and the disposal) by whom."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="lines", verbose_name=_("delivery"))
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("product category")
    )
    product = models.CharField(_("product"), max_length=100)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    batch = models.CharField(_("batch"), max_length=50, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=LineDecision.choices, default=LineDecision.PENDING, editable=False
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)
    disposal = models.CharField(_("disposal"), max_length=20, choices=Disposal.choices, blank=True, editable=False)
    decided_at = models.DateTimeField(_("inspected at"), null=True, blank=True, editable=False)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("inspectors")
    )

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["delivery", "pk"]
        permissions = [("correct_deliveryline", "Can correct a delivery line's figures, with a reason")]
        indexes = [models.Index(fields=["school", "delivery"], name="canteen_line_school_delivery")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="canteen_line_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            )
        ]

    def __str__(self):
        return f"{self.product} {self.quantity.normalize():f}{self.unit}"

    def get_absolute_url(self):
        return self.delivery.get_absolute_url()

    @property
    def best_before(self):
        """The expiry date: as given, or production date + shelf life."""
        if self.expiry_date:
            return self.expiry_date
        if self.production_date and self.shelf_life_days:
            return self.production_date + datetime.timedelta(days=self.shelf_life_days)
        return None

    def retain_until(self, months, years):
        end = self.best_before
        if end is None:
            return self.delivery.delivered_on + relativedelta(years=years)
        return end + relativedelta(months=months)
