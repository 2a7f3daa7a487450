"""Stock-takes: differences (found, missing, wrong room, not in the ledger), approval that changes the
ledger only then, and concurrent scans that lose nothing."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from assets import services
from assets.choices import AssetStatus, LineResult, MovementKind, StockTakeStatus
from assets.models import Asset, AssetMovement, StockTakeLine
from logistics.audit.models import ChangeRecord
from logistics.workflow import StepNotAllowed

from .factories import CategoryFactory, make_asset, make_room


@pytest.mark.django_db
class TestStockTakeDifferences:
    def setup_scene(self, school):
        room_a, room_b = make_room(school), make_room(school)
        found = make_asset(school, room=room_a, name="找到的")
        moved = make_asset(school, room=room_a, name="搬走的")
        missing = make_asset(school, room=room_a, name="丢的")
        outside = make_asset(school, room=room_b, name="别处的")
        return room_a, room_b, found, moved, missing, outside

    def test_result_and_approval(self, school, staff, head):
        room_a, room_b, found, moved, missing, outside = self.setup_scene(school)
        stocktake = services.start_stocktake(school=school, user=staff, name="期末清查", rooms=[room_a])
        assert stocktake.expected_count == 3
        services.scan(stocktake=stocktake, user=staff, asset=found, room=room_a, condition="good")
        services.scan(stocktake=stocktake, user=staff, asset=moved, room=room_b)
        services.scan(stocktake=stocktake, user=staff, asset=outside, room=room_a)  # not expected here
        category = CategoryFactory(school=school)
        services.add_unledgered(
            stocktake=stocktake,
            user=staff,
            room=room_a,
            item_name="旧投影幕",
            category=category,
            item_value=Decimal("1500"),
        )
        progress = services.progress(stocktake)
        assert progress["counts"][LineResult.PENDING] == 1
        services.submit_stocktake(stocktake=stocktake, user=staff)
        results = dict(StockTakeLine.objects.filter(stocktake=stocktake).values_list("asset__name", "result"))
        assert results == {
            "找到的": LineResult.FOUND,
            "搬走的": LineResult.WRONG_ROOM,
            "丢的": LineResult.MISSING,
            "别处的": LineResult.WRONG_ROOM,
            None: LineResult.NOT_IN_LEDGER,
        }
        # the ledger has not changed yet
        moved.refresh_from_db()
        missing.refresh_from_db()
        assert moved.room == room_a and missing.status == AssetStatus.IN_USE
        # approval needs every difference explained
        with pytest.raises(ValidationError):
            services.approve_stocktake(stocktake=stocktake, user=head)
        for line in services.stocktake.differences(stocktake):
            services.explain(stocktake=stocktake, user=staff, line=line, explanation="已核实")
        # only the logistics head approves
        with pytest.raises(PermissionDenied):
            services.approve_stocktake(stocktake=stocktake, user=staff)
        services.approve_stocktake(stocktake=stocktake, user=head)
        stocktake.refresh_from_db()
        assert stocktake.status == StockTakeStatus.APPROVED
        moved.refresh_from_db()
        missing.refresh_from_db()
        outside.refresh_from_db()
        found.refresh_from_db()
        assert moved.room == room_b
        assert outside.room == room_a
        assert missing.status == AssetStatus.LOST
        assert found.room == room_a and found.status == AssetStatus.IN_USE
        new = Asset.objects.get(name="旧投影幕")
        assert new.room == room_a and new.unit_price == Decimal("1500")
        kinds = (
            AssetMovement.objects.filter(school=school)
            .exclude(kind=MovementKind.ACQUIRE)
            .values_list("kind", flat=True)
        )
        assert sorted(kinds) == sorted(
            [MovementKind.STOCKTAKE_MOVE, MovementKind.STOCKTAKE_MOVE, MovementKind.STOCKTAKE_LOSS, MovementKind.FOUND]
        )
        assert ChangeRecord.objects.filter(event="asset.stocktake_lost", object_id=missing.pk).exists()
        assert all(
            StockTakeLine.objects.filter(stocktake=stocktake, result__in=["missing", "wrong_room"]).values_list(
                "applied", flat=True
            )
        )
        # no more scanning after approval
        with pytest.raises(StepNotAllowed):
            services.scan(stocktake=stocktake, user=staff, asset=found, room=room_a)

    def test_an_asset_on_loan_not_seen_is_not_lost_and_its_loan_stays_open(self, school, staff, head, make_user):
        from logistics.accounts.roles import Role
        from logistics.workflow import guard

        room = make_room(school, name="205")
        lent = make_asset(school, room=room, name="借出的投影仪")
        guard.run(lent, "lend", head, borrower=make_user(Role.TEACHER, school))
        stocktake = services.start_stocktake(school=school, user=staff, name="期末清查", rooms=[room])
        services.submit_stocktake(stocktake=stocktake, user=staff)
        for line in services.stocktake.differences(stocktake):
            services.explain(stocktake=stocktake, user=staff, line=line, explanation="借给王老师，未归还")
        services.approve_stocktake(stocktake=stocktake, user=head)
        lent.refresh_from_db()
        assert lent.status == AssetStatus.ON_LOAN
        assert lent.loans.filter(returned_on__isnull=True).count() == 1
        assert ChangeRecord.objects.filter(event="asset.stocktake_on_loan", object_id=lent.pk).exists()
        guard.run(lent, "take_back", head)  # the loan is still there to end
        assert lent.status == AssetStatus.IN_USE

    def test_a_negative_value_is_refused_before_it_reaches_the_card(self, school, staff, head, api):
        room = make_room(school, name="206")
        stocktake = services.start_stocktake(school=school, user=staff, name="清查", rooms=[room])
        with pytest.raises(ValidationError) as refused:
            services.add_unledgered(
                stocktake=stocktake, user=staff, room=room, item_name="椅子", item_value=Decimal(-50)
            )
        assert "item_value" in refused.value.message_dict
        client = api(staff)
        response = client.post(
            f"/api/v1/assets/stocktakes/{stocktake.pk}/unledgered/",
            {"room": room.pk, "item_name": "无名椅子", "item_value": "-50"},
            format="json",
        )
        assert response.status_code == 400 and "item_value" in response.json()["errors"]
        assert not StockTakeLine.objects.filter(stocktake=stocktake, item_name="无名椅子").exists()

    def test_resume_and_reopen(self, school, staff):
        room_a, _room_b, found, moved, *_ = self.setup_scene(school)
        stocktake = services.start_stocktake(school=school, user=staff, name="x", rooms=[room_a])
        services.scan(stocktake=stocktake, user=staff, asset=found, room=room_a)
        # interrupted: a fresh object (another day, another phone) continues where it stopped
        again = type(stocktake).objects.get(pk=stocktake.pk)
        services.scan(stocktake=again, user=staff, asset=moved, room=room_a)
        assert services.progress(again)["seen"] == 2
        services.submit_stocktake(stocktake=again, user=staff)
        services.reopen_stocktake(stocktake=again, user=staff)
        assert StockTakeLine.objects.filter(stocktake=again, result=LineResult.MISSING).count() == 0
        line = StockTakeLine.objects.get(stocktake=again, asset=found)
        again.refresh_from_db()
        services.unscan(stocktake=again, user=staff, line=line)
        line.refresh_from_db()
        assert line.result == LineResult.PENDING

    def test_whole_school_and_disposed(self, school, staff, head, principal):
        room_a, room_b, found, *_ = self.setup_scene(school)
        disposal = services.request_disposal(assets=[found], user=staff, reason="坏")
        services.approve_disposal_head(request=disposal, user=head)
        services.approve_disposal_principal(request=disposal, user=principal)
        services.write_off_disposal(request=disposal, user=staff)
        stocktake = services.start_stocktake(school=school, user=staff, name="全校", whole_school=True)
        assert stocktake.expected_count == 3  # the disposed card is not expected
        found.refresh_from_db()
        with pytest.raises(ValidationError):
            services.scan(stocktake=stocktake, user=staff, asset=found, room=room_a)

    def test_scan_page_and_label_flow(self, school, staff, login):
        room_a, _room_b, found, moved, *_ = self.setup_scene(school)
        stocktake = services.start_stocktake(school=school, user=staff, name="x", rooms=[room_a])
        client = login(staff)
        assert client.get(f"/assets/stocktakes/{stocktake.pk}/scan/").status_code == 200
        page = client.get(f"/assets/stocktakes/{stocktake.pk}/scan/?room={room_a.pk}").content.decode()
        assert found.code in page
        # scanning a label opens the asset page, which offers "found here"
        page = client.get(client.get(f"/assets/l/{found.code}/")["Location"]).content.decode()
        assert 'data-testid="record-found"' in page
        response = client.post(
            f"/assets/stocktakes/{stocktake.pk}/scan/record/",
            {"asset": found.pk, "room": room_a.pk, "next": found.get_absolute_url()},
        )
        assert response.status_code == 302 and response["Location"] == found.get_absolute_url()
        # typing the label address into the scan field (htmx) answers the room's list
        response = client.post(
            f"/assets/stocktakes/{stocktake.pk}/scan/record/",
            {"code": f"http://testserver/assets/l/{moved.code}/", "room": room_a.pk},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and 'data-testid="scan-ok"' in response.content.decode()
        assert services.progress(stocktake)["seen"] == 2
        response = client.post(
            f"/assets/stocktakes/{stocktake.pk}/scan/record/",
            {"code": "NOPE", "room": room_a.pk},
            HTTP_HX_REQUEST="true",
        )
        assert 'data-testid="scan-error"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
class TestStockTakeConcurrentScans:
    """Two people scan at once (two threads, two database connections): no scan is lost."""

    def test_parallel_scans_lose_nothing(self, school, make_user):
        staff1 = make_user("logistics_staff", school)
        staff2 = make_user("logistics_staff", school)
        room = make_room(school)
        other_room = make_room(school)
        assets = [make_asset(school, room=room) for _ in range(30)]
        strays = [make_asset(school, room=other_room) for _ in range(10)]  # not expected: lines get created
        stocktake = services.start_stocktake(school=school, user=staff1, name="并发", rooms=[room])
        barrier = threading.Barrier(2)
        errors = []

        def work(user, items):
            try:
                barrier.wait()
                for asset in items:
                    services.scan(stocktake=stocktake, user=user, asset=asset, room=room)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connection.close()

        # both scan every asset (overlapping), in opposite orders
        everything = assets + strays
        threads = [
            threading.Thread(target=work, args=(staff1, everything)),
            threading.Thread(target=work, args=(staff2, list(reversed(everything)))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        lines = StockTakeLine.objects.filter(stocktake=stocktake)
        assert lines.count() == 40
        assert lines.filter(result=LineResult.FOUND).count() == 30
        assert lines.filter(result=LineResult.WRONG_ROOM).count() == 10
        assert not lines.filter(scanned_at__isnull=True).exists()
