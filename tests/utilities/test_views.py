"""The pages: meters and readings lists (scoped, pinned query counts), the meter's chart and table, the
month's entry form (all or nothing, input kept), role visibility, the widget and the report section."""

import datetime
import json
import re
from decimal import Decimal

import pytest

from utilities import services
from utilities.choices import MeterKind
from utilities.models import MeterReading
from utilities.report import UtilitiesSection
from utilities.widgets import UtilitiesWidget

from ..factories import CampusFactory, GradeFactory, SchoolClassFactory, StudentFactory
from ..mixins import ViewTestCases
from .factories import add_history, make_meter

pytestmark = pytest.mark.django_db


class TestMeterViews(ViewTestCases):
    list_url = "/utilities/meters/"
    list_queries = 10
    detail_queries = 12

    def make_object(self, school):
        return make_meter(school)

    def test_list_shows_latest_use_and_flag(self, school, people, login):
        meter = make_meter(school, name="总水表")
        add_history(meter, people.staff, [100] * 12 + [400])
        body = login(people.principal).get(self.list_url).content.decode()
        assert "400.00 m³" in body and 'data-testid="flag"' in body


class TestMeterReadingViews(ViewTestCases):
    list_url = "/utilities/readings/"
    list_queries = 10
    detail_queries = 10

    def make_object(self, school):
        from ..factories import UserFactory

        meter = make_meter(school)
        (reading,) = add_history(meter, UserFactory(), [100])
        return reading

    def row_text(self, obj):
        return obj.get_absolute_url()


class TestMeterDetail:
    def test_chart_of_24_months_and_table_fallback(self, school, people, login):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 30 + [300])
        body = login(people.head).get(meter.get_absolute_url()).content.decode()
        config = json.loads(
            re.search(r'<script id="meter-chart" type="application/json">(.*?)</script>', body).group(1)
        )
        assert len(config["data"]["labels"]) == 24
        assert config["data"]["labels"][-1] == f"{services.last_month():%Y-%m}"
        assert config["data"]["datasets"][0]["data"][-1] == 300.0
        assert config["data"]["datasets"][0]["backgroundColor"][-1] == "#dc3545"  # flagged month in red
        assert body.count("<tr>") >= 24  # the same months as a table
        assert "chart.umd.min.js" in body


class TestMeterReadingEntry:
    url = "/utilities/enter/"

    def setup_meters(self, school, people):
        campus = CampusFactory(school=school, name="本部")
        water = make_meter(school, name="总水表", campus=campus)
        power = make_meter(school, kind=MeterKind.ELECTRICITY, name="总电表", campus=campus)
        end = services.months_back(services.last_month(), 2)[0]
        add_history(water, people.staff, [100] * 3, end=end)  # value 1300
        add_history(power, people.staff, [1000] * 3, end=end)  # value 4000
        return campus, water, power

    def post(self, client, campus, rows):
        data = {"campus": campus.pk, "month": f"{services.last_month():%Y-%m}", "read_on": str(datetime.date.today())}
        for meter, values in rows.items():
            for key, value in values.items():
                data[f"m{meter.pk}-{key}"] = value
        return client.post(self.url, data)

    def test_all_or_nothing_and_the_input_is_kept(self, school, people, login):
        campus, water, power = self.setup_meters(school, people)
        client = login(people.staff)
        page = client.get(self.url, {"campus": campus.pk})
        assert page.status_code == 200 and page.content.decode().count('data-testid="meter-line"') == 2
        refused = self.post(client, campus, {water: {"value": "1250"}, power: {"value": "4800"}})
        assert refused.status_code == 400
        body = refused.content.decode()
        assert "低于上次读数" in body and 'value="4800"' in body and 'value="1250"' in body
        assert not MeterReading.objects.filter(month=services.last_month()).exists()
        saved = self.post(
            client,
            campus,
            {water: {"value": "1250", "replacement": "on", "reason": "换表"}, power: {"value": "4800"}},
        )
        assert saved.status_code == 302
        readings = {r.meter_id: r for r in MeterReading.objects.filter(month=services.last_month())}
        assert readings[water.pk].consumption == Decimal(1250) and readings[water.pk].replacement
        assert readings[power.pk].consumption == Decimal(800) and readings[power.pk].entered_by == people.staff
        again = client.get(self.url, {"campus": campus.pk}).content.decode()
        assert again.count('data-testid="done"') == 2

    def test_who_may_enter(self, school, people, login):
        campus, water, _power = self.setup_meters(school, people)
        assert login(people.head).get(self.url).status_code == 200
        for user in (people.principal, people.teacher, people.parent, people.officer):
            assert login(user).get(self.url).status_code == 403
        response = self.post(login(people.principal), campus, {water: {"value": "1400"}})
        assert response.status_code == 403
        assert not MeterReading.objects.filter(month=services.last_month()).exists()

    def test_another_schools_campus_is_refused(self, school, people, login, other_school):
        campus = CampusFactory(school=other_school, name="外校")
        theirs = make_meter(other_school, campus=campus)
        response = self.post(login(people.staff), campus, {theirs: {"value": "5"}})
        assert response.status_code == 400
        assert not MeterReading.objects.filter(meter=theirs).exists()


