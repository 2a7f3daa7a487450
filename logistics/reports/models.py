"""Stored reports (月报): rendered once, kept as PDF and XLSX files."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

__all__ = ["Report", "ReportVersion"]


def report_path(instance, filename):
    return f"reports/{instance.school_id}/{instance.period:%Y-%m}/{filename}"


class Report(PrimaryModel):
    """The monthly report of one school for one month, built from the registered sections."""

    period = models.DateField(_("month"), help_text=_("First day of the month reported on."))
    title = models.CharField(_("title"), max_length=200)
    data = models.JSONField(_("content"), default=list, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=report_path, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)

    audit_exclude = ("created", "updated", "updated_by", "data")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "period"],
                name="report_unique_month",
                violation_error_message=_("This month's report already exists."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_draft(self):
        """Generated before its month ended: the figures may still change."""
        from .services import is_final

        return not is_final(self)

    @property
    def state_label(self):
        return _("Draft (month not over)") if self.is_draft else _("Final")


def version_path(instance, filename):
    return f"reports/{instance.school_id}/{instance.report.period:%Y-%m}/versions/{filename}"


class ReportVersion(PrimaryModel):
    """Each generation of a report, kept with its time: regenerating never overwrites an earlier file."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions", verbose_name=_("report"))
    generated_at = models.DateTimeField(_("generated"))
    draft = models.BooleanField(_("draft"), default=False, help_text=_("Generated before the month ended."))
    pdf = models.FileField(_("PDF"), upload_to=version_path, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=version_path, blank=True)

    audit_exclude = ("created", "updated", "updated_by")

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-generated_at", "-pk"]
        indexes = [models.Index(fields=["school", "report", "-generated_at"], name="report_version_school")]

    def __str__(self):
        return f"{self.report} · {self.generated_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.report.get_absolute_url()
