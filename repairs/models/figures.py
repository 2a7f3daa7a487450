"""Precomputed figures: one row per school and month (derived data, rebuilt from the tickets)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["MonthFigures"]


class MonthFigures(models.Model):
    """The repair figures of one school's month (月度维修统计), precomputed so that the figures page and
    ``/api/v1/repairs/stats/`` cost the same at ten thousand tickets as at a million.

    ``data`` holds the month's additive parts (counts, sums, per trade / status / building / room,
    parts used, every completion time for the exact median and p90); ``repairs.figures`` adds months
    together and equals the direct computation (``repairs.stats.compute``). Rows are derived data —
    no change records; ``changes_until``: changes recorded up to then are reflected.
    """

    school = models.ForeignKey("tenancy.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    month = models.DateField(_("month"))
    data = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))
    changes_until = models.DateTimeField(_("changes until"))

    class Meta:
        verbose_name = _("monthly repair figures")
        verbose_name_plural = _("monthly repair figures")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month"],
                name="repairs_monthfigures_school_month",
                violation_error_message=_("The figures of this month already exist."),
            )
        ]

    def __str__(self):
        return f"{self.school_id} {self.month:%Y-%m}"
