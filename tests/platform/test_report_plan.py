"""The monthly report as the principal reads it (issue 12): a header block, the problems carried over and next
month's plan, draft → final (the head, plan required, not before the month is over) → read (the principal,
recorded), the schedule on the 1st with catch-up, the XLSX's numbers and totals, the first page as a PNG, the
term/year summary on demand, and reports made before versions existed."""

import datetime
import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from openpyxl import load_workbook

from assets.models import DamageRecord
from logistics.accounts.roles import Role
from logistics.audit.models import ChangeRecord
from logistics.notifications.models import Notification
from logistics.reports import services
from logistics.reports.choices import ReportStatus
from logistics.reports.models import Report, ReportVersion
from logistics.reports.registry import Period, change, comparisons
from logistics.reports.tasks import generate_monthly_reports
from logistics.tenancy.models import School
from repairs import services as repair_services
from repairs.choices import Trade

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))
OCTOBER = datetime.date(2026, 10, 1)
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=CST), tick=False)


def pdf_text(field):
    field.open("rb")
    data = field.read()
    field.close()
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


@pytest.fixture
def people(school, make_user):
    head = make_user(Role.LOGISTICS_HEAD, school)
    head.display_name = "孙勇（总务主任）"
    head.save()
    return {
        "head": head,
        "principal": make_user(Role.PRINCIPAL, school),
        "staff": make_user(Role.LOGISTICS_STAFF, school),
        "teacher": make_user(Role.TEACHER, school),
    }


@pytest.fixture
def october(school, people):
    """October's report, generated on 2 November: its figures are final, its plan still to write."""
    with at(2026, 11, 2, 9, 0):
        return services.generate(school, OCTOBER)


class TestHeaderAndOpenItems:
    def test_header_block_names_school_period_head_date_and_signature_line(self, school, people, october):
        header = dict(services.report_document(october)["header"])
        assert header["学校"] == school.name
        assert header["报告期"] == "2026-10"
        assert header["编制人"] == str(people["head"]) == "孙勇（总务主任）" == str(october.prepared_by)
        assert header["日期"] == "2026-11-02"
        assert header["状态"] == "草稿"
        text = pdf_text(october.pdf)
        for word in (school.name, "2026-10", "孙勇（总务主任）", "2026-11-02", "校长签字", "编制人"):
            assert word in text, word
        # the change log a principal has no use for is an appendix, after the plan
        assert text.index("存在问题及下月工作计划") < text.index("附录：系统变更记录")
        codes = [s["code"] for s in october.data if not s.get("appendix")]
        assert "changes" not in codes and october.data[-1]["code"] == "changes"

    def test_carried_over_items_appear_and_disappear_when_resolved(self, school, people, room):
        damage = DamageRecord.objects.create(
            school=school, room=room, description="打碎玻璃", responsible_person="八年级2班", amount="60.00"
        )
        with at(2026, 11, 2, 9, 0):
            report = services.generate(school, OCTOBER)
        texts = [i["text"] for i in report.open_items]
        assert any(damage.reference in t and "60.00" in t and "未缴" in t for t in texts), texts
        assert report.open_items[0]["url"] == damage.get_absolute_url()
        page = Client_for(people["head"]).get(report.get_absolute_url()).content.decode()
        assert 'data-testid="open-item"' in page and damage.reference in page
        DamageRecord.objects.filter(pk=damage.pk).update(paid=True)  # paid (the finance flow sets it)
        with at(2026, 11, 3, 9, 0):
            report = services.generate(school, OCTOBER)
        assert not any(damage.reference in i["text"] for i in report.open_items)
        assert "本月无遗留事项" in Client_for(people["head"]).get(report.get_absolute_url()).content.decode()

    def test_overdue_repair_is_carried_over(self, school, people, room):
        with at(2026, 10, 20, 9, 0):
            ticket = repair_services.create_ticket(
                school=school, user=people["teacher"], room=room, trade=Trade.ELECTRICAL, description="日光灯不亮"
            )
        with at(2026, 11, 2, 9, 0):
            report = services.generate(school, OCTOBER)
        item = next(i for i in report.open_items if ticket.reference in i["text"])
        assert item["area"] == "报修" and "超过目标完成时间" in item["text"]


