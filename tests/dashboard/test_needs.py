"""What needs me now: each user sees exactly the records waiting for a step they may take now (the step
panel's own checks), one tap from their page; overdue items by area; queries flat in the rows waiting."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets import services as asset_services
from logistics.accounts.roles import Role
from logistics.corrective.services import open_action
from logistics.dashboard import needs
from logistics.workflow import guard
from safety.models import Hazard

from ..assets.factories import make_asset
from ..repairs.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(school, make_user):
    return {
        "principal": make_user(Role.PRINCIPAL, school, username="principal"),
        "head": make_user(Role.LOGISTICS_HEAD, school, username="head"),
        "staff": make_user(Role.LOGISTICS_STAFF, school, username="staff"),
        "teacher": make_user(Role.TEACHER, school, username="teacher"),
    }


def _disposal(school, staff, reason="主板损坏，无维修价值"):
    return asset_services.request_disposal(assets=[make_asset(school)], user=staff, reason=reason)


def _queue(entries, code):
    return next((e for e in entries if e["queue"].code == code), None)


def test_disposal_waits_for_the_head_then_for_the_principal(school, team):
    request = _disposal(school, team["staff"])
    head_sees = _queue(needs.waiting_for(school, team["head"]), "assets.disposal")
    assert head_sees["count"] == 1 and head_sees["items"][0]["url"] == request.get_absolute_url()
    assert _queue(needs.waiting_for(school, team["principal"]), "assets.disposal") is None

    asset_services.approve_disposal_head(request=request, user=team["head"])
    principal_sees = _queue(needs.waiting_for(school, team["principal"]), "assets.disposal")
    assert [i["text"] for i in principal_sees["items"]] == [request.reference]
    assert str(principal_sees["items"][0]["step"]) == str(guard.allowed_steps(team["principal"], request)[0].label)
    # the head approved already: nothing left for the head (rejecting is not "waiting for me")
    assert _queue(needs.waiting_for(school, team["head"]), "assets.disposal") is None
    assert needs.waiting_for(school, team["teacher"]) == []


def test_only_what_the_step_panel_allows(school, team):
    """Every record listed for the principal is one whose page offers the principal a step now."""
    first = _disposal(school, team["staff"])
    second = _disposal(school, team["staff"], reason="屏幕老化")
    asset_services.approve_disposal_head(request=first, user=team["head"])
    listed = _queue(needs.waiting_for(school, team["principal"]), "assets.disposal")["items"]
    assert [i["text"] for i in listed] == [first.reference]
    assert guard.allowed_steps(team["principal"], first)
    assert not [s for s in guard.allowed_steps(team["principal"], second) if s.name.startswith("approve")]


def test_another_schools_records_never_show(school, other_school, team, make_user):
    request = _disposal(other_school, make_user(Role.LOGISTICS_STAFF, other_school))
    asset_services.approve_disposal_head(request=request, user=make_user(Role.LOGISTICS_HEAD, other_school))
    assert _queue(needs.waiting_for(school, team["principal"]), "assets.disposal") is None
    # a principal of both schools sees it only in that school
    both = team["principal"]
    from logistics.tenancy.models import Membership

    Membership.objects.create(user=both, school=other_school, role=Role.PRINCIPAL)
    both = type(both).objects.get(pk=both.pk)  # memberships are read once per user object
    assert _queue(needs.waiting_for(other_school, both), "assets.disposal")["count"] == 1
    assert _queue(needs.waiting_for(school, both), "assets.disposal") is None


def _major(school, team, rectified_by):
    action = open_action(school=school, actor=team["head"], origin="safety.hazard", title="配电房漏水", level="major")
    hazard = Hazard.objects.get(pk=action.pk)
    guard.run(
        hazard,
        "assign",
        team["head"],
        owner=team["staff"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        measures="更换防水层",
        contingency_plan="断电并设警戒线",
    )
    guard.run(hazard, "rectify", rectified_by, rectification="已更换")
    return hazard


def test_major_hazard_waits_for_verification_but_not_by_who_rectified_it(school, team):
    hazard = _major(school, team, rectified_by=team["head"])
    principal = _queue(needs.waiting_for(school, team["principal"]), "safety.major_hazard")
    assert principal["count"] == 1 and principal["items"][0]["url"] == hazard.get_absolute_url()
    # the head recorded the rectification: the verify step refuses them, so it does not wait for them
    assert _queue(needs.waiting_for(school, team["head"]), "safety.major_hazard") is None


def test_a_general_hazard_is_not_the_principals(school, team):
    action = open_action(school=school, actor=team["head"], origin="safety.hazard", title="楼梯扶手松动")
    hazard = Hazard.objects.get(pk=action.pk)
    guard.run(
        hazard,
        "assign",
        team["head"],
        owner=team["staff"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        measures="紧固",
    )
    guard.run(hazard, "rectify", team["staff"], rectification="已紧固")
    assert _queue(needs.waiting_for(school, team["principal"]), "safety.major_hazard") is None


def test_the_page_lists_them_first_one_tap_from_their_page(school, team, login):
    request = _disposal(school, team["staff"])
    asset_services.approve_disposal_head(request=request, user=team["head"])
    body = login(team["principal"]).get("/").content.decode()
    assert body.index('data-testid="needs-me"') < body.index('data-testid="dashboard"')
    assert f'href="{request.get_absolute_url()}" data-testid="needs-item"' in body
    assert "待审批的资产处置" in body
    teacher = login(team["teacher"]).get("/").content.decode()
    assert 'data-testid="needs-me"' not in teacher


def test_overdue_by_area(school, team, login):
    late = timezone.now() - datetime.timedelta(days=5)
    TicketFactory(school=school, submitted_at=late, target_at=late + datetime.timedelta(hours=24))
    TicketFactory(school=school)  # not yet due
    rows = needs.overdue_counts(school, team["principal"])
    repairs = next(r for r in rows if r["provider"].code == "repairs.past_target")
    assert repairs["count"] == 1
    listed = login(team["principal"]).get(repairs["url"])
    assert listed.status_code == 200
    assert listed.content.decode().count('href="/repairs/tickets/') >= 1
    assert needs.overdue_counts(school, team["teacher"]) == []


def test_queries_do_not_grow_with_the_rows_waiting(school, team, login, settings):
    settings.DASHBOARD_FIGURES_SECONDS = 0
    settings.DASHBOARD_NEEDS_SECONDS = 0  # computed on every request (the kept lists: test_needs_kept…)
    settings.DASHBOARD_PAST_MONTHS_SECONDS = 0
    client = login(team["principal"])
    request = _disposal(school, team["staff"])
    asset_services.approve_disposal_head(request=request, user=team["head"])
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(7):
        more = _disposal(school, team["staff"], reason=f"报废 {n}")
        asset_services.approve_disposal_head(request=more, user=team["head"])
    client.get("/")  # warm again: the new requests' notifications made the bell count be read afresh
    with CaptureQueriesContext(connection) as many:
        body = client.get("/").content.decode()
    assert body.count('data-testid="needs-item"') == needs.SHOWN
    assert len(many) <= len(one) + 1  # the count of those not shown


def test_the_page_is_kept_whole_and_left_at_once_when_what_waits_changes(school, team, login):
    """``HomeView`` keeps the whole page under the school's version of what waits: a second view renders
    nothing; an approval given elsewhere (a watched save bumps the version) is a new page at once."""
    request = _disposal(school, team["staff"])
    client = login(team["principal"])
    first = client.get("/").content.decode()
    assert f'href="{request.get_absolute_url()}" data-testid="needs-item"' not in first  # the head's turn
    with CaptureQueriesContext(connection) as kept:
        assert client.get("/").content.decode() == first
    assert len(kept) <= 4  # session, user, memberships — no panel, no figure, no template
    asset_services.approve_disposal_head(request=request, user=team["head"])
    client.get("/")  # the new notification's page (the bell moved)
    body = client.get("/").content.decode()
    assert f'href="{request.get_absolute_url()}" data-testid="needs-item"' in body
    with CaptureQueriesContext(connection) as fresh:
        client.get("/?fresh=1")
    assert len(fresh) > len(kept) + 5  # computed afresh, never from the kept page
