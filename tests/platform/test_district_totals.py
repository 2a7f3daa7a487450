"""The district page adds up its schools (issue 14): a 全区合计 row, each column the sum of the schools' values."""

import re

import pytest

from logistics.accounts.roles import Role
from logistics.dashboard.views import _number, district_totals

from ..assets.factories import make_asset, make_room
from ..factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_total_row(make_user, login):
    first = SchoolFactory(name="甲校", slug="d-one", code="DA")
    second = SchoolFactory(name="乙校", slug="d-two", code="DB", district=first.district)
    make_asset(first, unit_price="1500.00")
    make_asset(first, unit_price="2500.00")
    make_asset(second, unit_price="1200.00")
    make_room(second)
    officer = make_user(Role.DISTRICT_OFFICER, district=first.district)
    body = login(officer).get("/district/").content.decode()
    total = re.search(r'data-testid="district-total">(.*?)</tr>', body, re.S).group(1)
    cells = re.findall(r"<th[^>]*>(.*?)</th>", total)
    assert cells[0] == "全区合计"
    assert "5,200" in cells  # ledger value: 4,000 + 1,200
    assert "3" in cells  # assets: 2 + 1


def test_only_numbers_are_added_up():
    rows = [("a", ["1,000", "50%", "3"]), ("b", ["2,500", "60%", "—"])]
    assert district_totals(rows, [True, True, True]) == ["3,500", "", ""]
    assert district_totals(rows, [False, True, True]) == ["", "", ""]
    assert _number("007") == 7 and _number(True) is None and _number("abc") is None


def test_school_name_opens_its_dashboard(make_user, login):
    first = SchoolFactory(name="甲校", slug="d-one", code="DA")
    second = SchoolFactory(name="乙校", slug="d-two", code="DB", district=first.district)
    client = login(make_user(Role.DISTRICT_OFFICER, district=first.district))
    body = client.get("/district/").content.decode()
    assert body.count('data-testid="district-school"') == 2
    response = client.post("/school/switch-school/", {"school": second.pk, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["houqin_school_id"] == second.pk
    assert "乙校" in client.get("/").content.decode()
