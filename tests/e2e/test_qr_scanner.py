"""The in-page camera QR scanner (static/houqin/qrscan.js + ui/_qr_scanner.html) on the stock-take scan page.

The camera test feeds Chromium a fake camera: a Y4M video (made here from QR images with segno + Pillow, no
ffmpeg) that shows one asset's label for two seconds, then another's, in a loop. Both must be recorded one
after the other without leaving the page, and the third (not shown) stays unscanned.
The photo test decodes a PNG of a label through the file input (the fallback on plain-HTTP phones).
"""

import io

import pytest
import segno
from PIL import Image

from assets import services
from assets.choices import LineResult
from assets.models import StockTakeLine
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..assets.factories import make_asset, make_room
from ..factories import SchoolFactory, UserFactory
from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, login_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

W, H, FPS = 480, 360, 5


def qr_frame(text):
    """A W×H grey image (Y, U, V planes as bytes, 4:2:0) with the QR code of ``text`` in the middle."""
    qr = segno.make_qr(text, error="m")
    buffer = io.BytesIO()
    # inside the scanner's default scan region (the middle two thirds), whole modules only
    qr.save(buffer, kind="png", scale=max(2, (H * 2 // 3 - 20) // qr.symbol_size(scale=1)[0]), border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = code.width
    frame = Image.new("RGB", (W, H), (200, 200, 200))
    frame.paste(code, ((W - side) // 2, (H - side) // 2))
    y, u, v = frame.convert("YCbCr").split()
    half = (W // 2, H // 2)
    return y.tobytes() + u.resize(half).tobytes() + v.resize(half).tobytes()


def write_y4m(path, texts, seconds_each=2):
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for text in texts:
            frame = qr_frame(text)
            for _ in range(FPS * seconds_each):
                out.write(b"FRAME\n" + frame)


@pytest.fixture
def stocktake_setting():
    school = SchoolFactory(name="扫码中学", slug="e2e-qr", code="EQR")
    room = make_room(school, name="201教室")
    staff = UserFactory(username="e2e-qr-staff")
    Membership.objects.create(user=staff, school=school, role=Role.LOGISTICS_STAFF)
    first = make_asset(school, room=room, name="投影仪", code="EQR-000001")
    second = make_asset(school, room=room, name="交互式一体机", code="EQR-000002")
    third = make_asset(school, room=room, name="音箱", code="EQR-000003")
    stocktake = services.start_stocktake(school=school, user=staff, name="扫码清查", rooms=[room])
    return {"room": room, "staff": staff, "assets": (first, second, third), "stocktake": stocktake}


def results(stocktake):
    return dict(StockTakeLine.objects.filter(stocktake=stocktake).values_list("asset__code", "result"))


def test_camera_scans_label_after_label_without_leaving_the_page(
    stocktake_setting, live_server, tmp_path, screenshot, browser
):
    s = stocktake_setting
    first, second, third = s["assets"]
    video = tmp_path / "labels.y4m"
    # one label as its printed address, the other as the bare code: both are accepted
    write_y4m(video, [f"{live_server.url}/assets/l/{first.code}/", second.code])
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # a second Chromium from the session's Playwright, with the fake camera
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=args, headless=True)
    try:
        context = camera_browser.new_context(viewport=PHONE, locale="zh-CN")
        context.set_default_timeout(20000)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        login_as(page, live_server, s["staff"].username)
        page.goto(f"{live_server.url}/assets/stocktakes/{s['stocktake'].pk}/scan/?room={s['room'].pk}")
        url = page.url
        page.click("[data-testid=qr-start]")
        page.wait_for_selector("[data-testid=qr-stop]", state="visible")
        page.wait_for_selector("[data-testid=line][data-result=found] >> nth=1")
        screenshot(page, "qr-scanner-phone-camera")
        assert page.url == url  # never left the page
        assert page.locator("[data-testid=scan-ok]").count() == 1
        page.click("[data-testid=qr-stop]")
        assert page.locator("[data-qr-view]").is_hidden()
        assert not [e for e in errors if "Content Security Policy" in e], errors  # the blob: worker is allowed
    finally:
        camera_browser.close()
    assert results(s["stocktake"]) == {
        first.code: LineResult.FOUND,
        second.code: LineResult.FOUND,
        third.code: LineResult.PENDING,
    }


def test_photo_of_a_label_is_decoded_and_recorded(stocktake_setting, live_server, page_factory, tmp_path):
    s = stocktake_setting
    first, second, third = s["assets"]
    photo = tmp_path / "label.png"
    segno.make_qr(f"{live_server.url}/assets/l/{third.code}/", error="m").save(str(photo), scale=6, border=4)
    page = page_factory(viewport=PHONE)
    login_as(page, live_server, s["staff"].username)
    page.goto(f"{live_server.url}/assets/stocktakes/{s['stocktake'].pk}/scan/?room={s['room'].pk}")
    page.set_input_files("[data-testid=qr-photo]", str(photo))
    page.wait_for_selector("[data-testid=line][data-result=found]")
    assert third.code in page.locator("[data-testid=scan-ok]").inner_text()
    assert third.code in page.locator("[data-testid=qr-status]").inner_text()
    # a photo without a code: a clear message, nothing recorded
    Image.new("RGB", (200, 200), (255, 255, 255)).save(tmp_path / "blank.png")
    page.set_input_files("[data-testid=qr-photo]", str(tmp_path / "blank.png"))
    page.wait_for_selector("[data-testid=qr-status].text-danger")
    assert "二维码" in page.locator("[data-testid=qr-status]").inner_text()
    assert results(s["stocktake"])[third.code] == LineResult.FOUND
    assert sum(1 for r in results(s["stocktake"]).values() if r == LineResult.FOUND) == 1
