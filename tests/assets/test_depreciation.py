"""Depreciation against hand-computed values (straight line, monthly, from the month of purchase)."""

import datetime
from decimal import Decimal

import pytest

from assets import depreciation
from assets.reports_data import ledger_summary

from .factories import CategoryFactory, make_asset

pytestmark = pytest.mark.django_db


def test_months_counting():
    bought = datetime.date(2024, 3, 15)
    assert depreciation.months_depreciated(bought, 6, datetime.date(2024, 3, 1)) == 0  # before purchase
    assert depreciation.months_depreciated(bought, 6, datetime.date(2024, 3, 31)) == 1  # 当月开始计提
    assert depreciation.months_depreciated(bought, 6, datetime.date(2025, 2, 28)) == 12
    assert depreciation.months_depreciated(bought, 6, datetime.date(2040, 1, 1)) == 72  # capped at life
    # disposed in 2025-06: no depreciation in the month it leaves (当月减少当月不再计提)
    assert depreciation.months_depreciated(bought, 6, datetime.date(2025, 12, 31), datetime.date(2025, 6, 10)) == 15


class TestAssetDepreciation:
    def test_computer_by_hand(self, school):
        # 4,800 yuan computer, 6 years = 72 months → 66.67 a month.
        # As of 2025-12-31: Mar 2024 … Dec 2025 = 22 months → 4800 × 22 / 72 = 1,466.666… → 1,466.67
        asset = make_asset(school, unit_price=Decimal("4800.00"), purchase_date=datetime.date(2024, 3, 15))
        value = depreciation.value_of(asset, datetime.date(2025, 12, 31))
        assert value.months == 22
        assert value.accumulated == Decimal("1466.67")
        assert value.net == Decimal("3333.33")
        assert value.monthly == Decimal("66.67")

    def test_fully_depreciated(self, school):
        asset = make_asset(school, unit_price=Decimal("1000.00"), purchase_date=datetime.date(2015, 1, 1))
        value = depreciation.value_of(asset, datetime.date(2026, 1, 1))
        assert value.accumulated == Decimal("1000.00") and value.net == Decimal("0.00")

    def test_schedule_by_hand(self, school):
        # 12,000 yuan over 5 years from 2024-09: 200 a month.
        category = CategoryFactory(school=school, code="A02020600", name="一体机", life_years=5)
        asset = make_asset(
            school, category=category, unit_price=Decimal("12000.00"), purchase_date=datetime.date(2024, 9, 2)
        )
        rows = depreciation.schedule(asset)
        assert [r.year for r in rows] == [2024, 2025, 2026, 2027, 2028, 2029]
        assert [r.months for r in rows] == [4, 12, 12, 12, 12, 8]
        assert [r.charge for r in rows] == [
            Decimal(x) for x in ("800.00", "2400.00", "2400.00", "2400.00", "2400.00", "1600.00")
        ]
        assert rows[-1].accumulated == Decimal("12000.00") and rows[-1].net == Decimal("0.00")

    def test_schedule_rounding_ends_at_cost(self, school):
        asset = make_asset(school, unit_price=Decimal("1000.00"), purchase_date=datetime.date(2024, 1, 31))
        rows = depreciation.schedule(asset)  # 6 years, 1000/72 = 13.888… a month
        assert sum(r.charge for r in rows) == Decimal("1000.00")
        assert rows[0].charge == Decimal("166.67")  # 12 × 13.888… = 166.666…

    def test_ledger_summary_matches_per_asset(self, school):
        category = CategoryFactory(school=school)
        dates = [datetime.date(2020, 5, 5), datetime.date(2023, 11, 30), datetime.date(2025, 1, 1)]
        prices = [Decimal("5999.00"), Decimal("1234.56"), Decimal("4800.00")]
        assets = [
            make_asset(school, category=category, unit_price=p, purchase_date=d)
            for p, d in zip(prices, dates, strict=True)
        ]
        as_of = datetime.date(2025, 6, 30)
        summary = ledger_summary(school, as_of)
        expected = sum(depreciation.value_of(a, as_of).accumulated for a in assets)
        assert summary["totals"]["count"] == 3
        assert summary["totals"]["cost"] == sum(prices)
        assert summary["totals"]["accumulated"] == expected
        # 5999 × 62/72 = 5165.81; 1234.56 × 20/72 = 342.93; 4800 × 6/72 = 400.00
        assert expected == Decimal("5165.81") + Decimal("342.93") + Decimal("400.00")

    def test_sqlite_path_gives_the_database_path_figures(self, school):
        """``make run``'s SQLite computes the ledger card by card; it must agree with the SQL."""
        category = CategoryFactory(school=school)
        for price, day in [("5999.00", (2020, 5, 5)), ("1234.56", (2023, 11, 30)), ("4800.00", (2025, 1, 1))]:
            make_asset(school, category=category, unit_price=Decimal(price), purchase_date=datetime.date(*day))
        make_asset(
            school, purchase_date=datetime.date(2019, 3, 1), status="disposed", disposed_on=datetime.date(2024, 1, 1)
        )
        for as_of in (datetime.date(2023, 12, 31), datetime.date(2025, 6, 30)):
            assert depreciation._ledger_by_category_in_python(school, as_of) == depreciation.ledger_by_category(
                school, as_of
            )

    def test_ledger_summary_as_of_excludes_later_and_disposed(self, school):
        make_asset(school, purchase_date=datetime.date(2026, 1, 1))
        make_asset(
            school, purchase_date=datetime.date(2020, 1, 1), status="disposed", disposed_on=datetime.date(2024, 1, 1)
        )
        kept = make_asset(school, purchase_date=datetime.date(2020, 1, 1))
        summary = ledger_summary(school, datetime.date(2025, 1, 1))
        assert summary["totals"]["count"] == 1
        assert summary["totals"]["cost"] == kept.unit_price


def test_asset_page_value_as_of_a_date(school, make_user, login):
    asset = make_asset(school, unit_price=Decimal("4800.00"), purchase_date=datetime.date(2024, 3, 15))
    client = login(make_user("finance_officer", school))
    body = client.get(asset.get_absolute_url(), {"as_of": "2025-12-31"}).content.decode()
    assert "1466.67" in body and "3333.33" in body
