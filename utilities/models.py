"""Meters (水表、电表、燃气表), their monthly readings (抄表读数) and the corrections of a reading (更正记录).

A reading is never edited in place nor deleted: a correction is a declared step (``correct``) that keeps
the original figures and the reason in a :class:`ReadingCorrection` row, besides the change record.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.imports.models import ImportRecord
from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from .choices import UNITS, MeterKind, ReadingStatus

__all__ = ["Meter", "MeterReading", "MeterReadingImport", "ReadingCorrection", "month_start"]


def month_start(value):
    """The first day of ``value``'s month (a reading belongs to a month, stored as its first day)."""
    return datetime.date(value.year, value.month, 1)


class Meter(PrimaryModel):
    """A utility meter (水表 / 电表 / 燃气表) of a campus, optionally of one building.

    Its unit follows its kind (water and gas in m³, electricity in kWh), so that a school's use per kind
    adds up across meters. A meter that is no longer read is made inactive, never deleted while it has
    readings (they are protected).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=MeterKind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. main water meter, teaching building"))
    campus = models.ForeignKey("tenancy.Campus", on_delete=models.PROTECT, related_name="+", verbose_name=_("campus"))
    building = models.ForeignKey(
        "tenancy.Building",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("building"),
        help_text=_("Leave empty for a meter of the whole campus."),
    )
    number = models.CharField(
        _("meter number"), max_length=50, blank=True, help_text=_("The number on the meter or the bill.")
    )
    active = models.BooleanField(_("in use"), default=True, help_text=_("No: no longer read; its history stays."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["school", "campus", "kind", "name"]
        indexes = [models.Index(fields=["school", "active", "kind"], name="util_meter_school_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "campus", "name"],
                name="util_meter_unique_name",
                violation_error_message=_("A meter with this name already exists on this campus."),
            )
        ]
        permissions = [("view_utility_figures", "Can see the utility figures")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("utilities:meter_detail", args=[self.pk])

    @property
    def unit(self):
        return UNITS.get(self.kind, "")

    def clean(self):
        errors = {}
        if self.campus_id and self.school_id and self.campus.school_id != self.school_id:
            errors["campus"] = _("This belongs to another school.")
        if self.building_id:
            if self.school_id and self.building.school_id != self.school_id:
                errors["building"] = _("This belongs to another school.")
            elif self.campus_id and self.building.campus_id != self.campus_id:
                errors["building"] = _("This building is on another campus.")
        if errors:
            raise ValidationError(errors)


class MeterReading(PrimaryModel):
    """The reading of a meter for one month (月度抄表): the meter's value on the reading date, or — for a
    meter read from the bill — the month's use directly.

    Rules (``utilities.services.record_reading``): one reading per meter and month; a value lower than
    the previous month's is refused unless the meter was replaced or rolled over (换表 / 表盘归零), with the
    reason; the month's use is the difference to the previous value. ``usual`` and ``flagged`` are the
    anomaly check (rule ``utilities.anomaly_factor``, see docs/utilities.md).
    """

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("meter"))
    month = models.DateField(_("month"), help_text=_("The month the reading is for (its first day)."))
    read_on = models.DateField(_("reading date"))
    value = models.DecimalField(
        _("meter value"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("What the meter shows.")
    )
    consumption = models.DecimalField(
        pgettext_lazy("utility consumption", "use"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    replacement = models.BooleanField(
        _("meter replaced or rolled over"),
        default=False,
        help_text=_("Yes: the meter was replaced or its dial went back to zero, so the value may be lower."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    usual = models.DecimalField(
        _("usual use"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The median of the same month in past years and of the last 6 months."),
    )
    flagged = models.BooleanField(_("above the usual"), default=False, editable=False)
    status = FSMField(
        _("status"),
        max_length=20,
        choices=ReadingStatus.choices,
        default=ReadingStatus.RECORDED,
        editable=False,
    )

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["school", "-month", "meter"]
        indexes = [models.Index(fields=["school", "month", "flagged"], name="util_reading_school_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "meter", "month"],
                name="util_reading_one_per_month",
                violation_error_message=_("This meter already has a reading for this month."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(consumption__isnull=False),
                name="util_reading_value_or_use",
                violation_error_message=_("Enter the meter value or the month's use."),
            ),
            models.CheckConstraint(
                condition=Q(consumption__isnull=True) | Q(consumption__gte=0),
                name="util_reading_use_not_negative",
                violation_error_message=_("The use cannot be negative."),
            ),
        ]
        permissions = [("correct_meterreading", "Can correct meter readings")]

    def __str__(self):
        return f"{self.meter} · {self.month:%Y-%m}"

    def get_absolute_url(self):
        return reverse("utilities:meterreading_detail", args=[self.pk])

    @property
    def ratio(self):
        """The month's use over the usual (None when either is unknown or the usual is zero)."""
        if self.consumption is None or not self.usual:
            return None
        return self.consumption / self.usual

    @step(
        status,
        source=[ReadingStatus.RECORDED, ReadingStatus.CORRECTED],
        target=ReadingStatus.CORRECTED,
        permission="correct",
        label=pgettext_lazy("meter reading step", "Correct"),
        form="utilities.forms.CorrectReadingForm",
        serializer="utilities.api.serializers.CorrectReadingSerializer",
        service="utilities.services.correct_reading",
        event="reading.corrected",
        description="Correct the reading: the original figures and the reason are kept as a correction.",
        done_message=_("The reading was corrected; the original is kept."),
        primary=True,
    )
    def correct(self):
        pass


class ReadingCorrection(PrimaryModel):
    """A correction of a meter reading (读数更正): the figures before and after, the reason and who made it.
    Never edited or deleted."""

    reading = models.ForeignKey(
        MeterReading, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("meter reading")
    )
    old_value = models.DecimalField(_("meter value before"), max_digits=14, decimal_places=2, null=True)
    old_consumption = models.DecimalField(_("use before"), max_digits=14, decimal_places=2, null=True)
    new_value = models.DecimalField(_("meter value after"), max_digits=14, decimal_places=2, null=True)
    new_consumption = models.DecimalField(_("use after"), max_digits=14, decimal_places=2, null=True)
    reason = models.CharField(_("reason"), max_length=200)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )

    class Meta:
        verbose_name = _("reading correction")
        verbose_name_plural = _("reading corrections")
        ordering = ["school", "-created"]
        indexes = [models.Index(fields=["school", "reading"], name="util_correction_school_read")]

    def __str__(self):
        return f"{self.reading} · {self.reason}"

    def get_absolute_url(self):
        return self.reading.get_absolute_url()


class MeterReadingImport(ImportRecord):
    """An uploaded file of meter readings (抄表读数导入): its column mapping, the check of every row and the
    import's progress (the platform's import engine, ``utilities/imports.py``)."""

    default_importer = "utilities.readings"

    class Meta(ImportRecord.Meta):
        verbose_name = _("meter reading import")
        verbose_name_plural = _("meter reading imports")
        indexes = [models.Index(fields=["school", "status"], name="util_import_school_status")]

    def get_absolute_url(self):
        return reverse("utilities:meterreadingimport_detail", args=[self.pk])
