"""Stock-take figures as issue 14 found them wrong: 已清点 counts only the stock-take's own ledger assets (not an
asset from another room found in one of its rooms), no "无差异" before anything is scanned, the principal's
dashboard shows the same figure, and the wrong-room badge names the building."""

import importlib
import re

import pytest
from django.apps import apps

from assets import services
from assets.choices import LineResult
from assets.models import StockTakeLine

from .factories import make_asset, make_room


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def scene(school, staff):
    """Room A holds four ledger assets; the stock-take of room A has three of them scanned, plus an asset
    from room B (another building) found in room A — the case of the issue."""
    room_a = make_room(school, name="101室", building__name="实验楼")
    room_b = make_room(school, name="102室", building__name="综合楼")
    own = [make_asset(school, room=room_a, name=f"课桌{i}") for i in range(4)]
    stray = make_asset(school, room=room_b, name="投影仪")
    stocktake = services.start_stocktake(school=school, user=staff, name="期中清查", rooms=[room_a])
    for asset in own[:3]:
        services.scan(stocktake=stocktake, user=staff, asset=asset, room=room_a)
    services.scan(stocktake=stocktake, user=staff, asset=stray, room=room_a)
    return {"stocktake": stocktake, "room_a": room_a, "room_b": room_b, "own": own, "stray": stray}


@pytest.mark.django_db
class TestSeenCountsOnlyListedAssets:
    def test_progress(self, scene):
        progress = services.progress(scene["stocktake"])
        assert (progress["seen"], progress["expected"], progress["percent"]) == (3, 4, 75)
        assert progress["pending"] == 1
        assert progress["counts"][LineResult.WRONG_ROOM] == 1  # the stray is still a difference
        assert progress["counts"][LineResult.FOUND] == 3

    def test_detail_page(self, scene, staff, login):
        page = text(login(staff).get(scene["stocktake"].get_absolute_url()))
        assert "已清点 3 / 4 件" in page
        assert 'data-testid="stocktake-percent">75%' in page
        assert "无差异" not in page  # one difference (the stray) is listed, one asset not yet seen
        # the stray's difference row names both rooms with their buildings
        assert "综合楼 102室" in page and "实验楼 101室" in page

    def test_principal_dashboard_shows_the_same_figure(self, scene, principal, login):
        page = text(login(principal).get("/"))
        assert "75% (已清点 3 / 4 件)" in page

    def test_scan_page_room_figures_and_badge_with_building(self, scene, staff, login):
        stocktake, room_a = scene["stocktake"], scene["room_a"]
        page = text(login(staff).get(f"/assets/stocktakes/{stocktake.pk}/scan/?room={room_a.pk}"))
        assert "本室账面 4 件，已清点 3 件 · 另在此处发现 1 件" in page
        assert "账面位置 综合楼 102室" in page

    def test_scan_message_names_the_building(self, scene, staff, login):
        stocktake, room_b = scene["stocktake"], scene["room_b"]
        client = login(staff)
        # an own asset found in room B (outside the stock-take): the warning names the ledger room in full
        response = client.post(
            f"/assets/stocktakes/{stocktake.pk}/scan/record/",
            {"asset": scene["own"][3].pk, "room": room_b.pk},
            follow=True,
        )
        assert "但账面位置是 实验楼 101室" in text(response)
        assert services.progress(stocktake)["seen"] == 4  # a listed asset found elsewhere is seen

    def test_undoing_the_stray_removes_its_line(self, scene, staff):
        stocktake = scene["stocktake"]
        line = StockTakeLine.objects.get(stocktake=stocktake, asset=scene["stray"])
        assert services.unscan(stocktake=stocktake, user=staff, line=line) is None
        assert not StockTakeLine.objects.filter(pk=line.pk).exists()
        services.submit_stocktake(stocktake=stocktake, user=staff)
        # only the unseen own asset is missing — never the stray that was undone
        missing = StockTakeLine.objects.filter(stocktake=stocktake, result=LineResult.MISSING)
        assert list(missing.values_list("asset_id", flat=True)) == [scene["own"][3].pk]


@pytest.mark.django_db
class TestNoDifferencesMessage:
    def test_nothing_scanned_yet(self, school, staff, login):
        room = make_room(school)
        make_asset(school, room=room)
        make_asset(school, room=room)
        stocktake = services.start_stocktake(school=school, user=staff, name="期末清查", rooms=[room])
        page = text(login(staff).get(stocktake.get_absolute_url()))
        assert "无差异" not in page
        assert "尚未开始清点：共 2 件待清点。" in page
        assert 'data-testid="stocktake-percent">0%' in page

    def test_so_far_then_all_agree(self, school, staff, login):
        room = make_room(school)
        first, second = make_asset(school, room=room), make_asset(school, room=room)
        stocktake = services.start_stocktake(school=school, user=staff, name="期末清查", rooms=[room])
        client = login(staff)
        services.scan(stocktake=stocktake, user=staff, asset=first, room=room)
        page = text(client.get(stocktake.get_absolute_url()))
        assert "暂无差异；尚有 1 件未清点。" in page and "帐、卡、物相符" not in page
        services.scan(stocktake=stocktake, user=staff, asset=second, room=room)
        page = text(client.get(stocktake.get_absolute_url()))
        assert "无差异：帐、卡、物相符" in page
        assert 'data-testid="stocktake-percent">100%' in page


@pytest.mark.django_db
def test_migration_marks_existing_lines(scene):
    """The backfill of existing stock-takes: the room's own lines are listed, the stray is not."""
    stocktake = scene["stocktake"]
    StockTakeLine.objects.filter(stocktake=stocktake).update(listed=False)  # as before the migration
    migration = importlib.import_module("assets.migrations.0007_stocktakeline_listed")
    migration.mark_listed(apps, None)
    listed = dict(StockTakeLine.objects.filter(stocktake=stocktake).values_list("asset_id", "listed"))
    assert listed == {**{a.pk: True for a in scene["own"]}, scene["stray"].pk: False}
