"""Ledger import from Excel/CSV (台账导入): column mapping, a preview that validates every row and
explains each error by row and column, and an all-or-nothing import.

Large files run in a Celery task; progress is written on a separate database connection so the
page can show it while the import's own transaction is still open.
"""

import csv
import datetime
import io
import logging
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.audit.recorder import record_bulk_create, record_event
from logistics.tenancy.models import Room

from .. import settings_rules
from ..categories import ensure_default_categories
from ..choices import AssetStatus, FundingSource, ImportStatus, MovementKind
from ..models import Asset, AssetImport, AssetMovement
from .ledger import next_codes

#: (field, label, required, header synonyms)
FIELDS = [
    ("code", gettext_lazy("Asset code"), False, ("资产编号", "资产编码", "编号", "卡片编号", "code", "asset code")),
    ("name", gettext_lazy("Name"), True, ("资产名称", "名称", "name")),
    ("category", gettext_lazy("Category (code or name)"), True, ("分类代码", "资产分类", "分类", "类别", "category")),
    ("model_spec", gettext_lazy("Model / specification"), False, ("规格型号", "型号", "规格", "model", "spec")),
    ("serial_number", gettext_lazy("Serial number"), False, ("序列号", "出厂编号", "serial", "serial number")),
    ("unit_price", gettext_lazy("Unit price"), True, ("单价", "原值", "价值", "金额", "price", "unit price")),
    ("purchase_date", gettext_lazy("Purchase date"), True, ("购置日期", "取得日期", "入账日期", "购买日期", "date")),
    ("funding_source", gettext_lazy("Funding source"), False, ("资金来源", "经费来源", "funding")),
    ("supplier", gettext_lazy("Supplier"), False, ("供应商", "销售商", "supplier")),
    ("invoice_number", gettext_lazy("Invoice number"), False, ("发票号", "发票号码", "invoice")),
    ("warranty_end", gettext_lazy("Warranty end"), False, ("保修截止", "保修期至", "warranty")),
    ("room", gettext_lazy("Room"), False, ("存放地点", "存放位置", "房间", "位置", "room", "location")),
    ("custodian", gettext_lazy("Custodian"), False, ("使用人", "保管人", "责任人", "custodian")),
    ("department", gettext_lazy("Managing department"), False, ("管理部门", "使用部门", "部门", "department")),
    ("status", gettext_lazy("Status"), False, ("状态", "使用状况", "status")),
    ("notes", gettext_lazy("Notes"), False, ("备注", "notes")),
]
FIELD_LABELS = {name: label for name, label, _req, _syn in FIELDS}
REQUIRED = [name for name, _label, required, _syn in FIELDS if required]
MAX_ROWS = 50_000
MAX_ERRORS = 500
PROGRESS_EVERY = 1000
log = logging.getLogger(__name__)


# --- reading ---------------------------------------------------------------------------------

MAX_COLUMNS = 200
MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".xlsx", ".csv")


class Unreadable(ValueError):
    """The file cannot be read as a ledger; its message is shown to the user (translated)."""


def check_upload(upload):
    """The limits of every upload, on the page and in the API: .xlsx or .csv, at most 20 MB, and an
    .xlsx must be a zip container. Raises ``django.core.exceptions.ValidationError``."""
    from django.core.exceptions import ValidationError

    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ValidationError(_("Upload an .xlsx or .csv file."), code="type")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="size")
    if name.endswith(".xlsx"):
        head = upload.read(4)
        upload.seek(0)
        if head[:2] != b"PK":
            raise ValidationError(_("This file is not a real XLSX workbook."), code="type")


def iter_file_rows(import_):
    """Yield the rows of the uploaded file one by one (XLSX first sheet in openpyxl's read-only,
    streaming mode; CSV in UTF-8 or GB18030), refusing past ``MAX_ROWS`` data rows or ``MAX_COLUMNS``
    columns while reading — a huge sheet costs neither memory nor time before it is refused."""
    handle = import_.file.open("rb")
    try:
        head = handle.read(2)
        handle.seek(0)
        if head == b"PK":
            rows = _xlsx_rows(handle)
        else:
            rows = _csv_rows(handle.read())
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
    finally:
        import_.file.close()


