"""The import record: an uploaded file, its column mapping, the check's result and the import's progress.

Each app has its own concrete subclass (its permissions, row scopes and URLs)::

    class AssetImport(ImportRecord):
        default_importer = "assets.ledger"

        class Meta(ImportRecord.Meta):
            verbose_name = _("asset import")
            indexes = [models.Index(fields=["school", "status"], name="assets_import_status")]

Its states are declared steps (docs/workflow.md): ``map_columns`` → ``validate`` (a task checks every
row, then ``checked``) → ``run`` (a task applies all rows or none, then ``finish``). The tasks' steps are
``system`` steps taken by the platform.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from .choices import ImportStatus as S

__all__ = ["ImportRecord"]

SERVICES = "logistics.imports.steps"


class ImportRecord(PrimaryModel):
    """An uploaded spreadsheet (导入记录) and what became of it."""

    #: the importer (registry code) used when the record names none
    default_importer = ""

    importer = models.CharField(_("kind of import"), max_length=60, blank=True, editable=False)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    headers = models.JSONField(_("columns in the file"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    audit_exclude = ("created", "updated", "updated_by", "processed_rows", "errors")

    class Meta:
        abstract = True
        ordering = ["school", "-created"]

    def __str__(self):
        return self.original_name or str(self.pk)

    @property
    def importer_code(self):
        return self.importer or self.default_importer

    def get_importer(self):
        from . import registry

        return registry.get(self.importer_code)

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @property
    def busy(self):
        return self.status in (S.VALIDATING, S.RUNNING)

    # --- steps -------------------------------------------------------------------------------------
    # ``_outcome`` is set by the service of a step whose target depends on the result.

    @step(
        "status",
        source=[S.UPLOADED, S.VALIDATED, S.INVALID, S.FAILED],
        target=S.UPLOADED,
        permission="change",
        label=pgettext_lazy("import step", "Map the columns"),
        service=f"{SERVICES}.map_columns",
        event="import.mapped",
        order=10,
        hidden=True,
        api=False,
    )
    def map_columns(self):
        pass

    @step(
        "status",
        source=[S.UPLOADED, S.VALIDATED, S.INVALID, S.FAILED, S.VALIDATING],
        target=S.VALIDATING,
        permission="change",
        label=pgettext_lazy("import step", "Check every row"),
        service=f"{SERVICES}.validate",
        event="import.checking",
        order=20,
        hidden=True,
        api=False,
    )
    def validate(self):
        pass

    @step(
        "status",
        source=[S.VALIDATING],
        target=RETURN_VALUE(S.VALIDATED, S.INVALID, S.FAILED),
        permission="change",
        label=pgettext_lazy("import step", "Checked"),
        service=f"{SERVICES}.checked",
        event="import.checked",
        system=True,
        order=30,
        hidden=True,
        api=False,
    )
    def checked(self):
        return self._outcome

    @step(
        "status",
        source=[S.VALIDATED],
        target=S.RUNNING,
        permission="change",
        label=pgettext_lazy("import step", "Import"),
        service=f"{SERVICES}.run",
        event="import.started",
        order=40,
        primary=True,
        hidden=True,
        api=False,
    )
    def run(self):
        pass

    @step(
        "status",
        source=[S.RUNNING],
        target=RETURN_VALUE(S.DONE, S.INVALID, S.FAILED),
        permission="change",
        label=pgettext_lazy("import step", "Finish"),
        service=f"{SERVICES}.finish",
        event="import.done",
        system=True,
        order=50,
        hidden=True,
        api=False,
    )
    def finish(self):
        return self._outcome
