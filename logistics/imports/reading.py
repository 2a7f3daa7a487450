"""Reading an uploaded spreadsheet: the limits of every upload, and a streaming read of its rows
(XLSX: the first sheet in openpyxl's read-only mode; CSV: UTF-8 or GB18030, as Excel in China saves it)."""

import csv
import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".xlsx", ".csv")


class Unreadable(ValueError):
    """The file cannot be read as a table; its message (translated) is shown to the user as it is."""


def damaged_message():
    return _(
        "The file is damaged or is not a real XLSX workbook. Open it in Excel or WPS, save it again as .xlsx and upload that."
    )


def cell_text(value):
    """A cell as the text a person sees: ``None`` → "", 12.0 → "12", dates as 2024-03-15."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return str(value).strip()


def is_blank(value):
    return cell_text(value) == ""


def iter_rows(handle):
    """Yield the rows of an open binary file one by one, refusing past ``MAX_ROWS`` data rows or
    ``MAX_COLUMNS`` columns while reading — a huge sheet costs neither memory nor time before it is
    refused. Raises :class:`Unreadable` with a message for the user."""
    head = handle.read(2)
    handle.seek(0)
    rows = _xlsx_rows(handle) if head == b"PK" else _csv_rows(handle.read())
    for index, row in enumerate(rows):
        if index > MAX_ROWS:
            raise Unreadable(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
        row = list(row)
        if len(row) > MAX_COLUMNS:
            while row and row[-1] in (None, ""):
                row.pop()
            if len(row) > MAX_COLUMNS:
                raise Unreadable(_("At most %(n)s columns per file.") % {"n": MAX_COLUMNS})
        yield row


def _xlsx_rows(handle):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # noqa: BLE001 — a damaged zip, not a workbook, no sheet: one message
        raise Unreadable(damaged_message()) from exc
    try:
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Unreadable:
                raise
            except Exception as exc:  # noqa: BLE001 — truncated or damaged sheet data
                raise Unreadable(damaged_message()) from exc
            yield row
    finally:
        workbook.close()


def _csv_rows(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unreadable(_("The file is neither XLSX nor a CSV in UTF-8 or GB18030."))
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error as exc:
        raise Unreadable(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def read_table(handle, limit=None):
    """(headers, rows) of an open file: row 1 is the header row; ``limit`` data rows at most; trailing
    empty rows dropped."""
    rows_iter = iter_rows(handle)
    headers = None
    rows = []
    try:
        for row in rows_iter:
            if headers is None:
                headers = [cell_text(h) for h in row]
                continue
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    finally:
        rows_iter.close()
    while rows and not any(cell_text(v) for v in rows[-1]):
        rows.pop()
    return headers or [], rows


def read_header(handle):
    """The header row only; reads nothing more of the file."""
    rows_iter = iter_rows(handle)
    try:
        for row in rows_iter:
            return [cell_text(h) for h in row]
        return []
    finally:
        rows_iter.close()


def check_upload(upload):
    """The limits of every upload, on the page and in the API — checked before anything is stored:
    .xlsx or .csv, at most 20 MB, a workbook that opens, a header row of at most ``MAX_COLUMNS``
    columns. Returns the header row; raises ``ValidationError`` with one message for the user."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ValidationError(_("Upload an .xlsx or .csv file."), code="type")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="size")
    upload.seek(0)
    if name.endswith(".xlsx") and upload.read(4)[:2] != b"PK":
        upload.seek(0)
        raise ValidationError(_("This file is not a real XLSX workbook."), code="type")
    upload.seek(0)
    try:
        headers = read_header(upload)
    except Unreadable as exc:
        raise ValidationError(str(exc), code="unreadable") from None
    except Exception:  # noqa: BLE001 — whatever the library says, the person gets one clear message
        raise ValidationError(damaged_message(), code="unreadable") from None
    finally:
        upload.seek(0)
    if not any(headers):
        raise ValidationError(_("The file is empty: its first row must hold the column headers."), code="empty")
    return headers
