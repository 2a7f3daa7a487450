"""Import of meter readings from XLSX/CSV (抄表读数导入) on the platform's import engine
(``logistics.imports``): the columns, the meters rows are matched against, and the rules of a reading
checked row by row before anything is written — then every row or none, through ``record_reading``.

The rules across rows (one reading per meter and month, in month order, never lower than the previous
value unless the meter was replaced with a reason) are checked while the file is read: the lookups keep,
per meter, the last month and value seen (the database's latest reading first, then the file's rows).
"""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.imports import registry as import_registry
from logistics.imports.columns import CellError, Column, money, normalise, parse_date, text, yes_no
from logistics.imports.reading import cell_text

from . import services
from .models import Meter, MeterReading, month_start

IMPORTER = "utilities.readings"
MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def parse_month(raw, lookups=None):
    """2026-11, 2026/11, 2026年11月, or a date of the month."""
    if isinstance(raw, datetime.date):
        return month_start(raw)
    value = cell_text(raw)
    match = MONTH.match(value)
    if match:
        year, mon = (int(g) for g in match.groups())
        if 1 <= mon <= 12:
            return datetime.date(year, mon, 1)
    day = parse_date(raw)
    if day is not None:
        return month_start(day)
    raise CellError(_("“%(value)s” is not a month (use 2026-11)") % {"value": value})


def parse_meter(raw, lookups):
    key = normalise(cell_text(raw))
    meter = lookups.meters.get(key, False)
    if meter is False:
        raise CellError(_("unknown meter “%(value)s”") % {"value": cell_text(raw)})
    if meter is None:
        raise CellError(_("“%(value)s” matches several meters; use the meter number") % {"value": cell_text(raw)})
    return meter


def parse_date_cell(raw, lookups=None):
    value = parse_date(raw)
    if value is None:
        raise CellError(_("“%(value)s” is not a date (use 2024-03-15)") % {"value": cell_text(raw)})
    return value


class MonthColumn(Column):
    """A month: shown as 2026-11 in the preview."""

    def display(self, value):
        return f"{value:%Y-%m}" if value else ""


COLUMNS = [
    Column(
        "meter",
        gettext_lazy("Meter (name or number)"),
        required=True,
        headers=("计量表", "表名", "表号", "水表", "电表", "meter"),
        parse=parse_meter,
        example="总水表",
    ),
    MonthColumn(
        "month",
        gettext_lazy("Month"),
        required=True,
        headers=("月份", "抄表月份", "所属月份", "month"),
        parse=parse_month,
        example="2026-11",
    ),
    Column(
        "read_on",
        gettext_lazy("Reading date"),
        headers=("抄表日期", "日期", "date"),
        parse=parse_date_cell,
        help_text=gettext_lazy("Empty: the first day of the next month."),
        example="2026-12-01",
    ),
    Column(
        "value",
        gettext_lazy("Meter value"),
        headers=("表读数", "读数", "本月读数", "止码", "value"),
        parse=money(),
        example="97652",
    ),
    Column(
        "consumption",
        gettext_lazy("Use"),
        headers=("用量", "本月用量", "用水量", "用电量", "用气量", "use"),
        parse=money(),
        help_text=gettext_lazy("Only for a meter read from the bill, or after a replacement."),
    ),
    Column(
        "replacement",
        gettext_lazy("Meter replaced or rolled over"),
        headers=("换表", "换表或归零", "replacement"),
        parse=yes_no(),
        blank=False,
    ),
    Column("reason", gettext_lazy("Reason"), headers=("原因", "备注", "reason"), parse=text(200)),
]


class Lookups:
    """The school's meters in use by name, number and "campus name", and per meter the latest reading
    (month, value) — the starting point of the checks across the file's rows."""

    def __init__(self, record):
        self.meters = {}
        meters = list(Meter.objects.filter(school=record.school, active=True).select_related("campus"))
        for meter in meters:
            for key in {meter.name, meter.number, f"{meter.campus.name}{meter.name}"}:
                if key:
                    key = normalise(key)
                    self.meters[key] = None if key in self.meters and self.meters[key] != meter else meter
        self.last_month = {}
        self.last_value = {}
        latest = MeterReading.objects.filter(meter__in=meters).order_by("meter_id", "-month")
        for reading in latest.values("meter_id", "month", "value"):
            self.last_month.setdefault(reading["meter_id"], reading["month"])
            if reading["value"] is not None:
                self.last_value.setdefault(reading["meter_id"], (reading["month"], reading["value"]))
        self.today = timezone.localdate()


def default_read_on(month, today):
    return min(month + relativedelta(months=1), today)


class ReadingsImporter(import_registry.Importer):
    """A month's (or years') meter readings, one row per meter and month."""

    code = IMPORTER
    label = gettext_lazy("Meter readings")
    model = "utilities.MeterReadingImport"
    columns = COLUMNS
    help_text = gettext_lazy(
        "One row per meter and month, in month order. A value lower than the previous one needs "
        "“meter replaced or rolled over” = 是 and the reason. All rows are imported or none."
    )

    def lookups(self, record):
        return Lookups(record)

    def clean_row(self, values, row, lookups):
        meter, month = values.get("meter"), values.get("month")
        if meter is None or month is None:
            return
        if month > month_start(lookups.today):
            row.error("month", _("This month has not begun yet."))
            return
        read_on = values.get("read_on") or default_read_on(month, lookups.today)
        values["read_on"] = read_on
        if read_on < month:
            row.error("read_on", _("The reading date cannot be before the month it is for."))
        elif read_on > lookups.today:
            row.error("read_on", _("The reading date cannot be in the future."))
        last = lookups.last_month.get(meter.pk)
        if last is not None and month <= last:
            row.error(
                "month",
                _("%(meter)s already has a reading for %(month)s or later (rows of a meter in month order).")
                % {"meter": meter, "month": f"{month:%Y-%m}"},
            )
            return
        previous = lookups.last_value.get(meter.pk)
        try:
            services.month_use(
                previous[1] if previous else None,
                previous[0] if previous else None,
                values.get("value"),
                values.get("consumption"),
                values.get("replacement", False),
                values.get("reason", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    row.error(field, " ".join(error.messages))
            return
        lookups.last_month[meter.pk] = month
        if values.get("value") is not None:
            lookups.last_value[meter.pk] = (month, values["value"])

    def done_message(self, count):
        return _("%(n)s readings imported.") % {"n": count}

    def apply(self, record, rows, user, progress):
        actor = user or record.created_by  # the task runs for the person who uploaded the file
        count = 0
        for count, (_number, values) in enumerate(rows, start=1):
            try:
                services.record_reading(
                    values["meter"],
                    actor,
                    values["month"],
                    values["read_on"],
                    value=values.get("value"),
                    consumption=values.get("consumption"),
                    replacement=values.get("replacement", False),
                    reason=values.get("reason", ""),
                )
            except ValidationError as exc:  # a reading entered meanwhile: nothing is imported
                raise DatabaseError(" ".join(exc.messages)) from exc
            if count % 50 == 0:
                progress(count)
        return count

    def template_rows(self):
        month = services.last_month()
        return [["总水表", f"{month:%Y-%m}", f"{month + relativedelta(months=1):%Y-%m-%d}", 97652, "", "否", ""]]
