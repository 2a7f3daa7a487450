"""Ledger imports from Excel/CSV (台账导入): the platform's import record (``logistics.imports``)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.imports.models import ImportRecord

__all__ = ["AssetImport"]


class AssetImport(ImportRecord):
    """An uploaded ledger file, its column mapping, its validation result and import progress."""

    default_importer = "assets.ledger"

    class Meta(ImportRecord.Meta):
        verbose_name = _("asset import")
        verbose_name_plural = _("asset imports")
        indexes = [models.Index(fields=["school", "status"], name="assets_import_status")]

    def get_absolute_url(self):
        return reverse("assets:assetimport_detail", args=[self.pk])
