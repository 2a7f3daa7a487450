"""The report's steps: the head saves the plan or makes the report final; the principal marks it read.
The guard locks the row, checks the permission and the status and records the change; these do the rest."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.notifications.services import notify
from logistics.workflow.guard import StepResult

from .choices import ReportStatus


def _plan(report, plan):
    plan = (plan or "").strip()
    if not plan:
        raise ValidationError({"plan": _("Write next month's plan before making the report final.")})
    report.plan = plan


def save_plan(report, actor, plan=""):
    report.plan = (plan or "").strip()
    return StepResult(_("Plan saved."))


def finalize(report, actor, plan=""):
    from . import services

    if report.is_draft:
        raise ValidationError(
            _("The month is not over: generate the report again after the month ends, then make it final.")
        )
    _plan(report, plan)
    report.prepared_by = actor
    report.finalized_at = timezone.now()
    # the final document, with the plan, kept as its own version
    services.store_version(report, actor, status=ReportStatus.FINAL)
    notify(
        services.principals(report.school),
        _("The monthly report is final and waits for you to read it: %(title)s") % {"title": report.title},
        obj=report,
        key=f"report-final:{report.pk}",
    )
    return StepResult(_("Made final by %(name)s.") % {"name": actor})


def mark_read(report, actor):
    from . import services

    report.read_by = actor
    report.read_at = timezone.now()
    services.store_version(report, actor, status=ReportStatus.READ)  # the signed copy: "已阅" with who and when
    return StepResult(_("Read by %(name)s.") % {"name": actor})
