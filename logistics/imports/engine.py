"""The import engine: open an upload, guess the mapping, check every row, preview, apply all or none.

Pages and API call :func:`open_import`, :func:`set_mapping`, :func:`start_validation` and
:func:`start_run` (the last two take a step and enqueue a task). The tasks call :func:`check_now` and
:func:`apply_now`; tests and management commands may call them directly (synchronously).
"""

import logging

from django.db import DatabaseError, connections, transaction
from django.utils.translation import gettext as _

from logistics.workflow import guard

from .choices import ImportStatus as S
from .columns import REQUIRED_MESSAGE, CellError, normalise
from .reading import Unreadable, cell_text, check_upload, read_table

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
UNIQUE_CHUNK = 5000


def unreadable_message(exc):
    if isinstance(exc, Unreadable):
        return str(exc)
    return _("The file could not be read: it is damaged or is not a real XLSX or CSV file.")


# --- opening and mapping -----------------------------------------------------------------------------


def guess_mapping(importer, headers):
    """{field: column index} from the header labels (Chinese or English, spaces and brackets ignored)."""
    mapping = {}
    normal = [normalise(h) for h in headers]
    for column in importer.columns:
        for synonym in (*column.headers, str(column.label), column.name):
            key = normalise(synonym)
            if key in normal and normal.index(key) not in mapping.values():
                mapping[column.name] = normal.index(key)
                break
    return mapping


def open_import(model, *, school, user, upload, importer=None):
    """Check an upload (``reading.check_upload``: refused with one message, nothing stored, when it
    cannot be read), store it and guess the mapping from its header row."""
    importer_code = importer or model.default_importer
    from . import registry

    spec = registry.get(importer_code)
    headers = check_upload(upload)
    record = model(
        school=school,
        importer=importer_code,
        file=upload,
        original_name=(getattr(upload, "name", "") or "")[:200],
        headers=headers,
        mapping=guess_mapping(spec, headers),
        created_by=user,
        updated_by=user,
    )
    record.save()
    return record


def set_mapping(record, user, mapping, **options):
    """Save the column mapping chosen by the user (``{field: column index}``) and the importer's options
    (stored as ``_<name>`` in the mapping). ``ValidationError`` names the unmapped required fields."""
    return guard.run(record, "map_columns", user, mapping=mapping, options=options)


def start_validation(record, user):
    """Check every row in a task (after commit); the record is "checking" until the task ends."""
    return guard.run(record, "validate", user)


def start_run(record, user):
    """Import every row or none in a task (after commit); only a record without errors."""
    return guard.run(record, "run", user)


# --- checking ------------------------------------------------------------------------------------------


class RowErrors:
    """The errors of one row, by field."""

    def __init__(self, number):
        self.number = number
        self.items = []

    def error(self, field, message):
        self.items.append({"row": self.number, "field": field, "message": str(message)})

    def has(self, field=None):
        return any(field is None or e["field"] == field for e in self.items)


def parse_row(importer, raw, mapping, lookups, number):
    """(values, RowErrors) of one row: each mapped column parsed; required cells present; then the
    importer's checks across columns."""
    values = {}
    row = RowErrors(number)
    for column in importer.columns:
        index = mapping.get(column.name)
        cell = raw[index] if isinstance(index, int) and index < len(raw) else None
        if cell_text(cell) == "":
            if column.required:
                row.error(column.name, REQUIRED_MESSAGE)
            elif column.blank is not None:
                values[column.name] = column.blank
            continue
        try:
            values[column.name] = column.parse(cell, lookups)
        except CellError as exc:
            row.error(column.name, str(exc))
    importer.clean_row(values, row, lookups)
    return values, row


class Progress:
    """Writes ``processed_rows`` on its own connection (visible while the import's transaction is open)."""

    def __init__(self, record):
        self.pk = record.pk
        self.table = record._meta.db_table
        self.connection = None

    def __call__(self, processed):
        try:
            if self.connection is None:
                self.connection = connections.create_connection("default")
            with self.connection.cursor() as cursor:
                table = self.connection.ops.quote_name(self.table)
                cursor.execute(f"UPDATE {table} SET processed_rows = %s WHERE id = %s", [processed, self.pk])  # noqa: S608
        except Exception:  # noqa: BLE001 — progress is a courtesy, never a failure
            log.debug("import progress not written", exc_info=True)

    def close(self):
        if self.connection is not None:
            self.connection.close()


