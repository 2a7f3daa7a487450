"""Bank and payment-platform files of payments (银行/缴费平台流水导入) on the platform's import engine."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.imports.models import ImportRecord

__all__ = ["PaymentImport", "StudentCostImport"]


class PaymentImport(ImportRecord):
    """An uploaded bank or payment-platform statement (XLSX/CSV) of fee payments: each row is matched to
    a student's open charge and recorded as a payment by the person who imported the file (管钱不管帐:
    the importer is the recorder) — every row or none (``finance/bank_import.py``)."""

    default_importer = "finance.payments"

    class Meta(ImportRecord.Meta):
        verbose_name = _("payment import")
        verbose_name_plural = _("payment imports")
        indexes = [models.Index(fields=["school", "status"], name="finance_payimport_status")]

    def get_absolute_url(self):
        return reverse("finance:paymentimport_detail", args=[self.pk])


class StudentCostImport(ImportRecord):
    """An uploaded XLSX/CSV of the actual cost of each charged student of one settlement (逐人实际费用):
    each row names a student charged for the settlement's fee and their cost — every row or none, saved
    through ``finance.costs.save_costs`` (each figure a recorded change) (``finance/cost_import.py``)."""

    default_importer = "finance.student_costs"

    settlement = models.ForeignKey(
        "finance.Settlement", on_delete=models.PROTECT, related_name="cost_imports", verbose_name=_("settlement")
    )

    class Meta(ImportRecord.Meta):
        verbose_name = _("import of actual costs")
        verbose_name_plural = _("imports of actual costs")
        indexes = [models.Index(fields=["school", "settlement"], name="finance_costimport_settl")]

    def get_absolute_url(self):
        return reverse("finance:studentcostimport_detail", args=[self.pk])
