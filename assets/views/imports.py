"""Ledger import pages on the platform's import pages (``logistics.imports.views``): upload → map columns
→ preview (every row checked) → import with progress."""

from logistics.imports import views as import_views
from logistics.ui.views import ObjectListView

from ..filtersets import AssetImportFilterSet
from ..forms import ImportUploadForm, MappingForm
from ..models import AssetImport
from ..tables import AssetImportTable


class AssetImportListView(ObjectListView):
    queryset = AssetImport.objects.all()
    filterset = AssetImportFilterSet
    table = AssetImportTable
    template_name = "assets/import_list.html"


class AssetImportUploadView(import_views.ImportUploadView):
    upload_form_class = ImportUploadForm


class AssetImportMappingView(import_views.ImportMappingView):
    mapping_form_class = MappingForm


VIEWS = {"add": AssetImportUploadView, "mapping": AssetImportMappingView}
