"""Ledger import pages: upload → map columns → preview (every row checked) → import with progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.accounts.permissions import has_perm
from logistics.audit.recorder import recorded_update
from logistics.notifications.services import enqueue
from logistics.ui.views import ObjectDetailView, ObjectListView

from .. import services, tasks
from ..choices import ImportStatus
from ..filtersets import AssetImportFilterSet
from ..forms import ImportUploadForm, MappingForm
from ..models import AssetImport
from ..services.imports import FIELD_LABELS
from ..tables import AssetImportTable


class AssetImportListView(ObjectListView):
    queryset = AssetImport.objects.all()
    filterset = AssetImportFilterSet
    table = AssetImportTable
    template_name = "assets/import_list.html"


class AssetImportDetailView(ObjectDetailView):
    queryset = AssetImport.objects.all()
    template_name = "assets/import_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        preview = []
        if obj.status in (ImportStatus.VALIDATED, ImportStatus.INVALID):
            try:
                preview = services.imports.preview_rows(obj)
            except Exception:  # noqa: BLE001 — a broken file shows its message instead
                preview = []
        context.update(
            {
                "preview": preview,
                "field_labels": FIELD_LABELS,
                "mapped_fields": [f for f in FIELD_LABELS if f in obj.mapping],
                "running": obj.status in (ImportStatus.VALIDATING, ImportStatus.RUNNING),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


@login_required
def import_upload(request):
    school = request.school
    if not school or not has_perm(request.user, "assets.add_assetimport", school):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user, school=school)
    if request.method == "POST" and form.is_valid():
        import_ = services.open_import(school=school, user=request.user, upload=form.cleaned_data["file"])
        if import_.status == ImportStatus.FAILED:
            messages.error(request, import_.message)
            return redirect(import_.get_absolute_url())
        return redirect("assets:assetimport_mapping", pk=import_.pk)
    return render(
        request,
        "assets/import_upload.html",
        {"form": form, "title": _("Import a ledger")},
        status=400 if request.method == "POST" else 200,
    )


def _import(request, pk, action="change"):
    return get_object_or_404(AssetImport.objects.restrict(request.user, action), pk=pk)


@login_required
def import_mapping(request, pk):
    import_ = _import(request, pk)
    if import_.status in (ImportStatus.DONE, ImportStatus.RUNNING):
        return redirect(import_.get_absolute_url())
    form = MappingForm(
        request.POST or None,
        headers=import_.headers,
        initial_mapping=import_.mapping,
        user=request.user,
        school=import_.school,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mapping(
                import_=import_,
                user=request.user,
                mapping=form.mapping(),
                bulk_below_threshold=form.cleaned_data["bulk_below_threshold"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Reading and checking run in a Celery task (the page polls its progress): the web
            # process never holds a whole workbook.
            recorded_update(AssetImport.objects.filter(pk=import_.pk), status=ImportStatus.VALIDATING, processed_rows=0)
            transaction.on_commit(lambda: enqueue(tasks.validate_import_task, import_.pk, request.user.pk))
            return redirect(import_.get_absolute_url())
    return render(
        request,
        "assets/import_mapping.html",
        {"form": form, "object": import_, "title": _("Map the columns of %(file)s") % {"file": import_}},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def import_run(request, pk):
    import_ = _import(request, pk)
    if import_.status != ImportStatus.VALIDATED:
        messages.error(request, _("Only a file without errors can be imported."))
        return redirect(import_.get_absolute_url())
    recorded_update(AssetImport.objects.filter(pk=import_.pk), status=ImportStatus.RUNNING, processed_rows=0)
    transaction.on_commit(lambda: enqueue(tasks.run_import_task, import_.pk, request.user.pk))
    messages.info(request, _("The import has started."))
    return redirect(import_.get_absolute_url())


@login_required
def import_progress(request, pk):
    """The progress bar, polled by htmx every second while the import runs."""
    import_ = _import(request, pk, "view")
    response = render(
        request,
        "assets/_import_progress.html",
        {"object": import_, "running": import_.status in (ImportStatus.VALIDATING, ImportStatus.RUNNING)},
    )
    if import_.status not in (ImportStatus.VALIDATING, ImportStatus.RUNNING):
        response["HX-Refresh"] = "true"
    return response


@login_required
def import_template(request):
    """An empty XLSX with the expected column headers (Chinese)."""
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook

    from ..services.imports import FIELDS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([synonyms[0] for _name, _label, _req, synonyms in FIELDS])
    sheet.append(
        [
            "",
            "学生课桌",
            "A05010200",
            "1.2m 单人",
            "",
            "1200",
            "2024-09-01",
            "财政拨款",
            "",
            "",
            "",
            "",
            "",
            "总务处",
            "在用",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="asset-import-template.xlsx"'
    return response
