"""The platform's import engine (logistics.imports): reading, columns, choice labels, preview, the
record's steps, and an unreadable file refused with one Chinese message and nothing stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assets.choices import FundingSource
from assets.models import Asset, AssetImport
from logistics.accounts.roles import Role
from logistics.imports import engine, registry
from logistics.imports.choices import ImportStatus
from logistics.imports.columns import CellError, Column, date, money, yes_no
from logistics.imports.reading import check_upload
from tests.pages import page_text


def xlsx(rows, name="台账.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


class TestColumns:
    def test_choice_labels_values_and_aliases(self):
        column = Column("funding", "资金来源", choices=FundingSource, aliases={"自筹资金": FundingSource.SELF})
        assert column.parse("自筹资金") == FundingSource.SELF
        assert column.parse("Donation") == FundingSource.DONATION  # the English label
        assert column.parse("budget") == FundingSource.BUDGET  # the stored value
        with pytest.raises(CellError) as error:
            column.parse("银行贷款")
        assert "银行贷款" in str(error.value)
        assert column.display(FundingSource.SELF) != "self"  # the label, never the code

    def test_dates_amounts_yes_no(self):
        assert str(date()("2024年3月5日", None)) == "2024-03-05"
        assert str(date()("20240305", None)) == "2024-03-05"
        with pytest.raises(CellError):
            date()("2024/13/01", None)
        assert str(money()("¥4,500.5", None)) == "4500.50"
        with pytest.raises(CellError):
            money()("-3", None)
        assert yes_no()("是", None) is True and yes_no()("否", None) is False
        with pytest.raises(CellError):
            yes_no()("也许", None)

    def test_guess_mapping_ignores_spaces_and_brackets(self):
        importer = registry.get("assets.ledger")
        mapping = engine.guess_mapping(importer, ["资产 名称", "分类（代码）", "单价", "购置日期"])
        assert mapping["name"] == 0 and mapping["unit_price"] == 2 and mapping["purchase_date"] == 3


class TestUploadChecks:
    def test_damaged_workbook_one_message(self):
        with pytest.raises(ValidationError) as error:
            check_upload(SimpleUploadedFile("a.xlsx", b"PK\x03\x04" + b"\x00" * 300))
        assert len(error.value.messages) == 1

    def test_empty_file(self):
        with pytest.raises(ValidationError):
            check_upload(SimpleUploadedFile("a.csv", b""))

    def test_headers_returned_and_file_rewound(self):
        upload = xlsx([["资产名称", "单价"], ["桌", 1]])
        assert check_upload(upload) == ["资产名称", "单价"]
        assert upload.read(2) == b"PK"


@pytest.mark.django_db
class TestEngine:
    def test_corrupt_xlsx_page_upload_leaves_no_record(self, school, make_user, login):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        response = login(staff).post(
            "/assets/imports/add/", {"file": SimpleUploadedFile("台账.xlsx", b"PK\x03\x04" + b"\x00" * 300)}
        )
        assert response.status_code == 400
        page = page_text(response)
        assert page.count("文件已损坏") == 1 and "zip" not in page.lower()
        assert not AssetImport.objects.exists()

    def test_unknown_choice_is_an_error_of_its_row_and_column_and_preview_shows_labels(self, school, make_user):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        upload = xlsx(
            [
                ["资产名称", "分类代码", "单价", "购置日期", "资金来源", "状态"],
                ["台式计算机", "A02010105", 4800, "2024-03-15", "自筹资金", "在用"],
                ["投影仪", "A02020100", 4500, "2024-03-15", "银行贷款", "闲置"],
            ]
        )
        record = engine.open_import(AssetImport, school=school, user=staff, upload=upload)
        engine.set_mapping(record, staff, record.mapping)
        engine.check_now(record, staff)
        record.refresh_from_db()
        assert record.status == ImportStatus.INVALID
        assert [(e["row"], e["column"]) for e in record.errors] == [(3, "资金来源")]
        preview = engine.preview(record)
        first = dict(zip(preview["fields"], preview["rows"][0]["cells"], strict=True))
        assert first["funding_source"]["text"] == str(FundingSource.SELF.label)
        assert first["status"]["text"] not in ("in_use", "")
        second = dict(zip(preview["fields"], preview["rows"][1]["cells"], strict=True))
        assert second["funding_source"]["text"] == "银行贷款" and second["funding_source"]["error"]
        engine.apply_now(record, staff)  # not allowed from "has errors": nothing imported
        assert not Asset.objects.filter(school=school).exists()

    def test_steps_are_recorded_and_a_second_run_imports_nothing_twice(
        self, school, make_user, django_capture_on_commit_callbacks
    ):
        from logistics.audit.models import ChangeRecord
        from logistics.imports.tasks import run_import_task

        staff = make_user(Role.LOGISTICS_STAFF, school)
        upload = xlsx([["资产名称", "分类代码", "单价", "购置日期"], ["台式计算机", "A02010105", 4800, "2024-03-15"]])
        record = engine.open_import(AssetImport, school=school, user=staff, upload=upload)
        engine.set_mapping(record, staff, record.mapping)
        with django_capture_on_commit_callbacks(execute=True):
            engine.start_validation(record, staff)
        record.refresh_from_db()
        assert record.status == ImportStatus.VALIDATED
        with django_capture_on_commit_callbacks(execute=True):
            engine.start_run(record, staff)
        record.refresh_from_db()
        assert record.status == ImportStatus.DONE and record.created_count == 1
        run_import_task("assets.assetimport", record.pk, staff.pk)  # acks_late: run again
        assert Asset.objects.filter(school=school).count() == 1
        records = ChangeRecord.objects.filter(content_type__model="assetimport", object_id=record.pk)
        statuses = [r.after.get("status") for r in records.order_by("pk") if r.after and "status" in r.after]
        assert statuses[-4:] == ["validating", "validated", "running", "done"]  # every step on the record

    def test_other_school_cannot_reach_the_record(self, school, other_school, make_user, login):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        upload = xlsx([["资产名称", "分类代码", "单价", "购置日期"], ["台式计算机", "A02010105", 4800, "2024-03-15"]])
        record = engine.open_import(AssetImport, school=school, user=staff, upload=upload)
        stranger = make_user(Role.LOGISTICS_STAFF, other_school)
        client = login(stranger)
        assert client.get(f"/assets/imports/{record.pk}/").status_code == 404
        assert client.post(f"/assets/imports/{record.pk}/run/").status_code == 404
