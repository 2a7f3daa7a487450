"""The principal's area cards: each figure now and last month, linked to the list behind it, a chart of six
months, how fresh the figures are; kept in the cache so that the page stays cheap."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.dashboard import figures
from logistics.dashboard.metrics import add_months, first_of_month

from ..repairs.factories import TicketFactory

pytestmark = pytest.mark.django_db


def _card(body, area):
    return re.search(r'data-area="' + area + r'">(.*?)</dl>', body, re.S).group(1)


def test_cards_with_figures_links_and_a_chart(school, make_user, login):
    today = timezone.localdate()
    last = add_months(first_of_month(today), -1)
    moment = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=2), datetime.time(9)))
    for _i in range(3):
        TicketFactory(school=school, submitted_at=moment)
    body = login(make_user(Role.PRINCIPAL, school)).get("/").content.decode()
    repairs = _card(body, "repairs")
    assert "受理报修" in repairs and "上月 3" in repairs
    # last month's figure links to last month's tickets
    assert f"submitted_after={last.isoformat()}" in repairs
    assert 'data-chart="chart-repairs"' in repairs
    assert re.search(r'<script id="chart-repairs" type="application/json">.*"data": \[[^\]]*3', body)
    assert 'data-testid="freshness"' in body and "数据计算于" in body
    assert "vendor/chartjs/chart.umd.min.js" in body


def test_nothing_recorded_is_shown_as_missing(school, make_user, login):
    body = login(make_user(Role.PRINCIPAL, school)).get("/").content.decode()
    canteen = _card(body, "canteen")
    assert 'title="未登记"' in canteen and "0.0%" not in canteen


def test_each_role_sees_only_its_areas(school, make_user, login):
    finance = login(make_user(Role.FINANCE_OFFICER, school)).get("/").content.decode()
    assert 'data-area="finance"' in finance and 'data-area="canteen"' not in finance
    teacher = login(make_user(Role.TEACHER, school)).get("/").content.decode()
    assert 'data-testid="area-cards"' not in teacher


def test_the_figures_are_kept_and_the_page_says_how_fresh(school, make_user, login, settings):
    settings.DASHBOARD_FIGURES_SECONDS = 600
    client = login(make_user(Role.PRINCIPAL, school))
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    with CaptureQueriesContext(connection) as fresh:
        client.get("/?fresh=1")
    assert len(warm) < len(fresh) - 20  # the series come from the cache
    before, computed_at, _months = figures.school_series(school.pk, ["repairs"])
    TicketFactory(school=school)
    kept, kept_at, _months = figures.school_series(school.pk, ["repairs"])
    assert kept == before and kept_at == computed_at  # still the kept figures, and when they were computed
    data, computed_at, _months = figures.school_series(school.pk, ["repairs"], fresh=True)
    assert data["repairs.received"][-1] == 1 and computed_at > kept_at


def test_page_queries_do_not_grow_with_rows(school, make_user, login, settings, django_assert_max_num_queries):
    settings.DASHBOARD_FIGURES_SECONDS = 0  # every figure computed on each request
    settings.DASHBOARD_PAST_MONTHS_SECONDS = 0
    client = login(make_user(Role.PRINCIPAL, school))
    client.get("/")
    client.get("/")  # every per-process cache warm (a school read once is kept)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _i in range(20):
        TicketFactory(school=school)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) <= len(few)
    settings.DASHBOARD_FIGURES_SECONDS = 600
    settings.DASHBOARD_PAST_MONTHS_SECONDS = 3600
    client.get("/")
    with django_assert_max_num_queries(60):  # needs-me, overdue counts and every app's widgets; series cached
        client.get("/")


def test_months_that_are_over_are_kept_longer(school, make_user, login, settings):
    settings.DASHBOARD_FIGURES_SECONDS = 0  # the current month computed on every request
    settings.DASHBOARD_PAST_MONTHS_SECONDS = 3600
    client = login(make_user(Role.PRINCIPAL, school))
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) < len(first) - 20  # five months of six came from the cache
    last = add_months(first_of_month(timezone.localdate()), -1)
    moment = timezone.make_aware(datetime.datetime.combine(last, datetime.time(9)))
    TicketFactory(school=school, submitted_at=moment)
    data, _at, _months = figures.school_series(school.pk, ["repairs"], fresh=True)
    assert data["repairs.received"][-2] == 1  # "compute again" recomputes the past months too


def test_a_widget_of_the_schools_figures_is_not_on_a_parents_or_teachers_home(school, make_user, login):
    """Parents and teachers hold the fee board's permission for the published board only: the fees
    widget's counts (versions awaiting approval, consents the school waits for) are not theirs to see."""
    shown = {}
    for role in (Role.PARENT, Role.TEACHER, Role.FINANCE_OFFICER, Role.GUARD):
        shown[role] = login(make_user(role, school)).get("/").content.decode()
    assert 'data-widget="finance"' not in shown[Role.PARENT] and 'data-widget="finance"' not in shown[Role.TEACHER]
    assert 'data-widget="finance"' in shown[Role.FINANCE_OFFICER]
    assert 'data-widget="safety"' in shown[Role.GUARD]  # the guard's own work (rounds, who is inside) stays
