"""Reference numbers from a pattern (REP-2026-000123) with an integer for sorting (InvenTree's
``ReferenceIndexingMixin``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Sequence


class ReferenceMixin(models.Model):
    """Adds ``reference`` (readable, unique per school) and ``reference_number`` (sortable)."""

    #: e.g. "REP" → REP-2026-000123
    reference_prefix = "REF"

    reference = models.CharField(_("reference"), max_length=40, editable=False, blank=True)
    reference_number = models.PositiveBigIntegerField(_("reference number"), editable=False, default=0)

    class Meta:
        abstract = True

    def assign_reference(self):
        if self.reference:
            return
        year = timezone.localdate().year
        number = Sequence.next_value(self.school_id, f"{self.reference_prefix}-{year}")
        self.reference_number = year * 1_000_000 + number
        self.reference = f"{self.reference_prefix}-{year}-{number:06d}"

    def save(self, *args, **kwargs):
        self.assign_reference()
        super().save(*args, **kwargs)
