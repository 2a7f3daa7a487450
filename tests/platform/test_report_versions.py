"""The monthly report as issue 14 found it: the parts table and its 合计 from the same rows, 合计 a last row (not
a <tfoot> that a printed table repeats at every page break), an unfinished month marked as a draft, every
regeneration kept as its own version with its time, and amounts stored as numbers in the XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from logistics.accounts.roles import Role
from logistics.reports import services
from logistics.reports.models import ReportVersion
from repairs import services as repair_services
from repairs.choices import Trade

pytestmark = pytest.mark.django_db

NOON = datetime.timezone(datetime.timedelta(hours=8))


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=NOON), tick=False)


def parts_table(report):
    section = next(s for s in report.data if s.get("code") == "repairs")
    return next(t for t in section["tables"] if t["headers"][0] == "配件或材料")


class TestReportVersion:
    def test_versions_draft_and_final(self, school, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, school)
        with at(2026, 10, 20, 12, 0):
            draft = services.generate(school, datetime.date(2026, 10, 1), user=head)
        with at(2026, 11, 2, 9, 30):
            final = services.generate(school, datetime.date(2026, 10, 1), user=head)
        assert final.pk == draft.pk
        versions = list(ReportVersion.objects.filter(report=final).order_by("generated_at"))
        assert [v.draft for v in versions] == [True, False]
        assert versions[0].pdf.name != versions[1].pdf.name  # the earlier file is kept, not overwritten
        assert versions[0].pdf.storage.exists(versions[0].pdf.name)
        assert final.pdf.name == versions[1].pdf.name and not final.is_draft
        page = login(head).get(final.get_absolute_url()).content.decode()
        assert page.count('data-testid="version"') == 2 and "2026-10-20 12:00:00" in page
        response = login(head).get(f"/reports/{final.pk}/versions/{versions[0].pk}/pdf/")
        assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"%PDF"
        # the draft's XLSX says so on its first sheet
        sheet = load_workbook(io.BytesIO(versions[0].xlsx.read())).worksheets[0]
        assert "草稿" in sheet["A2"].value

    def test_other_school_cannot_read_a_version(self, school, other_school, make_user, login):
        report = services.generate(other_school, datetime.date(2026, 10, 1))
        version = report.versions.get()
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        assert client.get(f"/reports/{report.pk}/versions/{version.pk}/pdf/").status_code == 404

    def test_parts_total_matches_its_rows_and_amounts_are_numbers(self, school, room, make_user, login):
        head = make_user(Role.LOGISTICS_HEAD, school)
        worker = make_user(Role.REPAIR_WORKER, school, trades="plumbing")
        teacher = make_user(Role.TEACHER, school)
        # a ticket filed in September, its parts recorded in October (the empty table with 合计 775)
        with at(2026, 9, 28, 10, 0):
            ticket = repair_services.create_ticket(
                school=school, user=teacher, room=room, trade=Trade.PLUMBING, description="水管漏水"
            )
            repair_services.assign(ticket, head, [worker])
            repair_services.start(ticket, worker)
        with at(2026, 10, 3, 10, 0):
            repair_services.add_part(ticket, worker, "水龙头", quantity=11, unit="个", unit_cost="35")
            wrong = repair_services.add_part(ticket, worker, "阀门", quantity=1, unit="个", unit_cost="390")
            repair_services.reverse_part(ticket, worker, wrong, "录错")
        with at(2026, 11, 2, 9, 0):
            october = services.generate(school, datetime.date(2026, 10, 1))
            september = services.generate(school, datetime.date(2026, 9, 1))
        table = parts_table(october)
        assert table["rows"] == [["水龙头", "11", "个", "385.00"]]  # the reversed part is not there
        assert table["footer"][-1] == "385.00" == str(sum(Decimal(r[-1]) for r in table["rows"]))
        empty = parts_table(september)
        assert empty["rows"] == [] and empty["footer"][-1] == "0"
        # 合计 is the table's last row, not a <tfoot>
        html = login(head).get(october.get_absolute_url()).content.decode()
        assert "<tfoot>" not in html and 'data-testid="table-total"' in html
        # the XLSX stores amounts and quantities as numbers
        workbook = load_workbook(io.BytesIO(october.xlsx.read()))
        sheet = next(ws for ws in workbook.worksheets if "配件" in ws.title)
        assert sheet["B2"].value == 11 and sheet["D2"].value == 385 and sheet["D3"].value == 385
        assert isinstance(sheet["D2"].value, (int, float))
        assert sheet["A2"].value == "水龙头"  # text stays text
