"""A deployment that survives its first week (issue 13): uploads of any allowed size, the import API's
limits and task, a dead broker, periodic duties caught up exactly once, the system page."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from assets.choices import ImportStatus
from assets.models import AssetImport
from logistics.accounts.roles import Role
from logistics.system import duties
from logistics.system.models import DutyRun
from repairs.models import Ticket


def big_png(megabytes=6):
    """A real PNG of noise, larger than FILE_UPLOAD_MAX_MEMORY_SIZE (so Django spools it to a temporary file)."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestLargeUploads:
    def test_ticket_with_a_6_mb_photo_and_no_school_field(self, api, room, make_user):
        data = big_png(6)
        assert len(data) > 5 * 1024 * 1024
        teacher = make_user(Role.TEACHER, room.school)
        response = api(teacher).post(
            "/api/v1/repairs/tickets/",
            {
                "room": room.pk,
                "trade": "electrical",
                "description": "灯不亮",
                "photos": [SimpleUploadedFile("p.png", data, content_type="image/png")],
            },
            format="multipart",
        )
        assert response.status_code == 201, response.content[:500]
        assert Ticket.objects.get().school_id == room.school_id

    def test_import_of_a_6_mb_csv_without_school_field(self, api, school, make_user):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        body = ("资产名称,分类,单价,购置日期\n" + "课桌,A05010200,1200,2024-09-01\n" * 230_000).encode()
        assert len(body) > 5 * 1024 * 1024
        response = api(staff).post(
            "/api/v1/assets/imports/", {"file": SimpleUploadedFile("big.csv", body)}, format="multipart"
        )
        assert response.status_code == 201, response.content[:500]
        assert response.json()["headers"][:2] == ["资产名称", "分类"]


