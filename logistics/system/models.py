"""The record of each periodic duty (定时任务): when it last succeeded, so missed runs are caught up."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DutyRun"]


class DutyRun(models.Model):
    """One row per periodic duty of ``CELERY_BEAT_SCHEDULE`` (reminder scan, monthly reports,
    housekeeping): its last success and last failure. Not school-scoped: the duties span schools."""

    code = models.CharField(_("duty"), max_length=60, unique=True)
    last_started = models.DateTimeField(_("last started"), null=True, blank=True)
    last_success = models.DateTimeField(_("last success"), null=True, blank=True)
    last_failure = models.DateTimeField(_("last failure"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("successful runs"), default=0)

    class Meta:
        verbose_name = _("periodic duty")
        verbose_name_plural = _("periodic duties")
        ordering = ["code"]

    def __str__(self):
        return self.code
