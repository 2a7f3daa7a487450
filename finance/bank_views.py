"""Pages of the bank/payment-platform import of payments: the list of uploaded files (the upload,
mapping, check, preview and import pages are the platform's, ``logistics.imports.views``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from logistics.imports.choices import IMPORT_COLOURS, ImportStatus
from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.tables import Column, Table
from logistics.ui.views import ObjectListView

from .models import PaymentImport


class PaymentImportFilterSet(BaseFilterSet):
    search_fields = ("original_name",)
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("status"))

    class Meta:
        model = PaymentImport
        fields = ["status"]


class PaymentImportTable(Table):
    columns = [
        Column("original_name", _("file name"), link=True),
        Column("created", _("uploaded")),
        Column("created_by", _("uploaded by"), orderable=False),
        Column("total_rows", _("rows")),
        Column("created_count", _("payments recorded")),
        Column("status", _("status"), badge=IMPORT_COLOURS),
    ]
    default_order = "-created"


class PaymentImportListView(ObjectListView):
    """Uploaded statements of payments; upload, map the columns, check every row, import all or none."""

    queryset = PaymentImport.objects.select_related("created_by")
    filterset = PaymentImportFilterSet
    table = PaymentImportTable
    template_name = "finance/paymentimport_list.html"
