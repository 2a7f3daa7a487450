"""On a phone: a stock-take of a classroom by scanning asset labels (their URLs), the differences
explained, then the logistics head approves and the ledger changes — real Chromium, live server."""

import pytest

from assets import services
from assets.choices import AssetStatus, LineResult, StockTakeStatus
from assets.models import Asset, StockTakeLine
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..assets.factories import make_asset, make_room
from ..factories import SchoolFactory, UserFactory
from .conftest import DESK, PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def setting():
    school = SchoolFactory(name="第一中学", slug="e2e-assets", code="E2E")
    classroom = make_room(school, name="301教室")
    office = make_room(school, name="总务处")
    staff = UserFactory(username="e2e-asset-staff")
    head = UserFactory(username="e2e-asset-head")
    Membership.objects.create(user=staff, school=school, role=Role.LOGISTICS_STAFF)
    Membership.objects.create(user=head, school=school, role=Role.LOGISTICS_HEAD)
    board = make_asset(school, room=classroom, name="交互式一体机", code="E2E-000101")
    projector = make_asset(school, room=classroom, name="投影仪", code="E2E-000102")
    speaker = make_asset(school, room=classroom, name="音箱", code="E2E-000103")
    laptop = make_asset(school, room=office, name="笔记本电脑", code="E2E-000104")
    stocktake = services.start_stocktake(school=school, user=staff, name="学期末教室清查", rooms=[classroom])
    return {
        "school": school,
        "classroom": classroom,
        "office": office,
        "staff": staff,
        "head": head,
        "stocktake": stocktake,
        "board": board,
        "projector": projector,
        "speaker": speaker,
        "laptop": laptop,
    }


def test_phone_stocktake_by_label_urls_then_approval(setting, live_server, page_factory, login_page, screenshot):
    s = setting
    stocktake = s["stocktake"]
    page = page_factory(viewport=PHONE)
    login_page(page, live_server, s["staff"].username)

    # choose the room
    page.goto(f"{live_server.url}/assets/stocktakes/{stocktake.pk}/scan/")
    page.locator("[data-testid=room-list] a", has_text="301教室").click()
    page.wait_for_selector("[data-testid=current-room]")
    assert "301教室" in page.locator("[data-testid=current-room]").inner_text()
    assert page.locator("[data-testid=line]").count() == 3
    screenshot(page, "assets-phone-1-room")

    # scan two labels: each opens the asset's page, one tap records it
    for asset in (s["board"], s["laptop"]):
        page.goto(f"{live_server.url}/assets/l/{asset.code}/")
        page.wait_for_selector("[data-testid=scan-panel]")
        page.select_option("select[name=condition]", "good")
        page.click("[data-testid=record-found]")
        page.wait_for_selector("[data-testid=scan-result]")
    screenshot(page, "assets-phone-2-label")
    assert "301教室" in page.locator("[data-testid=scan-result]").inner_text()

    # a hand scanner types the label's address into the scan field (htmx, no reload)
    page.goto(f"{live_server.url}/assets/stocktakes/{stocktake.pk}/scan/")
    page.fill("[data-testid=scan-code]", f"{live_server.url}/assets/l/{s['projector'].code}/")
    page.click("[data-testid=scan-submit]")
    page.wait_for_selector("[data-testid=scan-ok]")
    assert page.locator("[data-testid=scan-code]").input_value() == ""
    screenshot(page, "assets-phone-3-scanned")

    results = dict(StockTakeLine.objects.filter(stocktake=stocktake).values_list("asset__code", "result"))
    assert results == {
        s["board"].code: LineResult.FOUND,
        s["projector"].code: LineResult.FOUND,
        s["speaker"].code: LineResult.PENDING,
        s["laptop"].code: LineResult.WRONG_ROOM,
    }

    # finish: submit, explain each difference
    page.goto(f"{live_server.url}/assets/stocktakes/{stocktake.pk}/")
    assert page.locator("[data-testid=step-approve]").count() == 0  # only the head approves
    page.click("[data-testid=step-submit]")
    page.wait_for_selector("[data-testid=unexplained]")
    assert page.locator("[data-testid=step-submit]").count() == 0  # submitted: the buttons follow the status
    for index in range(page.locator("[data-testid=difference]").count()):
        row = page.locator("[data-testid=difference]").nth(index)
        row.locator("[data-testid=explanation]").fill("已核实：音箱送修；笔记本借到301教室使用")
        row.locator("[data-testid=save-explanation]").click()
        page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=unexplained]").count() == 0
    screenshot(page, "assets-phone-4-explained")

    # the logistics head approves (at a desk)
    desk = page_factory(viewport=DESK)
    login_page(desk, live_server, s["head"].username)
    desk.goto(f"{live_server.url}/assets/stocktakes/{stocktake.pk}/")
    desk.click("[data-testid=step-approve]")
    desk.wait_for_selector(".alert-success")
    assert desk.locator("[data-testid=step-buttons]").count() == 0  # approved: nothing more to do
    screenshot(desk, "assets-desk-5-approved")

    stocktake.refresh_from_db()
    assert stocktake.status == StockTakeStatus.APPROVED
    assert Asset.objects.get(pk=s["laptop"].pk).room == s["classroom"]
    assert Asset.objects.get(pk=s["speaker"].pk).status == AssetStatus.LOST
    assert Asset.objects.get(pk=s["board"].pk).status == AssetStatus.IN_USE
