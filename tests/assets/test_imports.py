"""Ledger import: mapping, a preview that explains each error by row and column, all-or-nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assets import services
from assets.choices import ImportStatus
from assets.models import Asset, AssetImport, AssetMovement
from assets.services.imports import guess_mapping

from .factories import make_asset, make_room

pytestmark = pytest.mark.django_db

HEADERS = ["资产编号", "资产名称", "分类代码", "规格型号", "单价", "购置日期", "存放地点", "使用人", "备注"]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def csv_upload(text, encoding="utf-8"):
    return SimpleUploadedFile("台账.csv", text.encode(encoding), content_type="text/csv")


class TestAssetImportRules:
    def test_guess_mapping(self):
        mapping = guess_mapping(HEADERS)
        assert mapping["code"] == 0 and mapping["name"] == 1 and mapping["unit_price"] == 4 and mapping["room"] == 6

    def test_preview_explains_errors_and_imports_nothing(self, school, staff):
        room = make_room(school, name="301室")
        existing = make_asset(school, code="ONE-A-1")
        upload = xlsx(
            [
                ["ONE-A-10", "台式计算机", "A02010104", "i5", 4800, "2024-03-15", f"{room.building.name}301室", "", ""],
                ["ONE-A-11", "投影仪", "A02020100", "", "4,500.00", "2024/13/01", "", "", ""],
                ["ONE-A-10", "打印机", "A02020800", "", 1680, "2024-05-01", "火星101", "", ""],
                [existing.code, "空调", "A99", "", "abc", "2024-05-01", "", "nobody", ""],
            ]
        )
        import_ = services.open_import(school=school, user=staff, upload=upload)
        assert import_.headers and import_.total_rows == 0  # rows are read by the validation task
        services.set_mapping(import_=import_, user=staff, mapping=guess_mapping(import_.headers))
        services.validate_import(import_=import_, user=staff)
        import_.refresh_from_db()
        assert import_.total_rows == 4
        assert import_.status == ImportStatus.INVALID
        errors = {(e["row"], e["column"]) for e in import_.errors}
        assert (3, "购置日期") in errors  # bad date
        assert (4, "资产编号") in errors  # duplicate code in the file
        assert (4, "存放地点") in errors  # unknown room
        assert (5, "资产编号") in errors  # already on the ledger
        assert (5, "分类代码") in errors  # unknown category
        assert (5, "单价") in errors  # not an amount
        assert (5, "使用人") in errors  # unknown person
        assert (2, "购置日期") not in errors
        messages = " ".join(e["message"] for e in import_.errors)
        assert "ONE-A-10" in messages and "火星101" in messages
        # all-or-nothing: running it anyway imports nothing
        services.run_import(import_=import_, user=staff)
        assert not Asset.objects.filter(code__startswith="ONE-A-1", name="台式计算机").exists()
        assert Asset.objects.filter(school=school).count() == 1

    def test_valid_file_imports_everything(self, school, staff, make_user):
        room = make_room(school, name="实验室1")
        teacher = make_user("teacher", school, username="wanglaoshi")
        text = "资产名称,分类,单价,购置日期,存放地点,使用人,状态\n"
        text += "显微镜,显微镜,1350,2023年9月1日,实验室1,wanglaoshi,在用\n"
        text += "课桌,学生课桌椅,300,20230901,,,闲置\n"
        import_ = services.open_import(school=school, user=staff, upload=csv_upload(text, "gb18030"))
        services.set_mapping(
            import_=import_, user=staff, mapping=guess_mapping(import_.headers), bulk_below_threshold=True
        )
        services.validate_import(import_=import_, user=staff)
        import_.refresh_from_db()
        assert import_.status == ImportStatus.VALIDATED, import_.errors
        services.run_import(import_=import_, user=staff)
        import_.refresh_from_db()
        assert import_.status == ImportStatus.DONE and import_.created_count == 2
        scope = Asset.objects.get(name="显微镜")
        assert scope.room == room and scope.custodian == teacher and scope.code.startswith("ONE-")
        desk = Asset.objects.get(name="课桌")
        assert desk.status == "idle" and desk.bulk_item
        assert AssetMovement.objects.filter(kind="acquire").count() == 2
        from logistics.audit.models import ChangeRecord

        records = ChangeRecord.objects.filter(content_type__model="asset", action="create")
        assert sorted(records.values_list("object_id", flat=True)) == sorted([scope.pk, desk.pk])

    def test_below_threshold_is_an_error_without_bulk(self, school, staff):
        import_ = services.open_import(
            school=school,
            user=staff,
            upload=csv_upload("资产名称,分类,单价,购置日期\n椅子,学生课桌椅,120,2024-01-01\n"),
        )
        services.set_mapping(import_=import_, user=staff, mapping=guess_mapping(import_.headers))
        services.validate_import(import_=import_, user=staff)
        import_.refresh_from_db()
        assert import_.status == ImportStatus.INVALID and import_.errors[0]["column"] == "单价"

    def test_missing_required_mapping(self, school, staff):
        from django.core.exceptions import ValidationError

        import_ = services.open_import(school=school, user=staff, upload=csv_upload("名称\nx\n"))
        with pytest.raises(ValidationError):
            services.set_mapping(import_=import_, user=staff, mapping={"name": 0})

    def test_database_failure_rolls_back_everything(self, school, staff, monkeypatch):
        rows = [[f"X-{i}", "椅子", "A05010100", "", 1200, "2024-01-01", "", "", ""] for i in range(30)]
        import_ = services.open_import(school=school, user=staff, upload=xlsx(rows))
        services.set_mapping(import_=import_, user=staff, mapping=guess_mapping(import_.headers))
        services.validate_import(import_=import_, user=staff)
        from django.db import DatabaseError

        from assets.services import imports

        original = AssetMovement.objects.bulk_create

        def broken(*args, **kwargs):
            raise DatabaseError("disk full")

        monkeypatch.setattr(AssetMovement.objects, "bulk_create", broken)
        imports.run_import(import_=import_, user=staff)
        monkeypatch.setattr(AssetMovement.objects, "bulk_create", original)
        import_.refresh_from_db()
        assert import_.status == ImportStatus.FAILED
        assert not Asset.objects.filter(school=school).exists()


class TestAssetImportPages:
    def test_upload_mapping_preview_run(self, school, staff, login, django_capture_on_commit_callbacks):
        make_room(school, name="301室")
        client = login(staff)
        assert client.get("/assets/imports/add/").status_code == 200
        upload = xlsx([["", "台式计算机", "A02010104", "", 4800, "2024-03-15", "301室", "", ""]])
        response = client.post("/assets/imports/add/", {"file": upload})
        assert response.status_code == 302
        import_ = AssetImport.objects.get()
        assert client.get(f"/assets/imports/{import_.pk}/mapping/").status_code == 200
        data = {f"map_{k}": str(v) for k, v in guess_mapping(import_.headers).items()}
        with django_capture_on_commit_callbacks(execute=True):  # the check runs as a Celery task
            response = client.post(f"/assets/imports/{import_.pk}/mapping/", data)
        assert response.status_code == 302
        page = client.get(f"/assets/imports/{import_.pk}/").content.decode()
        assert 'data-testid="import-preview"' in page and 'data-testid="run-import"' in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/assets/imports/{import_.pk}/run/")
        import_.refresh_from_db()
        assert import_.status == ImportStatus.DONE
        progress = client.get(f"/assets/imports/{import_.pk}/progress/")
        assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
        assert client.get("/assets/imports/template/").content[:2] == b"PK"

    def test_large_file_runs_as_task_with_progress(self, school, staff, login, django_capture_on_commit_callbacks):
        rows = [["", f"椅子{i}", "A05010100", "", 1200, "2024-01-01", "", "", ""] for i in range(2500)]
        client = login(staff)
        client.post("/assets/imports/add/", {"file": xlsx(rows)})
        import_ = AssetImport.objects.get()
        data = {f"map_{k}": str(v) for k, v in guess_mapping(import_.headers).items()}
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            client.post(f"/assets/imports/{import_.pk}/mapping/", data)
        assert len(callbacks) == 1  # checked in a Celery task (eager in tests)
        import_.refresh_from_db()
        assert import_.status == ImportStatus.VALIDATED, import_.errors[:3]
        page = client.get(f"/assets/imports/{import_.pk}/").content.decode()
        assert "2500" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/assets/imports/{import_.pk}/run/")
        import_.refresh_from_db()
        assert import_.created_count == 2500 and import_.processed_rows == 2500
        assert Asset.objects.filter(school=school).count() == 2500

    def test_running_import_polls(self, school, staff, login):
        import_ = AssetImport.objects.create(
            school=school, file=csv_upload("a\n"), status=ImportStatus.RUNNING, total_rows=100, processed_rows=40
        )
        body = login(staff).get(f"/assets/imports/{import_.pk}/progress/").content.decode()
        assert 'hx-trigger="every 1s"' in body and "40%" in body
