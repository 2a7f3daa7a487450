"""Import of readings on the platform's engine: headers guessed, the rules of a reading checked row by row
(lower value, month order, duplicates, unknown meter) before anything is written, all or none, the pages."""

import io
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from logistics.imports import engine
from logistics.imports import registry as import_registry
from logistics.imports.choices import ImportStatus
from utilities import services
from utilities.imports import IMPORTER
from utilities.models import MeterReading, MeterReadingImport

from .factories import add_history, make_meter

pytestmark = pytest.mark.django_db

HEADERS = ["计量表", "月份", "抄表日期", "表读数", "用量", "换表", "原因"]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("抄表.xlsx", buffer.getvalue())


def run(school, user, upload):
    record = engine.open_import(MeterReadingImport, school=school, user=user, upload=upload, importer=IMPORTER)
    engine.set_mapping(record, user, engine.guess_mapping(import_registry.get(IMPORTER), record.headers))
    engine.check_now(record, user)
    record.refresh_from_db()
    return record


class TestMeterReadingImport:
    def test_rules_checked_by_row_and_column_and_nothing_written(self, school, people):
        water = make_meter(school, name="总水表", number="W-001")
        add_history(water, people.staff, [100] * 2, end=services.months_back(services.last_month(), 4)[0])
        # the database's latest: value 1200 three months ago
        m1, m2, m3 = services.months_back(services.last_month(), 3)
        record = run(
            school,
            people.staff,
            xlsx(
                [
                    ["W-001", f"{m1:%Y-%m}", "", 1150, "", "", ""],  # lower than 1200, no replacement
                    ["总水表", f"{m2:%Y年%m月}", "", 1300, "", "", ""],
                    ["总水表", f"{m2:%Y-%m}", "", 1350, "", "", ""],  # the same month again
                    ["火星表", f"{m3:%Y-%m}", "", 10, "", "", ""],  # unknown meter
                    ["总水表", "十一月", "", 10, "", "", ""],  # not a month
                ]
            ),
        )
        assert record.status == ImportStatus.INVALID and record.total_rows == 5
        errors = {(e["row"], e["column"]) for e in record.errors}
        assert {(2, "表读数"), (4, "月份"), (5, "计量表"), (6, "月份")} <= errors
        assert (3, "表读数") not in errors and (3, "月份") not in errors
        engine.apply_now(record, people.staff)
        assert MeterReading.objects.filter(meter=water).count() == 2

    def test_valid_file_imports_all_rows_through_the_rules(self, school, people):
        water = make_meter(school, name="总水表")
        power = make_meter(school, name="总电表", kind="electricity", campus=water.campus)
        add_history(water, people.staff, [100] * 12, end=services.months_back(services.last_month(), 4)[0])
        m1, m2, m3 = services.months_back(services.last_month(), 3)
        record = run(
            school,
            people.staff,
            xlsx(
                [
                    ["总水表", f"{m1:%Y-%m}", "", 2300, "", "否", ""],
                    ["总电表", f"{m1:%Y-%m}", "", 5000, "", "", ""],  # its first reading: the starting point
                    ["总水表", f"{m2:%Y-%m}", "", 2400, "", "", ""],
                    ["总电表", f"{m2:%Y-%m}", "", 100, "", "是", "换新电表"],
                    ["总水表", f"{m3:%Y-%m}", "", 2900, "", "", ""],  # 500: above 1.5× the usual
                ]
            ),
        )
        assert record.status == ImportStatus.VALIDATED, record.errors
        engine.apply_now(record, people.staff)
        record.refresh_from_db()
        assert record.status == ImportStatus.DONE and record.created_count == 5
        readings = {(r.meter_id, r.month): r for r in MeterReading.objects.filter(month__gte=m1)}
        assert readings[(power.pk, m2)].consumption == Decimal(100) and readings[(power.pk, m2)].replacement
        last = readings[(water.pk, m3)]
        assert (last.consumption, last.flagged, last.entered_by) == (Decimal(500), True, people.staff)
        assert last.read_on == m3 + relativedelta(months=1)  # no date given: the first day of the next month

    def test_pages(self, school, people, login):
        client = login(people.staff)
        assert client.get("/utilities/imports/").status_code == 200
        template = client.get("/utilities/imports/template/")
        assert template.status_code == 200
        headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))]
        assert headers[:4] == ["计量表", "月份", "抄表日期", "表读数"]
        assert login(people.principal).get("/utilities/imports/add/").status_code == 403
        make_meter(school, name="总水表")
        response = client.post("/utilities/imports/add/", {"file": xlsx([["总水表", "2026-01", "", 10, "", "", ""]])})
        assert response.status_code == 302
        record = MeterReadingImport.objects.get()
        assert record.school == school and record.mapping["meter"] == 0
