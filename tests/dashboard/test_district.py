"""The district comparison: a chosen period, totals and median, missing not zero, sortable, XLSX with
numbers, queries flat in the number of schools."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from canteen import services as canteen_services
from logistics.accounts.roles import Role
from logistics.dashboard import metrics
from logistics.dashboard.district import comparison
from logistics.dashboard.metrics import add_months, first_of_month, median

from ..canteen.conftest import make_meal
from ..factories import SchoolFactory
from ..repairs.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_median_of_odd_and_even_counts():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([None, 5, None]) == 5  # the missing are left out, not counted as zero
    assert median([None]) is None and median([]) is None


@pytest.fixture
def district(make_user):
    first = SchoolFactory(name="甲校", slug="c-one", code="CA")
    second = SchoolFactory(name="乙校", slug="c-two", code="CB", district=first.district)
    officer = make_user(Role.DISTRICT_OFFICER, district=first.district)
    return first, second, officer


def _moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _tickets(school, day, on_time, late):
    for _i in range(on_time):
        TicketFactory(
            school=school,
            status="done",
            submitted_at=_moment(day, 8),
            target_at=_moment(day, 20),
            done_at=_moment(day, 12),
        )
    for _i in range(late):
        TicketFactory(
            school=school,
            status="done",
            submitted_at=_moment(day, 8),
            target_at=_moment(day, 9),
            done_at=_moment(day, 12),
        )


def _row(body, name):
    match = re.search(r"<tr data-school=\"\d+\">(?:(?!</tr>).)*?" + name + r"(.*?)</tr>", body, re.S)
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def _column(body, code):
    header = re.search(r'data-testid="comparison-table">.*?</thead>', body, re.S).group(0)
    codes = re.findall(r'data-column="([^"]+)"', header)
    return codes.index(code)


def test_missing_is_not_zero_and_the_total_counts_only_what_was_recorded(district, login):
    first, second, officer = district
    last_month = add_months(first_of_month(timezone.localdate()), -1)
    _tickets(first, last_month + datetime.timedelta(days=3), on_time=3, late=1)
    third = SchoolFactory(name="丙校", slug="c-three", code="CC", district=first.district)
    _tickets(third, last_month + datetime.timedelta(days=4), on_time=0, late=2)
    body = login(officer).get("/district/").content.decode()
    index = _column(body, "repairs.on_time")
    assert _row(body, "甲校")[index] == "75.0%"
    assert _row(body, "丙校")[index] == "0.0%"  # recorded, and none on time: zero
    assert "—" in _row(body, "乙校")[index]  # nothing recorded: missing
    total = re.search(r'data-testid="comparison-total">(.*?)</tr>', body, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", total)[index] == "50.0%"  # (3 + 0) / (4 + 2), not a mean of rates
    middle = re.search(r'data-testid="comparison-median">(.*?)</tr>', body, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", middle)[index] == "37.5%"  # of 75 % and 0 %; the missing left out


def test_the_period_changes_the_figures(district, login):
    first, _second, officer = district
    today = timezone.localdate()
    this_month = first_of_month(today)
    last_month = add_months(this_month, -1)
    _tickets(first, last_month + datetime.timedelta(days=2), on_time=1, late=0)
    _tickets(first, this_month, on_time=0, late=1)
    client = login(officer)
    month = client.get("/district/", {"kind": "month", "month": last_month.strftime("%Y-%m")}).content.decode()
    index = _column(month, "repairs.on_time")
    assert _row(month, "甲校")[index] == "100.0%"
    now = client.get("/district/", {"kind": "month", "month": this_month.strftime("%Y-%m")}).content.decode()
    assert _row(now, "甲校")[index] == "0.0%"
    both = client.get(
        "/district/", {"kind": "custom", "start": last_month.isoformat(), "end": today.isoformat()}
    ).content.decode()
    assert _row(both, "甲校")[index] == "50.0%"
    assert f"{last_month.isoformat()} 至 {today.isoformat()}" in both


def test_a_wrong_range_is_answered_in_chinese_and_kept(district, login):
    _first, _second, officer = district
    response = login(officer).get("/district/", {"kind": "custom", "start": "2026-11-20", "end": "2026-11-02"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "结束日期早于开始日期" in body
    assert 'value="2026-11-20"' in body and 'value="2026-11-02"' in body


def test_term_and_year_choices(district, login):
    _first, _second, officer = district
    client = login(officer)
    term = client.get("/district/", {"kind": "term"}).content.decode()
    year = client.get("/district/", {"kind": "year"}).content.decode()
    assert "学期" in re.search(r"<h2 class=\"h5\">(.*?)</h2>", term).group(1)
    assert "学年" in re.search(r"<h2 class=\"h5\">(.*?)</h2>", year).group(1)


def test_samples_per_served_dish_missing_where_nothing_served(district, login, make_user):
    first, second, officer = district
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    cook = make_user(Role.CANTEEN_STAFF, first)
    meal = make_meal(first, day=yesterday)
    dishes = list(meal.dishes.order_by("position"))
    canteen_services.record_sample(dish=dishes[0], actor=cook, weight_grams=150)
    data = comparison(officer, [first, second], first_of_month(yesterday), add_months(first_of_month(yesterday), 1))
    index = [m.code for m in data["columns"]].index("canteen.samples")
    cells = {row["school"].pk: row["cells"][index] for row in data["rows"]}
    assert cells[first.pk]["value"] == (1, len(dishes))
    assert cells[second.pk]["missing"] and cells[second.pk]["text"] == "—"


def test_sorting_keeps_the_missing_last(district, login):
    first, second, officer = district
    third = SchoolFactory(name="丙校", slug="c-three", code="CC", district=first.district)
    day = add_months(first_of_month(timezone.localdate()), -1) + datetime.timedelta(days=5)
    _tickets(first, day, on_time=1, late=1)
    _tickets(third, day, on_time=1, late=0)
    client = login(officer)
    for order in ("repairs.on_time", "-repairs.on_time"):
        body = client.get("/district/", {"sort": order}).content.decode()
        names = re.findall(r'data-testid="comparison-school"[^>]*>(.*?)</button>', body)
        expected = ["甲校", "丙校"] if order == "repairs.on_time" else ["丙校", "甲校"]
        assert names == [*expected, "乙校"]


def test_xlsx_has_numbers(district, login):
    first, _second, officer = district
    day = add_months(first_of_month(timezone.localdate()), -1) + datetime.timedelta(days=5)
    _tickets(first, day, on_time=3, late=1)
    response = login(officer).get("/district/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "学校")
    column = header.index(str(metrics_label("repairs.on_time")))
    by_school = {r[0]: r for r in rows if r and r[0] in ("甲校", "乙校")}
    assert by_school["甲校"][column] == 0.75
    assert by_school["乙校"][column] is None  # missing: an empty cell, not 0
    cell = next(c for c in sheet.iter_rows() if c[0].value == "甲校")[column]
    assert cell.number_format == "0.0%"
    total = next(r for r in rows if r and r[0] == "全区合计")
    assert total[column] == 0.75


def metrics_label(code):
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(next(m for m in metrics.metrics() if m.code == code).label)


def test_supervised_major_hazards_across_schools(district, login, make_user):
    from logistics.corrective.services import open_action

    first, second, officer = district
    head = make_user(Role.LOGISTICS_HEAD, second)
    open_action(school=second, actor=head, origin="safety.hazard", title="围墙倾斜", level="major")
    open_action(school=first, actor=make_user(Role.LOGISTICS_HEAD, first), origin="safety.hazard", title="一般隐患")
    body = login(officer).get("/district/").content.decode()
    section = re.search(r'data-testid="district-list-safety.supervised">(.*?)</section>', body, re.S).group(1)
    assert "围墙倾斜" in section and "乙校" in section and "一般隐患" not in section
    # the record opens from whatever school the officer is in: the link switches to its school first
    hazard_url = re.search(r'name="next" value="([^"]+)"', section).group(1)
    school_id = re.search(r'name="school" value="(\d+)"', section).group(1)
    client = login(officer)
    assert int(school_id) == second.pk
    opened = client.post(reverse("tenancy:switch_school"), {"school": school_id, "next": hazard_url}, follow=True)
    assert opened.status_code == 200 and "围墙倾斜" in opened.content.decode()


def test_queries_flat_in_the_number_of_schools(district, login, settings):
    settings.DASHBOARD_FIGURES_SECONDS = 0  # computed on every request: nothing hidden by the cache
    first, second, officer = district
    day = add_months(first_of_month(timezone.localdate()), -1) + datetime.timedelta(days=5)
    _tickets(first, day, on_time=1, late=1)
    client = login(officer)
    client.get("/district/")
    with CaptureQueriesContext(connection) as two:
        client.get("/district/")
    for n in range(4):
        school = SchoolFactory(name=f"新校{n}", slug=f"c-new-{n}", code=f"CN{n}", district=first.district)
        _tickets(school, day, on_time=1, late=0)
    client.get("/district/")  # the menu's cache follows the officer's schools
    with CaptureQueriesContext(connection) as six:
        body = client.get("/district/").content.decode()
    assert body.count('data-testid="comparison-school"') == 6
    assert len(six) == len(two)
    assert len(six) <= 60


def test_the_page_is_kept_whole_under_the_schools_versions(district, login):
    """A second view of the same period renders nothing; a change of what waits in any shown school (its
    version bumped, as every save of a watched record does) is a new page at once; an export is never kept."""
    from logistics.dashboard import needs

    first, _second, officer = district
    client = login(officer)
    page = client.get("/district/").content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert client.get("/district/").content.decode() == page
    needs.bump(first.pk)
    with CaptureQueriesContext(connection) as again:
        client.get("/district/")
    assert len(again) > len(kept)
    assert client.get("/district/?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
