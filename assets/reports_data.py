"""Figures of the ledger shared by pages, the monthly report and the dashboard (few queries each)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from .choices import AssetStatus, LineResult, MovementKind, StockTakeStatus
from .depreciation import ledger_by_category
from .models import Asset, AssetMovement, Category, DamageRecord, StockTake, StockTakeLine

ZERO = Decimal("0.00")


def ledger_summary(school, as_of):
    """Rows per category and totals: count, cost (原值), accumulated depreciation, net book value."""
    by_category = ledger_by_category(school, as_of)
    categories = Category.objects.filter(pk__in=list(by_category)).order_by("code")
    rows = []
    totals = [0, ZERO, ZERO, ZERO]
    for category in categories:
        count, cost, acc = by_category[category.pk]
        rows.append({"category": category, "count": count, "cost": cost, "accumulated": acc, "net": cost - acc})
        totals = [totals[0] + count, totals[1] + cost, totals[2] + acc, totals[3] + cost - acc]
    return {
        "rows": rows,
        "totals": {"count": totals[0], "cost": totals[1], "accumulated": totals[2], "net": totals[3]},
    }


def month_movements(school, start, end):
    """{kind: (count, value)} of movements in [start, end)."""
    rows = (
        AssetMovement.objects.filter(school=school, date__gte=start, date__lt=end)
        .values_list("kind")
        .annotate(n=Count("pk"), value=Sum("asset__unit_price"))
        .order_by()
    )
    return {kind: (n, value or ZERO) for kind, n, value in rows}


def stocktake_results(school, start, end):
    """Stock-takes approved in [start, end) with their counts by result (one query for all)."""
    stocktakes = list(
        StockTake.objects.filter(
            school=school, status=StockTakeStatus.APPROVED, approved_at__date__gte=start, approved_at__date__lt=end
        ).order_by("approved_at")
    )
    counts = {}
    for stocktake_id, result, n in (
        StockTakeLine.objects.filter(stocktake__in=stocktakes)
        .values_list("stocktake_id", "result")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(stocktake_id, {})[result] = n
    return [(s, counts.get(s.pk, {})) for s in stocktakes]


def damages(school, start, end):
    data = DamageRecord.objects.filter(school=school).aggregate(
        charged_n=Count("pk", filter=Q(created__date__gte=start, created__date__lt=end)),
        charged_sum=Sum("amount", filter=Q(created__date__gte=start, created__date__lt=end)),
        paid_n=Count("pk", filter=Q(paid_at__date__gte=start, paid_at__date__lt=end)),
        paid_sum=Sum("amount", filter=Q(paid_at__date__gte=start, paid_at__date__lt=end)),
        outstanding_sum=Sum("amount", filter=Q(paid=False)),
    )
    data = {k.removesuffix("_sum"): (v if v is not None else ZERO) for k, v in data.items()}
    return data


def status_counts(school_ids):
    """{school_id: {status: count}} in one query."""
    result = {}
    for school_id, status, n in (
        Asset.objects.filter(school__in=school_ids).values_list("school", "status").annotate(n=Count("pk")).order_by()
    ):
        result.setdefault(school_id, {})[status] = n
    return result


def ledger_values(school_ids):
    """{school_id: cost of assets on the ledger} in one query."""
    return dict(
        Asset.objects.filter(school__in=school_ids)
        .exclude(status=AssetStatus.DISPOSED)
        .values_list("school")
        .annotate(v=Sum("unit_price"))
        .order_by()
    )


ADDITIONS = (MovementKind.ACQUIRE, MovementKind.FOUND)
LOSSES = (MovementKind.LOST, MovementKind.STOCKTAKE_LOSS)
MISSING_RESULTS = (LineResult.MISSING,)