def check_rows(record, progress=None):
    """Parse and check every row of the record's file: (parsed rows, errors). Errors carry the row
    number as in the file (header = row 1), the field, the column's header and the message."""
    importer = record.get_importer()
    handle = record.file.open("rb")
    try:
        headers, rows = read_table(handle)
    finally:
        record.file.close()
    mapping = dict(record.mapping)
    lookups = importer.lookups(record)
    parsed, errors = [], []
    seen = {field: {} for field in importer.unique_fields}
    for index, raw in enumerate(rows):
        number = index + 2
        if not any(cell_text(v) for v in raw):
            continue
        values, row = parse_row(importer, raw, mapping, lookups, number)
        for field, first in seen.items():
            value = values.get(field)
            if value in (None, ""):
                continue
            if value in first:
                row.error(field, importer.duplicate_message(field, value, first[value]))
            else:
                first[value] = number
        parsed.append((number, values))
        errors.extend(row.items)
        if progress and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1)
    for field, first in seen.items():
        values = list(first)
        for start in range(0, len(values), UNIQUE_CHUNK):
            for value in importer.existing(record, field, values[start : start + UNIQUE_CHUNK]):
                if value in first:
                    errors.append(
                        {"row": first[value], "field": field, "message": str(importer.existing_message(field, value))}
                    )
    errors.sort(key=lambda e: (e["row"], e["field"]))
    for error in errors:
        index = mapping.get(error["field"])
        column = headers[index] if isinstance(index, int) and index < len(headers) else ""
        if not column:
            try:
                column = str(importer.column(error["field"]).label)
            except KeyError:
                column = error["field"]
        error["column"] = column
    return parsed, errors


def check_now(record, user=None):
    """Check every row now (the task's work): the record ends validated, with errors, or failed."""
    actor = guard.system_actor()
    if record.status != S.VALIDATING:
        guard.run(record, "validate", user or actor, enqueue=False)
    progress = Progress(record)
    try:
        parsed, errors = check_rows(record, progress)
    except Exception as exc:  # noqa: BLE001 — an unreadable file fails the import, with a clear message
        if not isinstance(exc, Unreadable):
            log.warning("import %s could not be read", record.pk, exc_info=True)
        return guard.run(record, "checked", actor, total=0, errors=[], failure=unreadable_message(exc))
    finally:
        progress.close()
    return guard.run(record, "checked", actor, total=len(parsed), errors=errors)


def apply_now(record, user=None):
    """Import every row or none (the task's work): checked again, then applied in one transaction that
    also marks the record done — a task run twice imports nothing twice."""
    actor = guard.system_actor()
    if record.status == S.VALIDATED:
        guard.run(record, "run", user or actor, enqueue=False)
    if record.status != S.RUNNING:
        return record
    importer = record.get_importer()
    progress = Progress(record)
    try:
        try:
            parsed, errors = check_rows(record)
        except Exception as exc:  # noqa: BLE001 — the file changed or broke: fail, never stay "running"
            return guard.run(record, "finish", actor, failure=unreadable_message(exc))
        if errors:
            return guard.run(record, "finish", actor, errors=errors)
        try:
            with transaction.atomic():
                created = importer.apply(record, parsed, user, progress)
                guard.run(record, "finish", actor, created=created, rows=len(parsed))
        except DatabaseError as exc:
            log.warning("import %s failed", record.pk, exc_info=True)
            record.refresh_from_db()
            return guard.run(
                record,
                "finish",
                actor,
                failure=_("Nothing was imported: the database refused it (%(error)s).") % {"error": exc},
            )
    finally:
        progress.close()
    return record


# --- preview ---------------------------------------------------------------------------------------------


def preview(record, limit=20):
    """The first rows as the import will read them: {"columns": [label, …], "rows": [{"row", "cells":
    [{"text", "error"}, …], "errors": {field: message}}]}
    with the mapped columns' labels — labels of choices and names of people and rooms, never codes."""
    importer = record.get_importer()
    handle = record.file.open("rb")
    try:
        _headers, rows = read_table(handle, limit=limit)
    finally:
        record.file.close()
    lookups = importer.lookups(record)
    columns = [c for c in importer.columns if c.name in record.mapping]
    result = []
    for index, raw in enumerate(rows):
        if not any(cell_text(v) for v in raw):
            continue
        values, row = parse_row(importer, raw, record.mapping, lookups, index + 2)
        errors = {e["field"]: e["message"] for e in row.items}
        cells = []
        for column in columns:
            if column.name in errors:
                index_ = record.mapping.get(column.name)
                shown = cell_text(raw[index_]) if isinstance(index_, int) and index_ < len(raw) else ""
                cells.append({"text": shown, "error": errors[column.name]})
            else:
                cells.append({"text": column.display(values.get(column.name)), "error": ""})
        result.append({"row": index + 2, "cells": cells, "errors": errors})
    return {"columns": [str(c.label) for c in columns], "fields": [c.name for c in columns], "rows": result}


def template_workbook(importer):
    """An XLSX with the header labels schools use (Chinese) and an example row."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.template_header for c in importer.columns])
    for row in importer.template_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
