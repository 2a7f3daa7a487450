"""Safety inspections (安全检查): the register of equipment and check points, a checklist per kind, and
the inspections made from it.

Fire equipment is checked monthly (DOMAIN.md § Safety; GB 50444-2008 建筑灭火器配置验收及检查规范 § 5.2:
extinguishers at least monthly); 公安部令第61号《机关、团体、企业、事业单位消防安全管理规定》 art. 26
asks 机关、团体、事业单位 (schools) for a fire inspection (防火检查) at least quarterly and other units
monthly, art. 29 a file of each piece of fire equipment (kind, number, place, service, refill dates).
Dormitory checks and CCTV review (one seed reviews 5 monitoring points daily) are checklists of the same
kind. A failed item raises a hazard (``safety.hazards``), linked both ways.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from ..choices import EquipmentKind, InspectionResult

__all__ = ["Checklist", "Equipment", "Inspection", "InspectionItem"]


def new_code():
    return secrets.token_urlsafe(9)


class Equipment(PrimaryModel):
    """A piece of safety equipment or a check point (安全设施/检查点): a fire extinguisher (灭火器), a hydrant
    (消火栓), an emergency light (应急照明), an exit sign (安全出口/疏散指示), an electrical line, a fence, an
    AED — or a dormitory room checked at fixed times, a CCTV monitoring point reviewed daily.

    Where the piece is a fixed asset it links to the asset (and its label is the asset's label: no
    second label); otherwise it has its own QR label. ``interval_days`` overrides the rule of its kind."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices)
    number = models.CharField(
        _("number"), max_length=40, help_text=_("The number painted or stuck on it (编号), unique in the school.")
    )
    room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room")
    )
    spot = models.CharField(_("spot"), max_length=200, blank=True, help_text=_("Where, when it is not a room."))
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fixed asset"),
        help_text=_("When it is on the asset ledger: its asset label is used, no second label."),
    )
    key = models.BooleanField(_("key equipment"), default=False, help_text=_("Of a key area (重点部位)."))
    interval_days = models.PositiveSmallIntegerField(
        _("inspect every (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the rule of its kind (monthly for fire equipment, daily for dormitories and CCTV)."),
    )
    serviced_on = models.DateField(
        _("last serviced / refilled"), null=True, blank=True, help_text=_("Pressure check, refill, maintenance.")
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Refill or replacement due."))
    code = models.CharField(_("QR code"), max_length=20, default=new_code, editable=False)
    active = models.BooleanField(_("in use"), default=True)
    last_inspected_at = models.DateTimeField(_("last inspected"), null=True, blank=True, editable=False)
    last_result = models.CharField(
        _("last result"), max_length=10, choices=InspectionResult.choices, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("safety equipment")
        verbose_name_plural = _("safety equipment")
        ordering = ["kind", "number", "pk"]
        indexes = [
            models.Index(fields=["school", "kind", "number"], name="safety_equipment_kind"),
            models.Index(fields=["school", "last_inspected_at"], name="safety_equipment_inspected"),
            models.Index(fields=["school", "asset"], name="safety_equipment_asset"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"],
                name="safety_equipment_unique_number",
                violation_error_message=_("Equipment with this number already exists in this school."),
            ),
            models.UniqueConstraint(
                fields=["school", "code"],
                name="safety_equipment_unique_code",
                violation_error_message=_("Equipment with this QR code already exists in this school."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("safety:equipment_detail", args=[self.pk])

    @property
    def place(self):
        if self.room_id:
            return f"{self.room.building.name} {self.room.name}"
        return self.spot

    def next_due(self, interval):
        """The day the next inspection is due: the last one's day plus the interval (never inspected:
        due from the day it was registered)."""
        if self.last_inspected_at is None:
            return timezone.localdate(self.created) if self.created else timezone.localdate()
        return timezone.localdate(self.last_inspected_at) + datetime.timedelta(days=interval)


class Checklist(PrimaryModel):
    """A school's checklist of one kind of equipment (检查项目), one item per line — replaces the
    built-in list (``safety.checklists.DEFAULTS``) for that kind."""

    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices)
    items = models.TextField(_("items"), help_text=_("What to check, one item per line."))

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind"],
                name="safety_checklist_unique_kind",
                violation_error_message=_("This kind already has a checklist in this school."),
            )
        ]

    def __str__(self):
        return str(self.get_kind_display())

    def get_absolute_url(self):
        return reverse("safety:checklist_list")

    def item_list(self):
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class Inspection(PrimaryModel):
    """One inspection of a piece of equipment or a check point (检查记录): who, when, each item passed or
    failed with a note, a photo. A record of what was seen: never edited; each failed item raises one
    hazard. Sent from the phone with a client id, recorded once however often it is sent."""

    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("equipment")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    inspected_at = models.DateTimeField(_("inspected"), default=timezone.now)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    failed_items = models.PositiveSmallIntegerField(_("failed items"), default=0)
    note = models.TextField(_("note"), blank=True)
    client_id = models.UUIDField(_("client id"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("safety inspection")
        verbose_name_plural = _("safety inspections")
        ordering = ["-inspected_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-inspected_at", "-id"], name="safety_inspection_time"),
            models.Index(fields=["school", "equipment", "-inspected_at"], name="safety_inspection_equipment"),
            models.Index(fields=["school", "result", "-inspected_at"], name="safety_inspection_result"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "client_id"],
                name="safety_inspection_unique_client",
                condition=Q(client_id__isnull=False),
                violation_error_message=_("This inspection was already received."),
            )
        ]

    def __str__(self):
        return f"{self.equipment} {timezone.localtime(self.inspected_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("safety:inspection_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: the inspections the user made."""
        if scope == "own":
            return Q(inspector=user)
        return Q(pk__in=[])


class InspectionItem(PrimaryModel):
    """One checklist item of an inspection: the text as it was checked, passed or failed, a note, and the
    hazard a failed item raised (the hazard's source is this item: linked both ways)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="items", verbose_name=_("inspection")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("item"), max_length=200)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    hazard = models.ForeignKey(
        "corrective.CorrectiveAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hazard"),
    )

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["inspection", "position"]
        indexes = [models.Index(fields=["school", "inspection", "position"], name="safety_inspitem_inspection")]

    def __str__(self):
        return f"{self.inspection.equipment} · {self.text}"

    def get_absolute_url(self):
        return reverse("safety:inspection_detail", args=[self.inspection_id])
