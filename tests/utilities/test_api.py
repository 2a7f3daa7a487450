"""The API: meters and readings scoped to the school, the reading's create validated by the service, the
``correct`` step, filters, another school's meter refused on write, list query counts pinned."""

import datetime
from decimal import Decimal

import pytest

from logistics.accounts.roles import Role
from utilities import services
from utilities.choices import MeterKind
from utilities.models import Meter, MeterReading, ReadingCorrection

from ..factories import CampusFactory, UserFactory
from ..mixins import APITestCases
from .factories import add_history, make_meter

pytestmark = pytest.mark.django_db

READINGS = "/api/v1/utilities/readings/"


class TestMeterAPI(APITestCases):
    list_url = "/api/v1/utilities/meters/"
    list_queries = 6

    def make_object(self, school):
        return make_meter(school)

    def create_payload(self, school):
        return {"kind": "electricity", "name": "实验楼电表", "campus": CampusFactory(school=school).pk}

    def test_unit_follows_the_kind_and_building_on_the_campus(self, api, school, make_user):
        client = api(make_user(Role.LOGISTICS_STAFF, school))
        campus = CampusFactory(school=school)
        created = client.post(self.list_url, {"kind": "gas", "name": "食堂燃气表", "campus": campus.pk}, format="json")
        assert created.status_code == 201 and created.json()["unit"] == "m³"
        from ..factories import BuildingFactory

        elsewhere = BuildingFactory(school=school, campus=CampusFactory(school=school))
        refused = client.post(
            self.list_url,
            {"kind": "water", "name": "x", "campus": campus.pk, "building": elsewhere.pk},
            format="json",
        )
        assert refused.status_code == 400 and "building" in refused.json()["errors"]


class TestMeterReadingAPI(APITestCases):
    list_url = READINGS
    list_queries = 7
    create_denied_role = Role.PRINCIPAL

    def make_object(self, school):
        (reading,) = add_history(make_meter(school), UserFactory(), [100])
        return reading

    def create_payload(self, school):
        meter = make_meter(school)
        return {
            "meter": meter.pk,
            "month": str(services.last_month()),
            "read_on": str(datetime.date.today()),
            "value": "12.5",
        }

    def test_create_runs_the_rules(self, api, school, people):
        meter = make_meter(school)
        add_history(meter, people.staff, [100] * 3, end=services.months_back(services.last_month(), 2)[0])
        client = api(people.staff)
        body = {"meter": meter.pk, "month": str(services.last_month()), "read_on": str(datetime.date.today())}
        lower = client.post(READINGS, {**body, "value": "1200"}, format="json")
        assert lower.status_code == 400 and "value" in lower.json()["errors"]
        created = client.post(READINGS, {**body, "value": "1450"}, format="json")
        assert created.status_code == 201, created.content
        row = created.json()
        assert (row["consumption"], row["entered_by"], row["status"]) == ("150.00", str(people.staff), "recorded")
        again = client.post(READINGS, {**body, "value": "1500"}, format="json")
        assert again.status_code == 400 and "month" in again.json()["errors"]

    def test_another_schools_meter_refused_on_write(self, api, school, other_school, people):
        theirs = make_meter(other_school)
        client = api(people.staff)
        body = {"meter": theirs.pk, "month": str(services.last_month()), "read_on": str(datetime.date.today())}
        response = client.post(READINGS, {**body, "value": "10", "school": school.pk}, format="json")
        assert response.status_code == 400 and "meter" in response.json()["errors"]
        response = client.post(READINGS, {**body, "value": "10", "school": other_school.pk}, format="json")
        assert response.status_code in (400, 403)
        assert not MeterReading.objects.exists()
        meter_body = {"kind": "water", "name": "越界", "campus": theirs.campus_id}
        assert client.post("/api/v1/utilities/meters/", meter_body, format="json").status_code == 400
        assert api(people.staff).patch(f"/api/v1/utilities/meters/{theirs.pk}/", {"name": "x"}).status_code == 404
        assert Meter.objects.get(pk=theirs.pk).name != "x"

    def test_readings_are_never_edited_or_deleted(self, api, school, people):
        (reading,) = add_history(make_meter(school), people.staff, [100])
        client = api(people.head)
        assert client.patch(f"{READINGS}{reading.pk}/", {"value": "1"}, format="json").status_code == 405
        assert client.delete(f"{READINGS}{reading.pk}/").status_code == 405
        assert MeterReading.objects.get(pk=reading.pk).value == Decimal(1100)

    def test_correct_step(self, api, school, people):
        meter = make_meter(school)
        r1, r2 = add_history(meter, people.staff, [100, 100])
        url = f"{READINGS}{r2.pk}/correct/"
        assert api(people.principal).post(url, {"value": "1150", "reason": "抄错"}, format="json").status_code == 403
        assert api(people.head).post(url, {"value": "1150"}, format="json").status_code == 400
        response = api(people.head).post(url, {"value": "1150", "reason": "抄错"}, format="json")
        assert response.status_code == 200, response.content
        row = response.json()
        assert (row["value"], row["consumption"], row["status"]) == ("1150.00", "50.00", "corrected")
        assert row["corrections"][0]["old_value"] == "1200.00" and row["corrections"][0]["reason"] == "抄错"
        assert ReadingCorrection.objects.filter(reading=r2).count() == 1

    def test_filters(self, api, school, people):
        campus_a, campus_b = CampusFactory(school=school), CampusFactory(school=school)
        water = make_meter(school, campus=campus_a)
        power = make_meter(school, kind=MeterKind.ELECTRICITY, name="电表", campus=campus_b)
        add_history(water, people.staff, [100] * 4)
        add_history(power, people.staff, [100] * 4)
        client = api(people.principal)

        def ids(**params):
            response = client.get(READINGS, params)
            assert response.status_code == 200, response.content
            return {(row["meter"], row["month"]) for row in response.json()["results"]}

        assert {m for m, _ in ids(kind="electricity")} == {power.pk}
        assert {m for m, _ in ids(campus=campus_a.pk)} == {water.pk}
        assert {m for m, _ in ids(meter=power.pk)} == {power.pk}
        last = services.last_month()
        window = ids(month_after=str(services.months_back(last, 2)[0]), month_before=str(last))
        assert {month for _, month in window} == {str(services.months_back(last, 2)[0]), str(last)}
        assert len(window) == 4


class TestMeterReadingAPIRoles:
    def test_district_officer_and_teachers_see_no_readings(self, api, school, people):
        (reading,) = add_history(make_meter(school), people.staff, [100])
        for user in (people.officer, people.teacher, people.parent, people.worker):
            response = api(user).get(READINGS)
            assert response.status_code in (200, 403)
            if response.status_code == 200:
                assert response.json()["results"] == []
            assert api(user).get(f"{READINGS}{reading.pk}/").status_code in (403, 404)
