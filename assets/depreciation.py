"""Depreciation (折旧): straight line, monthly, no residual value.

Rules (政府会计准则第3号——固定资产 art. 15–17 and 应用指南):
- straight line over the category's minimum life (固定资产折旧年限表), no residual value;
- an asset starts depreciating in the month it is acquired (当月增加的固定资产，当月开始计提折旧) and
  stops in the month it leaves the ledger (当月减少的固定资产，当月不再计提折旧);
- once fully depreciated it stays on the ledger at net value zero until disposed.

Accumulated depreciation after ``n`` months is ``round(cost × n / (life × 12), 2)`` — rounding the
total, not each month, so the last month brings the total exactly to the cost.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

CENT = Decimal("0.01")


def month_index(day):
    return day.year * 12 + day.month - 1


def months_depreciated(purchase_date, life_years, as_of, disposed_on=None):
    """Months of depreciation charged up to and including ``as_of``'s month."""
    if not life_years or as_of < purchase_date:
        return 0
    last = month_index(as_of)
    if disposed_on is not None and disposed_on <= as_of:
        last = month_index(disposed_on) - 1
    months = last - month_index(purchase_date) + 1
    return max(0, min(months, life_years * 12))


def accumulated(cost, life_years, months):
    """Accumulated depreciation of ``cost`` after ``months`` of a ``life_years`` life."""
    cost = Decimal(cost)
    if not life_years or months <= 0:
        return Decimal("0.00")
    total_months = life_years * 12
    if months >= total_months:
        return cost.quantize(CENT)
    return (cost * months / total_months).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Valuation:
    cost: Decimal
    months: int
    accumulated: Decimal
    net: Decimal
    monthly: Decimal


def value_of(asset, as_of=None):
    """Cost, accumulated depreciation and net book value (账面净值) of ``asset`` as of a date."""
    as_of = as_of or datetime.date.today()
    life = asset.effective_life_years
    if as_of < asset.purchase_date:
        zero = Decimal("0.00")
        return Valuation(zero, 0, zero, zero, zero)
    months = months_depreciated(asset.purchase_date, life, as_of, asset.disposed_on)
    acc = accumulated(asset.unit_price, life, months)
    monthly = (Decimal(asset.unit_price) / (life * 12)).quantize(CENT, ROUND_HALF_UP) if life else Decimal("0.00")
    cost = Decimal(asset.unit_price).quantize(CENT)
    net = cost - acc
    if asset.disposed_on is not None and asset.disposed_on <= as_of:
        net = Decimal("0.00")
    return Valuation(cost, months, acc, net, monthly)


@dataclass
class ScheduleRow:
    year: int
    months: int
    charge: Decimal
    accumulated: Decimal
    net: Decimal


def schedule(asset):
    """The depreciation schedule (折旧计划): one row per calendar year of the asset's life."""
    life = asset.effective_life_years
    cost = Decimal(asset.unit_price).quantize(CENT)
    if not life:
        return []
    rows = []
    start = asset.purchase_date
    prior_months, prior_acc = 0, Decimal("0.00")
    year = start.year
    while True:
        months = months_depreciated(start, life, datetime.date(year, 12, 31), asset.disposed_on)
        acc = accumulated(cost, life, months)
        rows.append(ScheduleRow(year, months - prior_months, acc - prior_acc, acc, cost - acc))
        prior_months, prior_acc = months, acc
        if months >= life * 12 or (asset.disposed_on and asset.disposed_on.year <= year):
            return rows
        year += 1


LEDGER_SQL = """
SELECT a.category_id,
       COUNT(*),
       COALESCE(SUM(a.unit_price), 0),
       COALESCE(SUM(CASE WHEN life = 0 THEN 0 ELSE ROUND(
           a.unit_price * LEAST(GREATEST(%(month)s - (EXTRACT(YEAR FROM a.purchase_date)::int * 12
                                 + EXTRACT(MONTH FROM a.purchase_date)::int - 1) + 1, 0), life * 12)
           / (life * 12), 2) END), 0)
FROM (
  SELECT a.*, COALESCE(a.life_years, c.life_years) AS life
  FROM assets_asset a JOIN assets_category c ON c.id = a.category_id
  WHERE a.school_id = %(school)s AND a.purchase_date <= %(as_of)s
    AND (a.disposed_on IS NULL OR a.disposed_on > %(as_of)s)
) a
GROUP BY a.category_id
"""


def ledger_by_category(school, as_of):
    """{category_id: (count, cost, accumulated)} of assets on the ledger on ``as_of``, in one query.

    The same arithmetic as :func:`accumulated` (Postgres ``ROUND`` rounds half away from zero).
    """
    if connection.vendor != "postgresql":
        return _ledger_by_category_in_python(school, as_of)
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_SQL, {"school": school.pk, "as_of": as_of, "month": month_index(as_of)})
        return {
            row[0]: (row[1], Decimal(row[2]).quantize(CENT), Decimal(row[3]).quantize(CENT))
            for row in cursor.fetchall()
        }


def _ledger_by_category_in_python(school, as_of):
    """The same figures card by card with :func:`value_of`, for SQLite (``make run``'s default
    database has no LEAST/GREATEST/EXTRACT … ::int); a single school's ledger is small enough."""
    from django.db.models import Q

    from .models import Asset

    totals = {}
    assets = Asset.objects.filter(school=school, purchase_date__lte=as_of).filter(
        Q(disposed_on__isnull=True) | Q(disposed_on__gt=as_of)
    )
    for asset in assets.select_related("category").iterator(chunk_size=2000):
        valuation = value_of(asset, as_of)
        count, cost, acc = totals.get(asset.category_id, (0, Decimal("0.00"), Decimal("0.00")))
        totals[asset.category_id] = (count + 1, cost + valuation.cost, acc + valuation.accumulated)
    return totals
