"""Places and membership: District → School → Campus → Building → Room; Membership(user, role)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.accounts.roles import Role

from .base import ChangeLoggedModel, PrimaryModel
from .querysets import RestrictedManager

__all__ = [
    "COMPULSORY_STAGES",
    "Building",
    "Campus",
    "District",
    "Membership",
    "Room",
    "School",
    "SchoolStage",
    "Sequence",
]


class District(ChangeLoggedModel):
    """An education bureau's area (教育局 / 区县) overseeing several schools."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolStage(models.TextChoices):
    """A school's stage of education (学段). Compulsory education (义务教育) is primary and junior
    secondary school: no tuition or miscellaneous fees (义务教育法 art. 2)."""

    PRIMARY = "primary", pgettext_lazy("school stage", "Primary school")
    JUNIOR = "junior", pgettext_lazy("school stage", "Junior secondary school")
    NINE_YEAR = "nine_year", pgettext_lazy("school stage", "Nine-year school")
    SENIOR = "senior", pgettext_lazy("school stage", "Senior secondary school")
    KINDERGARTEN = "kindergarten", pgettext_lazy("school stage", "Kindergarten")


#: the stages of compulsory education (义务教育法 art. 2)
COMPULSORY_STAGES = frozenset({SchoolStage.PRIMARY, SchoolStage.JUNIOR, SchoolStage.NINE_YEAR})


class School(ChangeLoggedModel):
    """A school (学校): the tenant. Every domain record belongs to exactly one."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in public addresses: /p/<slug>/"))
    code = models.CharField(
        _("code"),
        max_length=12,
        help_text=_("Short prefix of this school's reference numbers and asset codes."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=SchoolStage.choices,
        default=SchoolStage.PRIMARY,
        help_text=_("Primary, junior secondary and nine-year schools give compulsory education (no tuition)."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    complaint_phone = models.CharField(
        _("complaint and supervision phone"),
        max_length=30,
        blank=True,
        help_text=_("Shown on public disclosures."),
    )
    webhook_url = models.URLField(
        _("notification webhook"),
        blank=True,
        help_text=_("Optional: notifications are also POSTed here as JSON."),
    )
    rule_overrides = models.JSONField(_("rule values of this school"), default=dict, blank=True, editable=False)

    objects = RestrictedManager()
    school_field = "pk"

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope, user):
        return Q(pk__in=[])

    @property
    def school_id(self):
        return self.pk


class Campus(PrimaryModel):
    """A campus (校区) of a school; small schools have one."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="campus_unique_name",
                violation_error_message=_("A campus with this name already exists in this school."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tenancy:campus_detail", args=[self.pk])


class Building(PrimaryModel):
    """A building (楼) on a campus."""

    campus = models.ForeignKey(
        Campus,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("campus"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "campus", "name"],
                name="building_unique_name",
                violation_error_message=_("A building with this name already exists on this campus."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.campus_id and self.school_id and self.campus.school_id != self.school_id:
            raise ValidationError({"campus": _("The campus belongs to another school.")})

    def get_absolute_url(self):
        return reverse("tenancy:building_detail", args=[self.pk])


class RoomKind(models.TextChoices):
    CLASSROOM = "classroom", pgettext_lazy("room kind", "Classroom")
    OFFICE = "office", pgettext_lazy("room kind", "Office")
    LAB = "lab", pgettext_lazy("room kind", "Laboratory")
    CANTEEN = "canteen", pgettext_lazy("room kind", "Canteen")
    KITCHEN = "kitchen", pgettext_lazy("room kind", "Kitchen")
    DORMITORY = "dormitory", pgettext_lazy("room kind", "Dormitory")
    GATE = "gate", pgettext_lazy("room kind", "Gatehouse")
    STORE = "store", pgettext_lazy("room kind", "Store room")
    HALL = "hall", pgettext_lazy("room kind", "Hall")
    PLANT = "plant", pgettext_lazy("room kind", "Plant room")
    OUTDOOR = "outdoor", pgettext_lazy("room kind", "Outdoor area")
    OTHER = "other", pgettext_lazy("room kind", "Other")


class Room(PrimaryModel):
    """A room or place (房间/场所): where assets stand and repairs happen; has a QR code."""

    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="rooms",
        verbose_name=_("building"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("room number"), max_length=20, blank=True)
    floor = models.SmallIntegerField(_("floor"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices, default=RoomKind.OTHER)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["school", "building__name", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "building", "name"],
                name="room_unique_name",
                violation_error_message=_("A room with this name already exists in this building."),
            )
        ]
        indexes = [models.Index(fields=["school", "kind"], name="room_school_kind")]

    def __str__(self):
        return f"{self.building.name} {self.name}" if self._state.fields_cache.get("building") else self.name

    def clean(self):
        if self.building_id and self.school_id and self.building.school_id != self.school_id:
            raise ValidationError({"building": _("The building belongs to another school.")})

    def get_absolute_url(self):
        return reverse("tenancy:room_detail", args=[self.pk])


class Membership(ChangeLoggedModel):
    """A role held by a user in one school, or (district officers) in a whole district."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("district"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    trades = models.CharField(
        _("trades"),
        max_length=200,
        blank=True,
        help_text=_("Repair workers: comma-separated trades they take."),
    )
    post = models.CharField(_("post"), max_length=50, blank=True, help_text=_("Guards: their post (岗位), e.g. 南门."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, district__isnull=True) | Q(school__isnull=True, district__isnull=False)
                ),
                name="membership_school_xor_district",
                violation_error_message=_("A role belongs to a school or to a district, not both."),
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                name="membership_unique_school_role",
                violation_error_message=_("This person already has this role in this school."),
            ),
        ]
        indexes = [models.Index(fields=["school", "role"], name="membership_school_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.school or self.district}"

    @property
    def trade_list(self):
        return [t.strip() for t in self.trades.split(",") if t.strip()]


class Sequence(models.Model):
    """The last number handed out per (school, key): REP-2026-000123 comes from here."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=50)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "key"],
                name="sequence_unique_key",
                violation_error_message=_("This counter already exists."),
            )
        ]

    def __str__(self):
        return f"{self.key}: {self.last}"

    @classmethod
    def next_value(cls, school, key):
        """Atomically take the next number; safe under concurrent requests (row lock)."""
        school_id = getattr(school, "pk", school)
        with transaction.atomic():
            row, _created = cls.objects.select_for_update().get_or_create(school_id=school_id, key=key)
            cls.objects.filter(pk=row.pk).update(last=F("last") + 1)
            row.refresh_from_db(fields=["last"])
            return row.last
