"""The services of the import record's steps (the guard has locked and checked the row)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.workflow.guard import StepResult

from .choices import ImportStatus as S

MAX_ERRORS = 500


def map_columns(record, actor, *, mapping, options=None):
    """Save the column mapping (``{field: column index}``); every required field must have a column."""
    importer = record.get_importer()
    known = {c.name for c in importer.columns}
    clean = {}
    for field, index in (mapping or {}).items():
        if field in known and isinstance(index, int) and 0 <= index < max(len(record.headers), 1):
            clean[field] = index
    missing = [str(importer.column(f).label) for f in importer.required if f not in clean]
    if missing:
        raise ValidationError(_("Map a column to: %(fields)s") % {"fields": "、".join(missing)})
    taken = {}
    for field, index in clean.items():
        if index in taken:
            raise ValidationError(
                _("The column “%(column)s” is mapped twice (%(a)s, %(b)s).")
                % {
                    "column": record.headers[index] or index + 1,
                    "a": importer.column(taken[index]).label,
                    "b": importer.column(field).label,
                }
            )
        taken[index] = field
    record.mapping = {**clean, **{f"_{k}": v for k, v in (options or {}).items()}}
    record.errors = []
    record.message = ""
    return StepResult(_("Columns mapped."))


def validate(record, actor, *, enqueue=True):
    """Start the check of every row; a task reads the file (the web process never holds a workbook)."""
    record.processed_rows = 0
    record.errors = []
    record.message = ""
    if enqueue:
        from logistics.notifications.services import enqueue as enqueue_task

        from .tasks import validate_import_task

        label, pk, user_id = record._meta.label_lower, record.pk, getattr(actor, "pk", None)
        transaction.on_commit(lambda: enqueue_task(validate_import_task, label, pk, user_id))


def checked(record, actor, *, total, errors, failure=None):
    """The check's result: validated, has errors, or failed (the file could not be read)."""
    record.processed_rows = 0
    if failure is not None:
        record._outcome = S.FAILED
        record.message = failure
        return StepResult(failure)
    record.total_rows = total
    record.errors = errors[:MAX_ERRORS]
    if errors:
        record._outcome = S.INVALID
        record.message = _("%(n)s errors in %(rows)s rows.") % {"n": len(errors), "rows": total}
    else:
        record._outcome = S.VALIDATED
        record.message = _("All %(rows)s rows are valid.") % {"rows": total}
    return StepResult(record.message, {"errors": len(errors), "rows": total})


def run(record, actor, *, enqueue=True):
    """Start the import of every row (all or none) in a task."""
    record.processed_rows = 0
    if enqueue:
        from logistics.notifications.services import enqueue as enqueue_task

        from .tasks import run_import_task

        label, pk, user_id = record._meta.label_lower, record.pk, getattr(actor, "pk", None)
        transaction.on_commit(lambda: enqueue_task(run_import_task, label, pk, user_id))


def finish(record, actor, *, created=0, rows=None, errors=None, failure=None):
    """The import's end: done (all rows), has errors (the file changed since the check: nothing
    imported) or failed (nothing imported)."""
    if failure is not None:
        record._outcome = S.FAILED
        record.message = failure
        return StepResult(failure)
    if errors:
        record._outcome = S.INVALID
        record.errors = errors[:MAX_ERRORS]
        record.message = _("Nothing was imported: %(n)s errors.") % {"n": len(errors)}
        return StepResult(record.message, {"errors": len(errors)})
    record._outcome = S.DONE
    record.processed_rows = rows if rows is not None else record.total_rows
    record.created_count = created
    record.finished_at = timezone.now()
    record.message = record.get_importer().done_message(created)
    return StepResult(record.message, {"created": created})
