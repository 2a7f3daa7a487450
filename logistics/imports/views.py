"""The import pages of every app: upload → map columns → preview (every row checked, in a task) →
import with progress. An app subclasses them with its record model (and importer) and mounts
:func:`import_urls`::

    urlpatterns += import_urls("assetimport", model=AssetImport, importer="assets.ledger")

URL names: ``<app>:<prefix>_list|_add|_detail|_mapping|_run|_progress|_template``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from logistics.accounts.permissions import has_perm
from logistics.ui.views import ObjectDetailView
from logistics.workflow import StepNotAllowed

from . import engine, registry
from .choices import BUSY
from .choices import ImportStatus as S
from .forms import MappingForm, UploadForm


class ImportViewMixin:
    """``model`` (the app's record model), ``importer`` (a registry code, or None: the URL's ``kind``)."""

    model = None
    importer = None
    url_prefix = None
    upload_form_class = UploadForm
    mapping_form_class = MappingForm

    def url(self, suffix, *args):
        app = self.model._meta.app_label
        prefix = self.url_prefix or self.model._meta.model_name
        return reverse(f"{app}:{prefix}_{suffix}", args=args)

    def url_base(self):
        return f"{self.model._meta.app_label}:{self.url_prefix or self.model._meta.model_name}"

    def get_importer(self, record=None):
        if record is not None:
            return record.get_importer()
        code = self.importer or self.kwargs.get("kind")
        spec = registry.importers(self.model)
        for importer in spec:
            if importer.code == code or importer.code.split(".")[-1] == code:
                return importer
        raise Http404

    def record(self, action="change"):
        return get_object_or_404(self.model.objects.restrict(self.request.user, action), pk=self.kwargs["pk"])


class ImportUploadView(ImportViewMixin, LoginRequiredMixin, View):
    template_name = "imports/upload.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        opts = self.model._meta
        if not request.school or not has_perm(request.user, f"{opts.app_label}.add_{opts.model_name}", request.school):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(self.upload_form_class(user=request.user, school=request.school))

    def post(self, request, *args, **kwargs):
        form = self.upload_form_class(request.POST, request.FILES, user=request.user, school=request.school)
        if form.is_valid():
            importer = self.get_importer()
            try:
                record = engine.open_import(
                    self.model,
                    school=request.school,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    importer=importer.code,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect(self.url("mapping", record.pk))
        return self.render(form, status=400)

    def render(self, form, status=200):
        importer = self.get_importer()
        context = {
            "form": form,
            "importer": importer,
            "title": _("Import: %(what)s") % {"what": importer.label},
            "template_url": self.template_url(importer),
            "url_base": self.url_base(),
        }
        return render(self.request, self.template_name, context, status=status)

    def template_url(self, importer):
        if self.importer:
            return self.url("template")
        return self.url("template", importer.code.split(".")[-1])


class ImportMappingView(ImportViewMixin, LoginRequiredMixin, View):
    template_name = "imports/mapping.html"

    def form(self, record, data=None):
        return self.mapping_form_class(
            data,
            importer=record.get_importer(),
            headers=record.headers,
            initial_mapping=record.mapping,
            user=self.request.user,
            school=record.school,
        )

    def get(self, request, *args, **kwargs):
        record = self.record()
        if record.status in (S.DONE, *BUSY):
            return redirect(record.get_absolute_url())
        return self.render(record, self.form(record))

    def post(self, request, *args, **kwargs):
        record = self.record()
        if record.status in (S.DONE, *BUSY):
            return redirect(record.get_absolute_url())
        form = self.form(record, request.POST)
        if form.is_valid():
            try:
                engine.set_mapping(record, request.user, form.mapping(), **form.options())
                # Reading and checking run in a Celery task (the page polls its progress): the web
                # process never holds a whole workbook.
                engine.start_validation(record, request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            except StepNotAllowed as exc:
                messages.error(request, str(exc))
                return redirect(record.get_absolute_url())
            else:
                return redirect(record.get_absolute_url())
        return self.render(record, form, status=400)

    def render(self, record, form, status=200):
        context = {
            "form": form,
            "object": record,
            "title": _("Map the columns of %(file)s") % {"file": record},
        }
        return render(self.request, self.template_name, context, status=status)


class ImportRunView(ImportViewMixin, LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        record = self.record()
        if record.status != S.VALIDATED:
            messages.error(request, _("Only a file without errors can be imported."))
            return redirect(record.get_absolute_url())
        engine.start_run(record, request.user)
        messages.info(request, _("The import has started."))
        return redirect(record.get_absolute_url())


class ImportProgressView(ImportViewMixin, LoginRequiredMixin, View):
    """The progress bar, polled by htmx every second while a task works on the record."""

    def get(self, request, *args, **kwargs):
        record = self.record("view")
        response = render(
            request,
            "imports/_progress.html",
            {"object": record, "running": record.busy, "url_base": self.url_base()},
        )
        if not record.busy:
            response["HX-Refresh"] = "true"
        return response


class ImportTemplateView(ImportViewMixin, LoginRequiredMixin, View):
    """An empty XLSX with the header labels schools use (Chinese) and an example row."""

    def get(self, request, *args, **kwargs):
        importer = self.get_importer()
        response = HttpResponse(
            engine.template_workbook(importer),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = importer.code.replace(".", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}-template.xlsx"'
        return response


class ImportDetailView(ImportViewMixin, ObjectDetailView):
    """The record: status and message, progress, errors by row and column, the preview of the first rows
    (labels, never codes), and the buttons the status allows."""

    template_name = "imports/detail.html"

    @property
    def queryset(self):
        return self.model.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        preview = None
        if obj.status in (S.VALIDATED, S.INVALID):
            try:
                preview = engine.preview(obj)
            except Exception:  # noqa: BLE001 — a file broken since the check shows its message instead
                preview = None
        can_change = self.model.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        context.update(
            {
                "preview": preview,
                "importer": obj.get_importer(),
                "running": obj.busy,
                "can_change": can_change,
                "url_base": self.url_base(),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


def import_urls(prefix, *, model, importer=None, list_view=None, views=None):
    """The import pages' URLs (``imports/…``) named ``<prefix>_…``; ``importer=None``: several kinds,
    chosen by the URL (``imports/add/<kind>/``, ``imports/template/<kind>/``)."""
    views = {
        "add": ImportUploadView,
        "detail": ImportDetailView,
        "mapping": ImportMappingView,
        "run": ImportRunView,
        "progress": ImportProgressView,
        "template": ImportTemplateView,
        **(views or {}),
    }

    def view(name):
        return views[name].as_view(model=model, importer=importer, url_prefix=prefix)

    kind = "" if importer else "<str:kind>/"
    patterns = [
        path(f"imports/add/{kind}", view("add"), name=f"{prefix}_add"),
        path(f"imports/template/{kind}", view("template"), name=f"{prefix}_template"),
        path("imports/<int:pk>/", view("detail"), name=f"{prefix}_detail"),
        path("imports/<int:pk>/mapping/", view("mapping"), name=f"{prefix}_mapping"),
        path("imports/<int:pk>/run/", view("run"), name=f"{prefix}_run"),
        path("imports/<int:pk>/progress/", view("progress"), name=f"{prefix}_progress"),
    ]
    if list_view is not None:
        patterns.insert(0, path("imports/", list_view.as_view(), name=f"{prefix}_list"))
    return patterns
