"""Stored reports (月报): rendered once, kept as PDF and XLSX files."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from .choices import ReportStatus

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
    status = FSMField(
        pgettext_lazy("report", "status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    #: carried over from the month: [{"area", "kind", "text", "due", "url"}] — listed automatically
    open_items = models.JSONField(_("open items"), default=list, blank=True, editable=False)
    plan = models.TextField(
        _("next month's plan"),
        blank=True,
        help_text=_("What will be done about the open items and next month's work; required to make it final."),
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    finalized_at = models.DateTimeField(_("made final at"), null=True, blank=True, editable=False)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("read by"),
        editable=False,
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)

    audit_exclude = ("created", "updated", "updated_by", "data", "open_items")

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
        indexes = [models.Index(fields=["school", "status", "-period"], name="report_school_status")]
        permissions = [
            ("finalize_report", "Can complete the plan and make a report final"),
            ("acknowledge_report", "Can mark a report read"),
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
        """What the list and the page say: 草稿（月份未结束） / 待完成计划 / 已定稿 / 校长已阅."""
        if self.status == ReportStatus.DRAFT:
            return _("Draft (month not over)") if self.is_draft else _("Draft: plan to complete")
        return self.get_status_display()

    @step(
        status,
        source=ReportStatus.DRAFT,
        target=None,
        permission="finalize",
        label=pgettext_lazy("report step", "Save the plan"),
        form="logistics.reports.forms.PlanForm",
        serializer="logistics.reports.api.PlanSerializer",
        service="logistics.reports.steps.save_plan",
        event="report.plan_saved",
        description="Saves next month's plan text; the report stays a draft.",
        done_message=_("The plan was saved; the report is still a draft."),
        order=20,
    )
    def save_plan(self):
        pass

    @step(
        status,
        source=ReportStatus.DRAFT,
        target=ReportStatus.FINAL,
        permission="finalize",
        label=pgettext_lazy("report step", "Make final"),
        form="logistics.reports.forms.PlanForm",
        serializer="logistics.reports.api.PlanSerializer",
        service="logistics.reports.steps.finalize",
        event="report.finalized",
        description="Completes next month's plan (required) and makes the report final: refused before the "
        "month is over. The final PDF and XLSX are kept as a new version.",
        done_message=_("The report is final; the principal can now read it."),
        order=10,
        primary=True,
    )
    def finalize(self):
        pass

    @step(
        status,
        source=ReportStatus.FINAL,
        target=ReportStatus.READ,
        permission="acknowledge",
        label=pgettext_lazy("report step", "Mark as read"),
        service="logistics.reports.steps.mark_read",
        event="report.read",
        description="The principal marks the final report read (who and when are recorded).",
        done_message=_("Recorded: you have read this report."),
        order=30,
        primary=True,
    )
    def mark_read(self):
        pass


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
