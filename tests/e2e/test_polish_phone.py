"""Issue 14's fixes at phone size (390 px), in real Chromium: the stock-take figures, reversing a repair part,
the rules page's words, the ☰ menu's school name readable, the 生成 button on one line, breadcrumbs that agree
with the page titles."""

import re
from decimal import Decimal

import pytest

from assets import services as asset_services
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership
from repairs import services as repair_services
from repairs.choices import Trade

from ..assets.factories import make_asset, make_room, make_stock
from ..factories import SchoolFactory, UserFactory
from .conftest import PHONE, login_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def luminance(css):
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", css)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def scene():
    school = SchoolFactory(name="第三中学", slug="e2e-polish", code="EPO")
    head = UserFactory(username="e2e-polish-head")
    worker = UserFactory(username="e2e-polish-worker")
    teacher = UserFactory(username="e2e-polish-teacher")
    Membership.objects.create(user=head, school=school, role=Role.LOGISTICS_HEAD)
    Membership.objects.create(user=worker, school=school, role=Role.REPAIR_WORKER, trades="plumbing")
    Membership.objects.create(user=teacher, school=school, role=Role.TEACHER)
    room_a = make_room(school, name="101室", building__name="实验楼")
    room_b = make_room(school, name="102室", building__name="综合楼")
    own = [make_asset(school, room=room_a, name=f"课桌{i}") for i in range(4)]
    stray = make_asset(school, room=room_b, name="投影仪")
    stocktake = asset_services.start_stocktake(school=school, user=head, name="期中清查", rooms=[room_a])
    for asset in own[:3]:
        asset_services.scan(stocktake=stocktake, user=head, asset=asset, room=room_a)
    asset_services.scan(stocktake=stocktake, user=head, asset=stray, room=room_a)
    stock = make_stock(school, quantity=20, name="水龙头", unit="个", unit_price=Decimal("35.00"))
    ticket = repair_services.create_ticket(
        school=school, user=teacher, room=room_a, trade=Trade.PLUMBING, description="水龙头漏水"
    )
    repair_services.assign(ticket, head, [worker])
    repair_services.start(ticket, worker)
    repair_services.add_part(ticket, worker, "", quantity=11, consumable=stock.consumable)
    return {"head": head, "worker": worker, "stocktake": stocktake, "ticket": ticket, "stock": stock}


def test_phone_pages(scene, live_server, page_factory, screenshot):
    page = page_factory(viewport=PHONE)
    login_as(page, live_server, scene["head"].username)

    # the stock-take: 3 of 4, 75 %, the stray a difference that names its building
    page.goto(f"{live_server.url}/assets/stocktakes/{scene['stocktake'].pk}/")
    assert page.locator("[data-testid=stocktake-seen]").inner_text() == "已清点 3 / 4 件"
    assert page.locator("[data-testid=stocktake-percent]").inner_text() == "75%"
    assert "无差异" not in page.content()
    assert "综合楼 102室" in page.locator("[data-testid=difference]").inner_text()
    screenshot(page, "polish-phone-stocktake")

    # the rules page: names and yes/no, no keys, no True/False
    page.goto(f"{live_server.url}/school/rules/")
    body = page.locator("main").inner_text()
    assert "repairs.auto_assign" not in body and "True" not in body and "DOMAIN" not in body
    assert "是" in [v.strip() for v in page.locator("[data-testid=rule-value]").all_inner_texts()]
    screenshot(page, "polish-phone-rules")

    # breadcrumbs agree with the titles
    page.goto(f"{live_server.url}/reports/")
    assert page.locator("h1").inner_text() == "月度报表"
    assert page.locator(".breadcrumb-item").last.inner_text() == "月度报表"
    # the 生成 button stays on one line, as tall as the month field next to it
    button = page.locator("[data-testid=generate]").bounding_box()
    field = page.locator("[data-testid=generate-report] input[type=month]").bounding_box()
    assert button["height"] <= field["height"] + 2
    screenshot(page, "polish-phone-reports")

    # the ☰ menu: the school's name readable on the panel
    page.click("button.navbar-toggler")
    name = page.locator("#sidenav [data-testid=current-school]")
    name.wait_for(state="visible")
    colours = name.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(document.getElementById('sidenav')).backgroundColor]"
    )
    assert contrast(*colours) >= 4.5, colours
    screenshot(page, "polish-phone-menu")

    # the worker reverses the 11 faucets typed by mistake, on the phone
    worker = page_factory(viewport=PHONE)
    login_as(worker, live_server, scene["worker"].username)
    worker.goto(f"{live_server.url}/repairs/jobs/")
    assert worker.locator("h1").inner_text() == worker.locator(".breadcrumb-item").last.inner_text() == "我的任务"
    worker.goto(f"{live_server.url}/repairs/tickets/{scene['ticket'].pk}/")
    worker.click("[data-testid=reverse-part-open]")
    worker.fill("[data-testid=reverse-part-form] input[name=reverse_part-reason]", "误录为11个，实际1个")
    worker.click("[data-testid=reverse-part-submit]")
    worker.wait_for_selector("[data-testid=part-reversed]")
    assert "误录为11个" in worker.locator("[data-testid=part-reversed]").inner_text()
    screenshot(worker, "polish-phone-part-reversed")
    scene["stock"].refresh_from_db()
    assert scene["stock"].quantity == 20
