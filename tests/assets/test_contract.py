"""The contract repairs relies on: open_damage_record() and consume_stock()."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assets.models import ConsumableStock, DamageRecord, StockMovement
from assets.services import consume_stock, open_damage_record, receive_stock

from .factories import AssetFactory, ConsumableFactory, ConsumableStockFactory


@pytest.mark.django_db
class TestDamageRecordContract:
    def test_open_damage_record(self, school, make_user):
        user = make_user("logistics_staff", school)
        asset = AssetFactory(school=school)
        record = open_damage_record(
            school=school, user=user, amount="150.50", description="桌面划坏", asset=asset, source=asset
        )
        assert isinstance(record, DamageRecord)
        assert record.amount == Decimal("150.50")
        assert record.room == asset.room
        assert record.reference.startswith("DMG-")
        assert record.source == asset

    def test_other_school_refused(self, school, other_school, make_user):
        asset = AssetFactory(school=other_school)
        with pytest.raises(ValidationError):
            open_damage_record(school=school, user=None, amount=1, description="x", asset=asset)


@pytest.mark.django_db
class TestConsumableStockContract:
    def test_consume_across_stores(self, school, make_user):
        user = make_user("logistics_staff", school)
        first = ConsumableStockFactory(consumable=ConsumableFactory(school=school))
        item = first.consumable
        second = ConsumableStockFactory(consumable=item)
        receive_stock(consumable=item, store=first.store, quantity=3, user=user)
        receive_stock(consumable=item, store=second.store, quantity=5, user=user)
        moves = consume_stock(consumable=item, quantity=7, user=user, reason="换水龙头")
        assert sum(m.quantity for m in moves) == Decimal(-7)
        item.refresh_from_db()
        assert item.total_quantity == 1
        assert sum(ConsumableStock.objects.filter(consumable=item).values_list("quantity", flat=True)) == 1

    def test_short_stock_is_readable_error(self, school, make_user):
        user = make_user("logistics_staff", school)
        stock = ConsumableStockFactory(consumable=ConsumableFactory(school=school, name="灯管"))
        receive_stock(consumable=stock.consumable, store=stock.store, quantity=2, user=user)
        with pytest.raises(ValidationError) as exc:
            consume_stock(consumable=stock.consumable, quantity=5, user=user, reason="x")
        assert "灯管" in exc.value.messages[0]
        assert StockMovement.objects.filter(kind="consume").count() == 0