def Client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


class TestDraftFinalRead:
    def test_head_writes_the_plan_and_makes_it_final_then_the_principal_reads_it(self, school, people, october):
        head, principal = Client_for(people["head"]), Client_for(people["principal"])
        url = f"/reports/{october.pk}/step/finalize/"
        # no plan: refused with a message, nothing changed, the page keeps the form
        response = head.post(url, {"finalize-plan": ""})
        october.refresh_from_db()
        assert response.status_code in (200, 400) and october.status == ReportStatus.DRAFT
        assert 'name="finalize-plan"' in response.content.decode()
        assert "该字段是必填项" in response.content.decode() or "请先填写下月工作计划" in response.content.decode()
        # the principal cannot make it final, nor mark a draft read
        assert principal.post(url, {"finalize-plan": "x"}).status_code == 403
        assert principal.post(f"/reports/{october.pk}/step/mark-read/").status_code in (302, 400, 409)
        october.refresh_from_db()
        assert october.status == ReportStatus.DRAFT
        versions = october.versions.count()
        response = head.post(url, {"finalize-plan": "1. 督促八年级2班缴清赔偿款。\n2. 11月完成冬季消防检查。"})
        assert response.status_code == 302
        october.refresh_from_db()
        assert october.status == ReportStatus.FINAL and october.finalized_at is not None
        assert october.prepared_by == people["head"]
        assert october.versions.count() == versions + 1  # the final document kept as its own version
        assert Notification.objects.filter(recipient=people["principal"], title__startswith="月报已定稿").exists()
        final_text = pdf_text(october.pdf)
        assert "冬季消防检查" in final_text and "已定稿" in final_text
        # a final report is not regenerated (its figures are what was signed)
        head.post("/reports/generate/", {"month": "2026-10"})
        assert october.versions.count() == versions + 1
        # the head cannot mark it read; the principal can, and it is recorded
        assert head.post(f"/reports/{october.pk}/step/mark-read/").status_code == 403
        assert principal.post(f"/reports/{october.pk}/step/mark-read/").status_code == 302
        october.refresh_from_db()
        assert october.status == ReportStatus.READ and october.read_by == people["principal"]
        assert october.read_at is not None
        assert ChangeRecord.objects.filter(object_id=str(october.pk), action="event").exists() or (
            ChangeRecord.objects.filter(object_id=october.pk).count() >= 2
        )
        page = principal.get(october.get_absolute_url()).content.decode()
        assert "校长已阅" in page and 'data-testid="read"' in page
        listing = principal.get("/reports/").content.decode()
        assert "校长已阅" in listing

    def test_not_final_before_the_month_is_over(self, school, people):
        with at(2026, 10, 20, 12, 0):
            report = services.generate(school, OCTOBER)
            response = Client_for(people["head"]).post(
                f"/reports/{report.pk}/step/finalize/", {"finalize-plan": "计划"}
            )
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT
        assert "本月尚未结束" in response.content.decode()

    def test_staff_and_teacher_cannot_finalize(self, school, people, october):
        for who in ("staff", "teacher"):
            response = Client_for(people[who]).post(f"/reports/{october.pk}/step/finalize/", {"finalize-plan": "x"})
            assert response.status_code in (403, 404)
        october.refresh_from_db()
        assert october.status == ReportStatus.DRAFT

    def test_api_steps_and_other_school(self, school, other_school, people, october, api, make_user):
        client = api(people["head"])
        listing = client.get("/api/v1/reports/")
        assert listing.status_code == 200
        row = listing.json()["results"][0]
        assert row["status"] == "draft" and row["prepared_by"] == people["head"].pk
        assert client.post(f"/api/v1/reports/{october.pk}/finalize/", {"plan": ""}, format="json").status_code == 400
        response = client.post(f"/api/v1/reports/{october.pk}/finalize/", {"plan": "下月计划"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "final"
        # the principal of another school sees nothing and cannot mark it read
        stranger = api(make_user(Role.PRINCIPAL, other_school))
        assert stranger.get(f"/api/v1/reports/{october.pk}/").status_code == 404
        assert stranger.post(f"/api/v1/reports/{october.pk}/mark-read/").status_code == 404
        response = api(people["principal"]).post(f"/api/v1/reports/{october.pk}/mark-read/")
        assert response.status_code == 200 and response.json()["status"] == "read"

    def test_list_page_has_the_state_column_and_flat_queries(self, school, people, django_assert_max_num_queries):
        client = Client_for(people["head"])
        with at(2026, 11, 2, 9, 0):
            services.generate(school, datetime.date(2026, 9, 1))
        with django_assert_max_num_queries(12) as few:
            page = client.get("/reports/").content.decode()
        assert "草稿" in page
        with at(2026, 11, 2, 9, 0):
            for month in (5, 6, 7, 8):
                services.generate(school, datetime.date(2026, month, 1))
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get("/reports/")


class TestSchedule:
    def test_made_on_the_first_for_the_month_before_and_caught_up_if_missed(self, school, people):
        entry = settings.CELERY_BEAT_SCHEDULE["monthly-reports"]
        assert entry["args"] == ("monthly-reports",) and entry["schedule"].hour == {6}
        School.objects.update(created=datetime.datetime(2026, 8, 5, tzinfo=CST))
        with at(2026, 11, 1, 6, 0):
            made = generate_monthly_reports()
        assert sorted(r.period.month for r in Report.objects.filter(pk__in=made)) == [8, 9, 10]
        october = Report.objects.get(period=OCTOBER)
        assert not october.is_draft and october.status == ReportStatus.DRAFT  # figures final, plan to write
        assert october.state_label == "草稿（待填写下月计划）"
        assert Notification.objects.filter(recipient=people["principal"]).count() == 3
        # the run on 1 December was missed: the one on the 3rd makes November's, and leaves a final one alone
        october.status = ReportStatus.FINAL
        october.save()
        with at(2026, 12, 3, 6, 0):
            made = generate_monthly_reports()
        assert [r.period for r in Report.objects.filter(pk__in=made)] == [datetime.date(2026, 11, 1)]
        assert ReportVersion.objects.filter(report=october).count() == 1


class TestXlsxAndPdf:
    def test_numbers_are_numbers_and_totals_once_matching_their_rows(self, school, people, room):
        worker = Client_for  # noqa: F841 — keeps the fixture order readable
        with at(2026, 10, 5, 9, 0):
            for trade in (Trade.PLUMBING, Trade.PLUMBING, Trade.ELECTRICAL):
                repair_services.create_ticket(
                    school=school, user=people["teacher"], room=room, trade=trade, description="报修"
                )
        with at(2026, 11, 2, 9, 0):
            report = services.generate(school, OCTOBER)
        workbook = load_workbook(io.BytesIO(report.xlsx.read()))
        summary = workbook.worksheets[0]
        labels = [row[0].value for row in summary.iter_rows()]
        assert "学校" in labels and "编制人" in labels and "校长签字" in labels and "下月工作计划" in labels
        checked = 0
        for sheet in workbook.worksheets[1:]:
            rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
            totals = [r for r in rows if r and r[0] == "合计"]
            assert len(totals) <= 1, sheet.title  # the total once
            for row in rows:
                for value in row:
                    if isinstance(value, str):
                        assert not value.replace(".", "", 1).isdigit(), (sheet.title, value)  # no number as text
            if totals:
                assert rows[-1] is totals[0] or rows[-1] == totals[0]
                body = rows[:-1]
                for col, total in enumerate(totals[0]):
                    if isinstance(total, (int, float, Decimal)) and all(isinstance(r[col], (int, float)) for r in body):
                        assert sum(r[col] for r in body) == total, (sheet.title, col)
                        checked += 1
        assert checked >= 3
        trades = next(ws for ws in workbook.worksheets if "工种" in ws.title)
        values = {r[0]: r[1] for r in trades.iter_rows(min_row=2, values_only=True)}
        assert values["水道"] == 2 and values["电工"] == 1 and values["合计"] == 3
        # a share is a number shown as a percentage, not the text "0%"
        timeliness = next(ws for ws in workbook.worksheets if "及时" in ws.title or "时效" in ws.title)
        shares = [c for row in timeliness.iter_rows(min_row=2) for c in row if c.number_format.endswith("%")]
        assert all(isinstance(c.value, (int, float)) for c in shares)
        assert services._xlsx_value("76%") == Decimal("0.76") and services._xlsx_value("12.5%") == Decimal("0.125")
        assert services._xlsx_value("0123") == "0123" and services._xlsx_value("—") == "—"

    def test_first_page_as_png(self, school, people, room):
        with at(2026, 10, 5, 9, 0):
            repair_services.create_ticket(
                school=school, user=people["teacher"], room=room, trade=Trade.PLUMBING, description="水管漏水"
            )
        with at(2026, 11, 2, 9, 0):
            report = services.generate(school, OCTOBER)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = ARTIFACTS / "report-first-page.pdf"
        report.pdf.open("rb")
        pdf.write_bytes(report.pdf.read())
        report.pdf.close()
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(ARTIFACTS / "report-first-page"),
            ],
            check=True,
        )
        png = ARTIFACTS / "report-first-page.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
        first_page = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "编制人" in first_page and "本月共承接报修单 1 次" in first_page.replace("\n", "")


