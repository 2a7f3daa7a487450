"""On a guard's phone: a round walked with the network cut halfway — the scans are kept on the phone,
the page still opens from the service worker, and the round is complete once the network is back
(each scan counted once)."""

import datetime

import pytest
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from safety import rounds
from safety.choices import RoundStatus
from safety.models import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, Route, RouteStop

from ..factories import SchoolFactory, UserFactory
from .conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def walk(db):
    school = SchoolFactory(name="第一中学", slug="e2e-safety")
    guard_user = UserFactory(username="e2e-guard")
    Membership.objects.create(user=guard_user, school=school, role=Role.GUARD)
    route = Route.objects.create(school=school, name="夜间巡更", min_seconds_between=0)
    for position, name in enumerate(("校门", "教学楼", "宿舍楼", "配电房"), start=1):
        checkpoint = Checkpoint.objects.create(school=school, name=name, spot=name)
        RouteStop.objects.create(school=school, route=route, checkpoint=checkpoint, position=position)
    start = timezone.localtime() - datetime.timedelta(minutes=5)
    PatrolSchedule.objects.create(
        school=school,
        route=route,
        start_time=start.time().replace(second=0, microsecond=0),
        window_minutes=60,
        guard=guard_user,
    )
    rounds.generate_rounds()
    round_ = (
        PatrolRound.objects.filter(route=route, planned_start__lte=timezone.now()).order_by("-planned_start").first()
    )
    return guard_user, round_


def scan_next(page):
    code = page.locator("[data-testid=stop-select]").input_value()
    page.click("[data-testid=scan-button]")
    return code


def test_guard_walks_a_round_with_the_network_cut_halfway(
    walk, live_server, page_factory, screenshot, login_page, monkeypatch
):
    guard_user, round_ = walk
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, guard_user.username)
    page.goto(f"{live_server.url}/safety/rounds/{round_.pk}/walk/")
    page.wait_for_selector("html[data-offline-ready='1']")  # the service worker keeps the page

    # the first poster read by the in-page camera scanner (its event, as the scanner sends it), the next
    # checkpoint picked from the list (recorded, flagged: chosen by hand)
    first = page.locator("[data-testid=stop-select]").input_value()
    page.evaluate(
        "(url) => document.querySelector('[data-qr-scanner]').dispatchEvent("
        "new CustomEvent('qrscan:code', {detail: {text: url}, cancelable: true}))",
        f"{live_server.url}/safety/c/{first}/",
    )
    page.wait_for_selector(f"li[data-code='{first}'][data-state='done']")
    code = scan_next(page)
    page.wait_for_selector(f"li[data-code='{code}'][data-state='done']")
    assert "手动选择" in page.locator("[data-testid=message]").inner_text()
    assert list(PatrolScan.objects.filter(round=round_).order_by("position").values_list("by_hand", flat=True)) == [
        False,
        True,
    ]

    # The outage: the browser offline, and the scan endpoint unreachable also for requests that pass through the
    # installed service worker (Chromium's offline emulation does not always cover those; context routes do).
    def cut(route):
        route.abort("internetdisconnected")

    # and the server itself unreachable for scans (503: the phone keeps them queued) — a request that slips past
    # the browser's emulation (the reload is fetched by the service worker) must not count as sent
    from rest_framework.response import Response

    from safety.api.views import ScanViewSet

    original_create = ScanViewSet.create
    monkeypatch.setattr(
        ScanViewSet, "create", lambda self, request, *args, **kwargs: Response({"detail": "offline"}, status=503)
    )
    page.context.route("**/api/v1/safety/scans/**", cut)
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    offline_codes = [scan_next(page), None]
    page.wait_for_selector(f"li[data-code='{offline_codes[0]}'][data-state='queued']")
    offline_codes[1] = scan_next(page)
    page.wait_for_selector(f"li[data-code='{offline_codes[1]}'][data-state='queued']")
    assert "2" in page.locator("[data-testid=queued]").inner_text()
    page.reload()  # no network: the page comes from the service worker, the queue from the phone
    page.wait_for_selector(f"li[data-code='{offline_codes[1]}'][data-state='queued']")
    assert page.locator("li[data-state='done']").count() == 2
    screenshot(page, "safety-phone-1-offline")
    assert PatrolScan.objects.filter(round=round_).count() == 2

    monkeypatch.setattr(ScanViewSet, "create", original_create)
    page.context.unroute("**/api/v1/safety/scans/**", cut)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-testid=walk][data-state='complete']", timeout=20000)
    screenshot(page, "safety-phone-2-complete")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.COMPLETE and round_.stops_done == 4
    # the phone sends its queue again (a flaky network): still counted once
    sent = PatrolScan.objects.filter(round=round_).select_related("checkpoint").first()
    page.evaluate(
        "(s) => window.houqinPatrolQueue.add(s)",
        {"checkpoint": sent.checkpoint.code, "round": round_.pk, "client_id": str(sent.client_id)},
    )
    page.evaluate("window.houqinPatrolQueue.flush(JSON.parse(document.getElementById('walk-data').textContent).api)")
    page.wait_for_function("window.houqinPatrolQueue.items().length === 0")
    assert PatrolScan.objects.filter(round=round_).count() == 4