class TestMeterVisibility:
    def test_roles(self, school, people, login):
        meter = make_meter(school)
        (reading,) = add_history(meter, people.staff, [100])
        for user in (people.head, people.staff, people.principal):
            client = login(user)
            assert client.get("/utilities/meters/").status_code == 200
            assert client.get(meter.get_absolute_url()).status_code == 200
            assert client.get(reading.get_absolute_url()).status_code == 200
        for user in (people.teacher, people.worker, people.finance, people.parent, people.officer):
            client = login(user)
            assert meter.get_absolute_url() not in client.get("/utilities/meters/").content.decode()
            assert client.get(meter.get_absolute_url()).status_code == 404
            assert client.get(reading.get_absolute_url()).status_code == 404

    def test_only_logistics_edit_meters(self, school, people, login):
        meter = make_meter(school)
        assert login(people.staff).get(f"/utilities/meters/{meter.pk}/edit/").status_code == 200
        assert login(people.principal).get(f"/utilities/meters/{meter.pk}/edit/").status_code == 404

    def test_correct_step_page(self, school, people, login):
        meter = make_meter(school)
        r1, r2 = add_history(meter, people.staff, [100, 100])
        url = f"/utilities/readings/{r2.pk}/correct/"
        assert login(people.principal).get(url).status_code == 403
        client = login(people.head)
        bad = client.post(url, {"correct-value": "1050", "correct-reason": "抄错"})
        assert bad.status_code == 400 and "低于上次读数" in bad.content.decode()
        ok = client.post(url, {"correct-value": "1150", "correct-reason": "抄错"})
        assert ok.status_code == 302
        r2.refresh_from_db()
        assert (r2.value, r2.consumption) == (Decimal(1150), Decimal(50))
        detail = client.get(r2.get_absolute_url()).content.decode()
        assert "1200.00" in detail and "抄错" in detail  # the original stays on the correction


class TestUtilitiesFigures:
    def test_widget_and_district(self, school, people, other_school):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 12 + [400])
        context = UtilitiesWidget().context(school, people.principal)
        assert context["flagged"] == 1 and context["kinds"][0]["use"] == "400"
        values = UtilitiesWidget().district_values([school, other_school])
        assert values[school.pk]["water"] == "400" and values[school.pk]["flagged"] == 1
        assert values[other_school.pk] == {"water": "—", "electricity": "—", "gas": "—", "flagged": "—"}

    def test_report_narrative_equals_its_tables(self, school, people):
        cls = SchoolClassFactory(school=school, grade=GradeFactory(school=school))
        for _n in range(4):
            StudentFactory(school=school, school_class=cls)
        water = make_meter(school)
        power = make_meter(school, kind=MeterKind.ELECTRICITY, name="总电表", campus=water.campus)
        uses = [100] * 11 + [200, 150, 600]  # same month last year 100, previous month 150, this month 600
        add_history(water, people.staff, uses)
        add_history(power, people.staff, [1000] * 14)
        month = services.last_month()
        data = UtilitiesSection().build(school, month, month.replace(day=28))
        per_kind = data.tables[0]
        water_row = next(row for row in per_kind.rows if row[0] == str(MeterKind.WATER.label))
        use, per_student, previous, change_prev, last_year, change_year = (water_row[i] for i in (2, 3, 4, 5, 6, 7))
        assert (use, previous, last_year) == (600.0, 150.0, 100.0)
        assert per_student == 150.0 and per_kind.footer[1] == 4
        assert change_prev == 300.0 and change_year == 500.0
        text = data.paragraphs[0]
        for figure in ("600", f"{per_student}", f"{change_prev}", f"{change_year}"):
            assert figure in text, (figure, text)
        flagged = data.tables[1].rows
        assert [row[0] for row in flagged] == [str(water)] and str(water) in text
        assert sum(row[4] for row in data.tables[2].rows if row[4] != "—") == use + 1000.0
