"""Canteen staff health (从业人员健康管理): health certificates (健康证) and the daily morning check (晨检).

Rules: a health certificate before work, renewed yearly (食品安全法 art. 45) — staff without a valid one
cannot be recorded on duty; any symptom (fever, diarrhoea, skin wound or infection, sore throat or cough,
other) or a temperature ≥ ``canteen.fever_celsius`` (37.3 °C) → off duty that day. Health data is personal
(个人信息保护法): only the canteen manager, the logistics head and the principal see individuals' records;
canteen staff see their own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from .tamper import LateEntryMixin, end_of_day

__all__ = ["HealthCertificate", "MorningCheck"]

SYMPTOMS = ("fever", "diarrhoea", "skin_wound", "sore_throat", "other_symptom")


class HealthCertificate(PrimaryModel):
    """A canteen worker's health certificate (健康证): number, issued, valid until; the scan attached."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("health certificate")
        verbose_name_plural = _("health certificates")
        ordering = ["school", "person", "-valid_until"]
        indexes = [
            models.Index(fields=["school", "person", "-valid_until"], name="canteen_cert_school_person"),
            models.Index(fields=["school", "valid_until"], name="canteen_cert_school_until"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"],
                name="canteen_cert_unique_number",
                violation_error_message=_("A health certificate with this number is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")),
                name="canteen_cert_valid_after_issue",
                violation_error_message=_("The certificate must be valid until a date after it was issued."),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.number}"

    def get_absolute_url(self):
        return reverse("canteen:healthcertificate_list")

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: a worker's own certificates."""
        if scope == "own":
            return Q(person=user)
        return super().scope_q(scope, user)

    def is_valid_on(self, day):
        return self.issued_on <= day <= self.valid_until


class MorningCheck(LateEntryMixin, PrimaryModel):
    """One worker's morning check (晨检) of one day: temperature and the yes/no questions; any yes (or a
    temperature ≥ ``canteen.fever_celsius``) — or no valid health certificate — means off duty today."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    temperature = models.DecimalField(_("body temperature (°C)"), max_digits=3, decimal_places=1)
    fever = models.BooleanField(_("fever"), default=False)
    diarrhoea = models.BooleanField(_("diarrhoea"), default=False)
    skin_wound = models.BooleanField(_("skin wound or infection"), default=False)
    sore_throat = models.BooleanField(_("sore throat or cough"), default=False)
    other_symptom = models.BooleanField(_("other symptom"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    on_duty = models.BooleanField(_("on duty"), editable=False, default=True)
    off_duty_reason = models.CharField(_("why off duty"), max_length=200, blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("morning check")
        verbose_name_plural = _("morning checks")
        ordering = ["-date", "person"]
        permissions = [("correct_morningcheck", "Can correct a morning check's typo, with a reason")]
        indexes = [
            models.Index(fields=["school", "-date", "person"], name="canteen_check_school_date"),
            models.Index(fields=["school", "person", "-date"], name="canteen_check_school_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "person", "date"],
                name="canteen_check_one_per_day",
                violation_error_message=_("This person's morning check of that day is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(temperature__gte=34, temperature__lte=43),
                name="canteen_check_temperature_range",
                violation_error_message=_("Enter a body temperature between 34 and 43 °C."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.person}"

    def get_absolute_url(self):
        return reverse("canteen:morningcheck_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: a worker's own checks."""
        if scope == "own":
            return Q(person=user)
        return super().scope_q(scope, user)

    def entry_event_at(self):
        """The day checked (a check entered the next day or later is a late entry)."""
        return end_of_day(self.date)

    @property
    def symptoms(self):
        return [self._meta.get_field(name).verbose_name for name in SYMPTOMS if getattr(self, name)]