def _xlsx_rows(handle):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — a damaged zip, not a workbook, ...
        raise Unreadable(_("The file is damaged or is not a real XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
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
    yield from csv.reader(io.StringIO(text))


def read_headers(import_):
    """The header row only (row 1); reads nothing more of the file."""
    rows = iter_file_rows(import_)
    for row in rows:
        rows.close()
        return [_cell(h) for h in row]
    return []


def read_rows(import_, limit=None):
    """(headers, rows) of the uploaded file; ``limit`` rows at most (the preview)."""
    rows_iter = iter_file_rows(import_)
    headers = None
    rows = []
    for row in rows_iter:
        if headers is None:
            headers = [_cell(h) for h in row]
            continue
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            rows_iter.close()
            break
    while rows and not any(_cell(v) for v in rows[-1]):
        rows.pop()
    return headers or [], rows


def unreadable_message(exc):
    if isinstance(exc, Unreadable):
        return str(exc)
    return _("The file could not be read: it is damaged or is not a real XLSX or CSV file.")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def guess_mapping(headers):
    """{field: column index} by header names (Chinese or English)."""
    mapping = {}
    normal = [h.strip().lower().replace(" ", "") for h in headers]
    for name, _label, _required, synonyms in FIELDS:
        for synonym in synonyms:
            key = synonym.lower().replace(" ", "")
            if key in normal and normal.index(key) not in mapping.values():
                mapping[name] = normal.index(key)
                break
    return mapping


def open_import(*, school, user, upload):
    """Store an uploaded ledger file, read its header row only and guess its column mapping (the
    rows are read and checked by the validation task)."""
    import_ = AssetImport(school=school, file=upload, original_name=getattr(upload, "name", "")[:200], created_by=user)
    import_.save()
    try:
        headers = read_headers(import_)
    except Exception as exc:  # noqa: BLE001 — any unreadable file is the user's error, shown to them
        import_.status = ImportStatus.FAILED
        import_.message = unreadable_message(exc)
        import_.save()
        return import_
    if not headers:
        import_.status = ImportStatus.FAILED
        import_.message = _("The file is empty.")
        import_.save()
        return import_
    import_.headers = headers
    import_.mapping = {k: v for k, v in guess_mapping(headers).items()}
    import_.save()
    return import_


def set_mapping(*, import_, user, mapping, bulk_below_threshold=False):
    """Save the column mapping chosen by the user (``{field: column index}``)."""
    missing = [str(FIELD_LABELS[f]) for f in REQUIRED if f not in mapping]
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Map a column to: %(fields)s") % {"fields": ", ".join(missing)})
    import_.mapping = {**mapping, "_bulk": bool(bulk_below_threshold)}
    import_.status = ImportStatus.UPLOADED
    import_.errors = []
    import_.save()
    return import_


# --- parsing and validation ---------------------------------------------------------------------

DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell(value).split(" ")[0]
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def parse_money(value):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = _cell(value).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _norm(text):
    return re.sub(r"[\s\-—_/]+", "", str(text)).lower()


class Lookups:
    """Everything rows are matched against, loaded once per file (a handful of queries)."""

    def __init__(self, school):
        self.school = school
        categories = ensure_default_categories(school)
        self.categories = {}
        for category in categories.values():
            self.categories[_norm(category.code)] = category
            self.categories.setdefault(_norm(category.name), category)
        self.rooms = {}
        for room in Room.objects.filter(school=school).select_related("building"):
            for key in {room.name, room.code, f"{room.building.name}{room.name}", f"{room.building.name}{room.code}"}:
                if not key:
                    continue
                key = _norm(key)
                self.rooms[key] = None if key in self.rooms and self.rooms[key] != room else room
        self.users = {}
        for user in get_user_model().objects.filter(memberships__school=school, memberships__active=True).distinct():
            for key in {user.username, getattr(user, "display_name", "")}:
                if key:
                    key = _norm(key)
                    self.users[key] = None if key in self.users and self.users[key] != user else user
        self.funding = {_norm(label): value for value, label in FundingSource.choices}
        self.funding.update({_norm(value): value for value, _label in FundingSource.choices})
        self.status = {_norm(label): value for value, label in AssetStatus.choices}
        self.status.update({_norm(value): value for value, _label in AssetStatus.choices})
        self.status.update({"在用": AssetStatus.IN_USE, "闲置": AssetStatus.IDLE, "维修": AssetStatus.UNDER_REPAIR})
        self.threshold = settings_rules.threshold(school)


def parse_row(raw, mapping, lookups, row_number):
    """(values, errors) for one row; errors are (row, column header, message)."""
    values, errors = {}, []

    def get(field):
        index = mapping.get(field)
        if index is None or index >= len(raw):
            return ""
        return raw[index]

    def error(field, message):
        errors.append({"row": row_number, "field": field, "message": str(message)})

    for field in REQUIRED:
        if not _cell(get(field)) and not isinstance(get(field), (datetime.date, int, float, Decimal)):
            error(field, _("is required"))
    values["code"] = _cell(get("code"))[:40]
    values["name"] = _cell(get("name"))[:200]
    category_text = _cell(get("category"))
    if category_text:
        category = lookups.categories.get(_norm(category_text))
        if category is None:
            category = lookups.categories.get(_norm(category_text.split(" ")[0]))
        if category is None:
            error("category", _("unknown category “%(value)s”") % {"value": category_text})
        values["category"] = category
    price_raw = get("unit_price")
    if _cell(price_raw):
        price = parse_money(price_raw)
        if price is None or price < 0:
            error("unit_price", _("“%(value)s” is not an amount") % {"value": _cell(price_raw)})
        elif price < lookups.threshold and not mapping.get("_bulk"):
            error(
                "unit_price",
                _("%(price)s is below the capitalisation threshold (%(limit)s yuan)")
                % {"price": price, "limit": lookups.threshold},
            )
        values["unit_price"] = price
    for field in ("purchase_date", "warranty_end"):
        raw_date = get(field)
        if _cell(raw_date) or isinstance(raw_date, datetime.date):
            parsed = parse_date(raw_date)
            if parsed is None:
                error(field, _("“%(value)s” is not a date (use 2024-03-15)") % {"value": _cell(raw_date)})
            elif field == "purchase_date" and parsed > timezone.localdate():
                error(field, _("the date is in the future"))
            values[field] = parsed
    room_text = _cell(get("room"))
    if room_text:
        room = lookups.rooms.get(_norm(room_text), False)
        if room is False:
            error("room", _("unknown room “%(value)s”") % {"value": room_text})
        elif room is None:
            error("room", _("“%(value)s” matches several rooms; add the building") % {"value": room_text})
        else:
            values["room"] = room
    person = _cell(get("custodian"))
    if person:
        user = lookups.users.get(_norm(person), False)
        if user is False:
            error("custodian", _("“%(value)s” is not a member of this school") % {"value": person})
        elif user is None:
            error("custodian", _("“%(value)s” matches several people") % {"value": person})
        else:
            values["custodian"] = user
    funding = _cell(get("funding_source"))
    if funding:
        values["funding_source"] = lookups.funding.get(_norm(funding), FundingSource.OTHER)
    status = _cell(get("status"))
    if status:
        value = lookups.status.get(_norm(status))
        if value is None or value == AssetStatus.DISPOSED:
            error("status", _("unknown status “%(value)s”") % {"value": status})
        values["status"] = value
    for field, limit in (("model_spec", 200), ("serial_number", 100), ("supplier", 200), ("invoice_number", 100)):
        values[field] = _cell(get(field))[:limit]
    values["department"] = _cell(get("department"))[:100]
    values["notes"] = _cell(get("notes"))
    return values, errors


class Progress:
    """Writes progress on its own connection (visible while the import's transaction is open)."""

    def __init__(self, import_):
        self.pk = import_.pk
        self.connection = None

    def __call__(self, processed, status=None):
        try:
            if self.connection is None:
                self.connection = connections.create_connection("default")
            with self.connection.cursor() as cursor:
                if status:
                    cursor.execute(
                        "UPDATE assets_assetimport SET processed_rows = %s, status = %s WHERE id = %s",
                        [processed, status, self.pk],
                    )
                else:
                    cursor.execute(
                        "UPDATE assets_assetimport SET processed_rows = %s WHERE id = %s", [processed, self.pk]
                    )
        except Exception:  # noqa: BLE001 — progress is a courtesy, never a failure
            log.debug("import progress not written", exc_info=True)

    def close(self):
        if self.connection is not None:
            self.connection.close()


def validate_rows(import_, progress=None):
    """Parse and check every row: (parsed rows, errors). Duplicate codes in the file or the ledger fail."""
    headers, rows = read_rows(import_)
    mapping = {k: v for k, v in import_.mapping.items()}
    lookups = Lookups(import_.school)
    parsed, errors = [], []
    seen_codes = {}
    for index, raw in enumerate(rows):
        row_number = index + 2  # header is row 1
        if not any(_cell(v) for v in raw):
            continue
        values, row_errors = parse_row(raw, mapping, lookups, row_number)
        code = values.get("code")
        if code:
            if code in seen_codes:
                row_errors.append(
                    {
                        "row": row_number,
                        "field": "code",
                        "message": _("duplicate code “%(code)s” (also in row %(other)s)")
                        % {"code": code, "other": seen_codes[code]},
                    }
                )
            else:
                seen_codes[code] = row_number
        parsed.append((row_number, values))
        errors.extend(row_errors)
        if progress and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1)
    codes = list(seen_codes)
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        for code in Asset.objects.filter(school=import_.school, code__in=chunk).values_list("code", flat=True):
            errors.append(
                {
                    "row": seen_codes[code],
                    "field": "code",
                    "message": _("code “%(code)s” is already on the ledger") % {"code": code},
                }
            )
    errors.sort(key=lambda e: (e["row"], e["field"]))
    for error in errors:
        index = mapping.get(error["field"])
        column = headers[index] if isinstance(index, int) and index < len(headers) else ""
        error["column"] = column or str(FIELD_LABELS.get(error["field"], error["field"]))
    return parsed, errors


def validate_import(*, import_, user=None):
    """The preview: check every row, store the errors (row, column, message) and the status."""
    progress = Progress(import_)
    try:
        progress(0, ImportStatus.VALIDATING)
        parsed, errors = validate_rows(import_, progress)
    except Exception as exc:  # noqa: BLE001 — an unreadable file fails the import, with a clear message
        if not isinstance(exc, Unreadable):
            log.warning("import %s could not be read", import_.pk, exc_info=True)
        import_.refresh_from_db()
        import_.status = ImportStatus.FAILED
        import_.message = unreadable_message(exc)
        import_.save()
        return import_
    finally:
        progress.close()
    import_.refresh_from_db()
    import_.total_rows = len(parsed)
    import_.processed_rows = 0
    import_.errors = errors[:MAX_ERRORS]
    import_.status = ImportStatus.INVALID if errors else ImportStatus.VALIDATED
    import_.message = (
        _("%(n)s errors in %(rows)s rows.") % {"n": len(errors), "rows": len(parsed)}
        if errors
        else _("All %(rows)s rows are valid.") % {"rows": len(parsed)}
    )
    import_.save()
    return import_


def preview_rows(import_, limit=20):
    headers, rows = read_rows(import_, limit=limit)
    lookups = Lookups(import_.school)
    return [parse_row(raw, import_.mapping, lookups, i + 2)[0] for i, raw in enumerate(rows)]


def run_import(*, import_, user):
    """Import every row or none (all-or-nothing, one transaction); acquisition movements recorded."""
    from django.db import DatabaseError

    progress = Progress(import_)
    try:
        progress(0, ImportStatus.RUNNING)
        try:
            parsed, errors = validate_rows(import_)
        except Exception as exc:  # noqa: BLE001 — the file changed or broke: fail, never stay "running"
            import_.refresh_from_db()
            import_.status = ImportStatus.FAILED
            import_.message = unreadable_message(exc)
            import_.save()
            return import_
        if errors:
            import_.refresh_from_db()
            import_.errors = errors[:MAX_ERRORS]
            import_.status = ImportStatus.INVALID
            import_.message = _("Nothing was imported: %(n)s errors.") % {"n": len(errors)}
            import_.save()
            return import_
        try:
            with transaction.atomic():
                created = _insert(import_, user, parsed, progress)
        except DatabaseError as exc:
            import_.refresh_from_db()
            import_.status = ImportStatus.FAILED
            import_.message = _("Nothing was imported: %(error)s") % {"error": exc}
            import_.save()
            return import_
    finally:
        progress.close()
    import_.refresh_from_db()
    import_.status = ImportStatus.DONE
    import_.processed_rows = len(parsed)
    import_.created_count = created
    import_.finished_at = timezone.now()
    import_.message = _("%(n)s asset cards imported.") % {"n": created}
    import_.save()
    record_event(import_, "import.done", import_.message, {"created": created})
    return import_


def _insert(import_, user, parsed, progress):
    school = import_.school
    codes = iter(next_codes(school, len(parsed)))
    batch = f"I{import_.pk:06d}"
    bulk = bool(import_.mapping.get("_bulk"))
    now = timezone.now()
    total = 0
    for start in range(0, len(parsed), 2000):
        chunk = parsed[start : start + 2000]
        assets = []
        for _row, values in chunk:
            sequence, generated = next(codes)
            values = dict(values)
            code = values.pop("code") or generated
            status = values.pop("status", None) or AssetStatus.IN_USE
            assets.append(
                Asset(
                    school=school,
                    code=code,
                    sequence=sequence,
                    batch=batch,
                    status=status,
                    bulk_item=bulk and values["unit_price"] < settings_rules.threshold(school),
                    created_by=user,
                    updated_by=user,
                    created=now,
                    updated=now,
                    **values,
                )
            )
        Asset.objects.bulk_create(assets)
        record_bulk_create(assets)  # every imported card is on the record, as if saved one by one
        AssetMovement.objects.bulk_create(
            [
                AssetMovement(
                    school=school,
                    asset=asset,
                    kind=MovementKind.ACQUIRE,
                    date=asset.purchase_date,
                    to_room=asset.room,
                    to_custodian=asset.custodian,
                    to_status=asset.status,
                    note=_("imported from %(file)s") % {"file": import_.original_name},
                    created_by=user,
                )
                for asset in assets
            ]
        )
        total += len(assets)
        progress(total)
    return total
