"""The tableware disinfection log: each method's Rule range, out-of-range flagged (not silently accepted)."""

import datetime

import pytest
from django.urls import reverse

from canteen.models import Disinfection

DISINFECTIONS = "/api/v1/canteen/disinfections/"


def record(school, person, **values):
    data = {"date": datetime.date(2026, 12, 3), "meal": "lunch", "method": "boiling", "temperature": 100, "minutes": 10}
    data.update(values)
    return Disinfection.objects.create(school=school, done_by=person, **data)


class TestDisinfection:
    @pytest.mark.parametrize(
        ("values", "in_range"),
        [
            ({"method": "boiling", "temperature": 100, "minutes": 10}, True),
            ({"method": "boiling", "temperature": 99.5, "minutes": 10}, False),
            ({"method": "boiling", "temperature": 100, "minutes": 9.9}, False),
            ({"method": "steam", "temperature": 100, "minutes": 10}, True),
            ({"method": "infrared", "temperature": 119, "minutes": 15}, False),
            ({"method": "infrared", "temperature": 120, "minutes": 15}, True),
            ({"method": "dishwasher", "temperature": 85, "minutes": 0.7}, True),
            ({"method": "dishwasher", "temperature": 84.9, "minutes": 1}, False),
            ({"method": "chemical", "temperature": None, "minutes": 5, "concentration": 250}, True),
            ({"method": "chemical", "temperature": None, "minutes": 5, "concentration": 200}, False),
        ],
    )
    def test_method_ranges(self, school, people, values, in_range):
        entry = record(school, people.cook, **values)
        assert entry.in_range is in_range
        assert bool(entry.problems) is not in_range

    def test_a_school_rule_moves_the_range(self, school, people):
        from logistics.tenancy import rules

        rules.set_value(school, "canteen.disinfect.dishwasher_celsius", "90")
        school.save()
        assert not record(school, people.cook, method="dishwasher", temperature=85, minutes=1).in_range

    def test_page_flags_out_of_range_and_lists_it(self, login, school, people):
        client = login(people.cook)
        answer = client.post(
            reverse("canteen:disinfection_add"),
            {
                "date": "2026-12-03",
                "meal": "lunch",
                "method": "steam",
                "temperature": "95",
                "minutes": "10",
                "done_by": people.cook.pk,
            },
        )
        assert answer.status_code == 302
        entry = Disinfection.objects.get()
        assert not entry.in_range and "100" in entry.problems and "温度" in entry.problems
        page = client.get(reverse("canteen:disinfection_list")).content.decode()
        assert 'data-testid="out-of-range"' in page
        missing = client.post(
            reverse("canteen:disinfection_add"),
            {"date": "2026-12-03", "meal": "lunch", "method": "chemical", "minutes": "5", "done_by": people.cook.pk},
        )
        assert missing.status_code == 400

    def test_api_create_flags_and_filters(self, api, school, people):
        client = api(people.manager)
        answer = client.post(
            DISINFECTIONS,
            {
                "date": "2026-12-03",
                "meal": "dinner",
                "method": "infrared",
                "temperature": "110",
                "minutes": "20",
                "done_by": people.cook.pk,
            },
            format="json",
        )
        assert answer.status_code == 201, answer.json()
        assert answer.json()["in_range"] is False
        assert client.get(DISINFECTIONS, {"in_range": "false"}).json()["count"] == 1
        assert client.get(DISINFECTIONS, {"method": "steam"}).json()["count"] == 0

    def test_records_are_not_edited_and_other_schools_see_none(self, api, school, people, other_manager):
        entry = record(school, people.cook)
        assert (
            api(people.manager).patch(f"{DISINFECTIONS}{entry.pk}/", {"minutes": "20"}, format="json").status_code
            == 405
        )
        assert api(other_manager).get(DISINFECTIONS).json()["count"] == 0
        assert api(people.teacher).get(DISINFECTIONS).json()["count"] == 0