class TestSummary:
    def test_term_summary_pdf_and_xlsx(self, school, people, room):
        with at(2026, 10, 5, 9, 0):
            repair_services.create_ticket(
                school=school, user=people["teacher"], room=room, trade=Trade.CARPENTRY, description="课桌松动"
            )
        with at(2027, 2, 3, 9, 0):
            client = Client_for(people["principal"])
            page = client.get("/reports/summary/")
            assert page.status_code == 200 and "2026—2027学年第一学期" in page.content.decode()
            response = client.get("/reports/summary/", {"period": "2026-2027-1", "fmt": "pdf"})
            assert response["Content-Type"] == "application/pdf"
            text = subprocess.run(
                ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
            ).stdout.decode()
            assert "学期工作总结" in text and "本学期共承接报修单 1 次" in text.replace("\n", "")
            response = client.get("/reports/summary/", {"period": "2026-2027-1", "fmt": "xlsx"})
            sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
            assert "学期工作总结" in sheet["A1"].value
            # a made-up term is refused with a message, a teacher sees nothing
            bad = client.get("/reports/summary/", {"period": "1999-2000-7", "fmt": "pdf"})
            assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
            assert Client_for(people["teacher"]).get("/reports/summary/").status_code == 403

    def test_term_comparison_words(self):
        term = Period(datetime.date(2026, 9, 1), datetime.date(2027, 2, 1), "term")
        assert term.previous == Period(datetime.date(2026, 2, 1), datetime.date(2026, 9, 1), "term")  # spring
        assert term.previous.previous == Period(datetime.date(2025, 9, 1), datetime.date(2026, 2, 1), "term")
        month = Period(datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
        assert month.previous.start == datetime.date(2025, 12, 1) and month.last_year.start.year == 2025
        assert term.last_year.start == datetime.date(2025, 9, 1)
        with time_machine.travel("2026-10-01"):
            from django.utils import translation

            with translation.override("zh-hans"):
                assert change(30, 27, unit="次", against="上月") == "较上月增加3次（+11.1%）"
                assert change(27, 30, unit="次", against="上月") == "较上月减少3次（−10.0%）"
                assert change(5, 5, against="上月") == "与上月持平"
                assert comparisons(term, "n", {"n": 3}, None, None) == ""  # no data: nothing said


class TestOldReports:
    def test_a_report_made_before_versions_existed_reads(self, school, people):
        old = Report.objects.create(
            school=school,
            period=datetime.date(2026, 3, 1),
            title="旧报表",
            data=[{"title": "报修", "paragraphs": ["三月共报修 3 次"], "tables": []}],
            generated_at=datetime.datetime(2026, 4, 1, 6, 0, tzinfo=CST),
        )
        client = Client_for(people["head"])
        page = client.get(old.get_absolute_url())
        assert page.status_code == 200 and "三月共报修 3 次" in page.content.decode()
        assert "旧报表" in client.get("/reports/").content.decode()
        assert client.get(f"/reports/{old.pk}/pdf/").status_code == 404  # no file: a clear 404, not a crash
        response = client.post(f"/reports/{old.pk}/step/finalize/", {"finalize-plan": "补写计划"})
        old.refresh_from_db()
        assert response.status_code == 302 and old.status == ReportStatus.FINAL and old.pdf
