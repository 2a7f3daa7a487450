"""What the fixed-assets app shows on the principal's dashboard and the district comparison: the
disposals waiting for a decision (待我审批), the ledger's value, stock-take progress and losses."""

import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from logistics.dashboard import metrics, needs

from .choices import StockTakeStatus
from .models import AssetMovement, StockTake
from .reports_data import LOSSES, ledger_values

ONE_DAY = datetime.timedelta(days=1)


def _ledger_value(ids, start, end):
    return {sid: v for sid, v in ledger_values(ids).items() if v is not None}


def _stocktake_progress(ids, start, end):
    """Assets seen of those listed in each school's latest open stock-take (one query for all)."""
    from .services.stocktake import SEEN

    latest, schools = {}, set()
    for sid, pk in (
        StockTake.objects.filter(school_id__in=ids, status__in=(StockTakeStatus.IN_PROGRESS, StockTakeStatus.SUBMITTED))
        .order_by("school_id", "-pk")
        .values_list("school_id", "pk")
    ):  # the latest open one per school (open stock-takes are few; DISTINCT ON is PostgreSQL's only)
        if sid not in schools:
            schools.add(sid)
            latest[pk] = sid
    if not latest:
        return {}
    rows = (
        StockTake.objects.filter(pk__in=latest)
        .annotate(seen=Count("lines", filter=Q(lines__listed=True, lines__result__in=SEEN)))
        .values_list("pk", "seen", "expected_count")
    )
    return {latest[pk]: (seen, expected or 0) for pk, seen, expected in rows if expected}


def _losses(ids, start, end):
    rows = (
        AssetMovement.objects.filter(school_id__in=ids, kind__in=LOSSES, date__gte=start, date__lt=end)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _losses_value(ids, start, end):
    rows = (
        AssetMovement.objects.filter(school_id__in=ids, kind__in=LOSSES, date__gte=start, date__lt=end)
        .values_list("school_id")
        .annotate(v=Sum("asset__unit_price"))
        .order_by()
    )
    return {sid: v for sid, v in rows if v is not None}


def _movements_link(school, start, end):
    query = {"kind": LOSSES[0], "date_after": start.isoformat(), "date_before": (end - ONE_DAY).isoformat()}
    return f"{reverse('assets:assetmovement_list')}?{urlencode(query)}"


def register():
    """Called from ``AssetsConfig.ready()``."""
    needs.register(
        needs.Queue(
            "assets.disposal",
            _("Disposals to approve"),
            "assets.DisposalRequest",
            steps=("approve_head", "approve_principal"),
            area=_("Fixed assets"),
            order=10,
            more_url="assets:disposalrequest_list",
            describe=lambda d: d.reason[:60],
        )
    )
    needs.register(
        needs.Queue(
            "assets.stocktake",
            _("Stock-takes to approve"),
            "assets.StockTake",
            steps=("approve",),
            area=_("Fixed assets"),
            order=11,
            more_url="assets:stocktake_list",
        )
    )
    metrics.register_area(metrics.Area("assets", _("Fixed assets"), perm="assets.view_asset", order=50))
    metrics.register(
        metrics.Metric(
            "assets.value",
            "assets",
            _("Ledger value (yuan)"),
            kind=metrics.AMOUNT,
            compute=_ledger_value,
            link=lambda school, start, end: reverse("assets:ledger"),
            trend=False,
            order=10,
        )
    )
    metrics.register(
        metrics.Metric(
            "assets.stocktake",
            "assets",
            _("Stock-take progress"),
            kind=metrics.RATE,
            compute=_stocktake_progress,
            link=lambda school, start, end: reverse("assets:stocktake_list"),
            trend=False,
            order=20,
        )
    )
    metrics.register(
        metrics.Metric(
            "assets.losses",
            "assets",
            _("Assets lost"),
            compute=_losses,
            link=_movements_link,
            lower_is_better=True,
            order=30,
        )
    )
    metrics.register(
        metrics.Metric(
            "assets.losses_value",
            "assets",
            _("Value of assets lost (yuan)"),
            kind=metrics.AMOUNT,
            compute=_losses_value,
            link=_movements_link,
            lower_is_better=True,
            order=31,
        )
    )


def demo(school, users, scale, rng):
    """Demo: old computers asked to be scrapped — one request the logistics head approved (waiting for the
    principal), and in the first demo school one more waiting for the head. Idempotent."""
    from logistics.workflow import guard

    from .choices import AssetStatus
    from .models import Asset, DisposalRequest

    head, staff = users.get("logistics_head"), users.get("logistics_staff")
    if not head or DisposalRequest.objects.filter(school=school).exists():
        return
    old = list(Asset.objects.filter(school=school, status=AssetStatus.IN_USE).order_by("purchase_date", "pk")[:2])
    reasons = ["使用超过8年，主板损坏，维修费用超过原值50%，申请报废", "屏幕老化、无法开机，经鉴定无维修价值"]
    wanted = 2 if school.slug.endswith("1") else 1
    for index, asset in enumerate(old[:wanted]):
        request = guard.run(asset, "request_disposal", staff or head, reason=reasons[index], method="scrap")
        if index == 0:
            guard.run(request, "approve_head", head, note="经技术鉴定属实，同意报废")
