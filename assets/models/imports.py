"""Ledger imports from Excel/CSV (台账导入): mapping, preview, all-or-nothing import."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from ..choices import ImportStatus

__all__ = ["AssetImport"]


class AssetImport(PrimaryModel):
    """An uploaded ledger file, its column mapping, its validation result and import progress."""

    file = models.FileField(_("file"), upload_to="assets/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    headers = models.JSONField(_("columns in the file"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("cards created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    audit_exclude = ("created", "updated", "updated_by", "processed_rows", "errors")

    class Meta:
        verbose_name = _("asset import")
        verbose_name_plural = _("asset imports")
        ordering = ["school", "-created"]
        indexes = [models.Index(fields=["school", "status"], name="assets_import_status")]

    def __str__(self):
        return self.original_name or str(self.pk)

    def get_absolute_url(self):
        return reverse("assets:assetimport_detail", args=[self.pk])

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))