class TestImportAPILimits:
    @pytest.mark.parametrize(
        "name,content",
        [("page.html", b"<html><script>alert(1)</script></html>"), ("logo.svg", b"<svg xmlns='x'/>")],
    )
    def test_other_types_are_refused(self, api, school, make_user, name, content):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        response = api(staff).post(
            "/api/v1/assets/imports/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
        )
        assert response.status_code == 400 and not AssetImport.objects.exists()

    def test_renamed_file_is_not_an_xlsx(self, api, school, make_user):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        upload = SimpleUploadedFile("ledger.xlsx", b"<html></html>")
        response = api(staff).post("/api/v1/assets/imports/", {"file": upload}, format="multipart")
        assert response.status_code == 400 and not AssetImport.objects.exists()

    def test_larger_than_20_mb_is_refused(self, api, school, make_user):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        body = b"a,b\n" + b"1,2\n" * (21 * 1024 * 1024 // 4)
        response = api(staff).post(
            "/api/v1/assets/imports/", {"file": SimpleUploadedFile("big.csv", body)}, format="multipart"
        )
        assert response.status_code == 400 and "20 MB" in str(response.json())
        assert not AssetImport.objects.exists()


class TestImportTask:
    def _upload(self, api, user, data, name="ledger.xlsx"):
        response = api(user).post(
            "/api/v1/assets/imports/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    def test_validate_runs_as_a_task_the_api_polls(self, api, school, make_user, django_capture_on_commit_callbacks):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        pk = self._upload(
            api,
            staff,
            xlsx_bytes([["资产名称", "分类", "单价", "购置日期"], ["台式计算机", "A02010104", 4800, "2024-03-15"]]),
        )
        client = api(staff)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(f"/api/v1/assets/imports/{pk}/validate/", {}, format="json")
        assert response.status_code == 202 and response.json()["status"] == ImportStatus.VALIDATING
        assert client.get(f"/api/v1/assets/imports/{pk}/").json()["status"] == ImportStatus.VALIDATING
        for callback in callbacks:  # the worker picks the task up
            callback()
        polled = client.get(f"/api/v1/assets/imports/{pk}/").json()
        assert polled["status"] == ImportStatus.VALIDATED and polled["total_rows"] == 1

    def test_row_cap_is_checked_while_streaming(
        self, api, school, make_user, monkeypatch, django_capture_on_commit_callbacks
    ):
        from logistics.imports import reading

        monkeypatch.setattr(reading, "MAX_ROWS", 50)
        staff = make_user(Role.LOGISTICS_STAFF, school)
        rows = [["资产名称", "分类", "单价", "购置日期"]] + [["桌", "A05010200", 1200, "2024-03-15"]] * 500
        pk = self._upload(api, staff, xlsx_bytes(rows))
        with django_capture_on_commit_callbacks(execute=True):
            api(staff).post(f"/api/v1/assets/imports/{pk}/validate/", {}, format="json")
        import_ = AssetImport.objects.get(pk=pk)
        assert import_.status == ImportStatus.FAILED and "50" in import_.message
        assert import_.processed_rows <= 50

    def test_column_cap(self, api, school, make_user):
        from logistics.imports import reading

        staff = make_user(Role.LOGISTICS_STAFF, school)
        upload = SimpleUploadedFile("wide.xlsx", xlsx_bytes([[f"c{i}" for i in range(reading.MAX_COLUMNS + 5)]]))
        response = api(staff).post("/api/v1/assets/imports/", {"file": upload}, format="multipart")
        assert response.status_code == 400 and str(reading.MAX_COLUMNS) in str(response.json())
        assert not AssetImport.objects.exists()

    def test_corrupt_workbook_fails_with_a_chinese_message(
        self, api, school, make_user, django_capture_on_commit_callbacks
    ):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        good = xlsx_bytes([["资产名称", "分类", "单价", "购置日期"], ["桌", "A05010200", 1200, "2024-03-15"]])
        pk = self._upload(api, staff, good)
        import_ = AssetImport.objects.get(pk=pk)
        with import_.file.storage.open(import_.file.name, "wb") as handle:  # damaged after upload
            handle.write(good[: len(good) // 2])
        with django_capture_on_commit_callbacks(execute=True):
            response = api(staff).post(f"/api/v1/assets/imports/{pk}/validate/", {}, format="json")
        assert response.status_code == 202
        import_.refresh_from_db()
        assert import_.status == ImportStatus.FAILED
        assert "文件" in import_.message and "Error" not in import_.message

    def test_corrupt_upload_is_refused_with_one_chinese_message(self, api, school, make_user):
        staff = make_user(Role.LOGISTICS_STAFF, school)
        upload = SimpleUploadedFile("ledger.xlsx", b"PK\x03\x04" + b"\x00" * 300)
        response = api(staff).post("/api/v1/assets/imports/", {"file": upload}, format="multipart")
        assert response.status_code == 400
        (message,) = response.json()["errors"]["file"]  # one message, the library's words nowhere
        assert "损坏" in message and "zip" not in str(response.json()).lower() and "Error" not in message
        assert not AssetImport.objects.exists()


@pytest.mark.fault
@pytest.mark.xdist_group("fault")  # shares TEST_REDIS_URL with tests/fault: never at the same time
class TestDeadBroker:
    @pytest.fixture
    def dead_broker(self, settings):
        from logistics.celery import app

        old = app.conf.broker_url, app.conf.task_always_eager
        app.conf.broker_url = "redis://127.0.0.1:1/0"
        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app._pool = None
        yield
        app.conf.broker_url, app.conf.task_always_eager = old
        app._pool = None

    def test_broker_stopped_costs_at_most_double_the_normal_time(
        self, api, room, make_user, dead_broker, django_capture_on_commit_callbacks
    ):
        """Ticket create (which enqueues notifications) with the broker up and stopped: median of 5."""
        import statistics

        from logistics.celery import app

        redis = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        teacher = make_user(Role.TEACHER, room.school)
        make_user(Role.LOGISTICS_HEAD, room.school)
        client = api(teacher)
        payload = {"room": room.pk, "trade": "electrical", "description": "灯不亮"}

        def median_create():
            times = []
            for _ in range(6):
                started = time.monotonic()
                with django_capture_on_commit_callbacks(execute=True):
                    assert client.post("/api/v1/repairs/tickets/", payload, format="json").status_code == 201
                times.append(time.monotonic() - started)
            return statistics.median(times[1:])

        app.conf.broker_url = redis
        app._pool = None
        try:
            up = median_create()
            app.control.purge()
        except Exception:  # noqa: BLE001
            pytest.skip(f"Redis not reachable at {redis}")
        app.conf.broker_url = "redis://127.0.0.1:1/0"
        app._pool = None
        down = median_create()
        assert down <= 2 * up + 0.02, (up, down)

    def test_healthz_says_degraded_within_100_ms(self, client, db, dead_broker):
        client.get("/healthz")  # warm up (imports)
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
        body = response.json()
        assert response.status_code == 200 and body["status"] == "degraded" and body["broker"] == "unreachable"
        assert elapsed < 0.1, elapsed
        assert set(body["duties"]) == {"reminder-scan", "monthly-reports", "housekeeping"}

    def test_ticket_create_does_not_wait_and_the_scan_delivers(
        self, api, room, make_user, dead_broker, django_capture_on_commit_callbacks, mailoutbox
    ):
        from logistics.notifications.models import Notification
        from logistics.reminders.services import scan

        teacher = make_user(Role.TEACHER, room.school)
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        head.email = "head@example.cn"
        head.save()
        client = api(teacher)
        payload = {"room": room.pk, "trade": "electrical", "description": "灯不亮"}
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/api/v1/repairs/tickets/", payload, format="json")  # warm up
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/repairs/tickets/", payload, format="json")
        elapsed = time.monotonic() - started
        # No publish retry loop (that cost ≥ 2 s); the ×2 bound against a live broker is the test above.
        assert response.status_code == 201 and elapsed < 1.5, elapsed
        undelivered = Notification.objects.filter(recipient=head, emailed_at__isnull=True)
        assert undelivered.exists()  # kept, not lost
        import datetime

        from django.utils import timezone

        scan(now=timezone.now() + datetime.timedelta(minutes=3))  # the next scan, a few minutes on
        assert mailoutbox and not Notification.objects.filter(recipient=head, emailed_at__isnull=True).exists()


def failing_duty():
    raise RuntimeError("disk full")


@pytest.mark.fault
class TestDutyRunCatchUp:
    def test_every_missed_duty_runs_once(self, school, time_machine):
        import datetime
        from zoneinfo import ZoneInfo

        from logistics.reports.models import Report

        tz = ZoneInfo("Asia/Shanghai")
        time_machine.move_to(datetime.datetime(2026, 10, 20, 12, 0, tzinfo=tz))
        school.created = datetime.datetime(2026, 10, 5, tzinfo=tz)
        school.save()
        assert set(duties.catch_up()) == {"reminder-scan", "monthly-reports", "housekeeping"}  # never ran
        assert duties.catch_up() == []  # nothing due a second time
        # The whole system was off across 06:00 on the 1st: started at 09:00 on the 1st.
        time_machine.move_to(datetime.datetime(2026, 11, 1, 9, 0, tzinfo=tz))
        assert "monthly-reports" in duties.catch_up()
        assert Report.objects.filter(school=school, period=datetime.date(2026, 10, 1)).count() == 1
        assert duties.catch_up() == []
        assert Report.objects.filter(school=school).count() == 1
        record = DutyRun.objects.get(code="monthly-reports")
        assert record.runs == 2 and record.last_success.astimezone(tz).date() == datetime.date(2026, 11, 1)

    def test_interval_duty_due_after_its_interval(self, db, time_machine):
        import datetime

        time_machine.move_to(datetime.datetime(2026, 10, 20, 4, 0, tzinfo=datetime.UTC))
        duties.run("reminder-scan")
        record = DutyRun.objects.get(code="reminder-scan")
        assert not duties.is_due("reminder-scan", record)
        later = datetime.datetime(2026, 10, 20, 4, 16, tzinfo=datetime.UTC)
        assert duties.is_due("reminder-scan", record, now=later)

    def test_failure_is_recorded_and_retried(self, db, monkeypatch):
        monkeypatch.setitem(duties.DUTIES, "housekeeping", ("tests.platform.test_deploy.failing_duty", "x"))
        assert duties.run("housekeeping") is False
        record = DutyRun.objects.get(code="housekeeping")
        assert record.last_success is None and "disk full" in record.last_error
        assert duties.is_due("housekeeping", record)


class TestSystemPage:
    def test_admin_only(self, school, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, school)
        assert login(head).get("/system/").status_code == 403
        admin = make_user(Role.PRINCIPAL, school)
        admin.is_superuser = admin.is_staff = True
        admin.save()
        duties.run("housekeeping")
        page = login(admin).get("/system/")
        body = page.content.decode()
        assert page.status_code == 200 and "定时任务" in body and "夜间清理" in body
        assert "housekeeping" not in body.replace('data-duty="housekeeping"', "")
