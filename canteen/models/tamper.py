"""Tamper evidence of the canteen's records (issue 9 § Tamper evidence): a record entered more than
``canteen.late_entry_hours`` after the event it describes is marked "late entry" (补录) — decided when it
is entered, with the Rule then in force, and kept —; a typo is corrected with a reason, the original
values staying on record (``Correction``). Nothing is hard-deleted."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.tenancy import rules
from logistics.tenancy.base import PrimaryModel

from ..settings_rules import LATE_ENTRY_HOURS

__all__ = ["Correction", "LateEntryMixin", "end_of_day", "is_late"]


def end_of_day(day):
    """The end of ``day`` (local time): the event time of a record that describes a whole day."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start, timezone.get_current_timezone())


def is_late(school, event_at, entered_at):
    """Entered more than ``canteen.late_entry_hours`` (12 h) after ``event_at``."""
    if event_at is None or entered_at is None:
        return False
    hours = float(rules.value(school, LATE_ENTRY_HOURS))
    return (entered_at - event_at).total_seconds() > hours * 3600


class LateEntryMixin(models.Model):
    """A record describing an event (a sample taken, a check, a disinfection, a reading, a delivery, an
    accompanied meal): ``late_entry`` is set when it is first saved, from its ``entry_event_at()``.
    ``bulk_create`` skips ``save()``: set it yourself with ``is_late``."""

    late_entry = models.BooleanField(
        _("late entry"),
        default=False,
        editable=False,
        help_text=_("Entered more than the Rule's hours after the event it describes (补录)."),
    )

    class Meta:
        abstract = True

    def entry_event_at(self):  # pragma: no cover - every subclass says
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if self._state.adding and self.school_id:
            self.late_entry = is_late(self.school, self.entry_event_at(), self.created or timezone.now())
        super().save(*args, **kwargs)

    @property
    def is_late_entry(self):
        return self.late_entry


class Correction(PrimaryModel):
    """A correction (更正) of a canteen record's typo: the fields changed with their original and new
    values, the reason, who and when. Append-only — a correction is never edited or deleted; the record
    shows its corrections, and the corrected values pass the same rules as a new entry
    (``canteen.corrections.correct``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(_("what changed"), default=list, editable=False)
    reason = models.CharField(_("reason for the correction"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-corrected_at", "-id"]
        indexes = [
            models.Index(fields=["school", "content_type", "object_id"], name="canteen_correction_record"),
            models.Index(fields=["school", "-corrected_at"], name="canteen_correction_school_at"),
        ]

    def __str__(self):
        return _("Correction of %(time)s") % {"time": timezone.localtime(self.corrected_at).strftime("%Y-%m-%d %H:%M")}

    def get_absolute_url(self):
        record = self.record
        return record.get_absolute_url() if record else ""

    @property
    def summary(self):
        """ "weight (g): 12 → 125; …" (labels, never field names)."""
        return "；".join(f"{c['label']}：{c['old']} → {c['new']}" for c in self.changes)
