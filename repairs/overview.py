"""What the repairs app shows on the principal's dashboard and the district comparison: repairs received
this month against last, the share finished by their target time, the median time to fix, and the open
repairs past their target (逾期未修)."""

import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from logistics.dashboard import metrics, needs

from .choices import OPEN_STATUSES
from .models import Ticket
from .stats import Percentiles, aware

AREA = _("Repairs")
ONE_DAY = datetime.timedelta(days=1)


def _in_use(ids, end):
    return set(
        Ticket.objects.filter(school_id__in=ids, submitted_at__lt=aware(end))
        .order_by()
        .values_list("school_id", flat=True)
        .distinct()
    )


def _received(ids, start, end):
    counts = dict(
        Ticket.objects.filter(school_id__in=ids, submitted_at__gte=aware(start), submitted_at__lt=aware(end))
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {sid: counts.get(sid, 0) for sid in _in_use(ids, end)}


def _done_in(ids, start, end):
    return Ticket.objects.filter(school_id__in=ids, done_at__gte=aware(start), done_at__lt=aware(end))


def _on_time(ids, start, end):
    """(finished by the target time, finished with a target) of the repairs finished in the period."""
    rows = (
        _done_in(ids, start, end)
        .filter(target_at__isnull=False)
        .values("school_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(done_at__lte=F("target_at"))))
        .order_by()
    )
    return {row["school_id"]: (row["on_time"], row["n"]) for row in rows if row["n"]}


def _median_hours(ids, start, end):
    from django.db import connection

    if connection.vendor != "postgresql":  # percentile_cont is PostgreSQL's: the median computed here
        import statistics

        by_school = {}
        for sid, submitted, done in _done_in(ids, start, end).values_list("school_id", "submitted_at", "done_at"):
            if submitted and done:
                by_school.setdefault(sid, []).append((done - submitted).total_seconds())
        return {sid: round(statistics.median(v) / 3600, 1) for sid, v in by_school.items()}
    duration = ExpressionWrapper(F("done_at") - F("submitted_at"), output_field=DurationField())
    rows = (
        _done_in(ids, start, end)
        .values("school_id")
        .annotate(p=Percentiles(duration, (0.5,)))
        .values_list("school_id", "p")
        .order_by()
    )
    return {sid: round(p[0] / 3600, 1) for sid, p in rows if p and p[0] is not None}


def past_target(ids):
    now = timezone.now()
    return dict(
        Ticket.objects.filter(school_id__in=ids, status__in=OPEN_STATUSES, target_at__lt=now)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _past_target_now(ids, start, end):
    counts = past_target(ids)
    return {sid: counts.get(sid, 0) for sid in _in_use(ids, end)}


def _list(**query):
    return f"{reverse('repairs:ticket_list')}?{urlencode(query, doseq=True)}"


def register():
    """Called from ``RepairsConfig.ready()``."""
    needs.register(
        needs.Overdue(
            "repairs.past_target",
            _("Repairs past their target time"),
            AREA,
            perm="repairs.view_ticket",
            count=past_target,
            url=lambda school: _list(past_target="true"),
            order=10,
        )
    )
    metrics.register_area(metrics.Area("repairs", AREA, perm="repairs.view_stats", order=10))
    metrics.register(
        metrics.Metric(
            "repairs.received",
            "repairs",
            _("Repairs received"),
            compute=_received,
            link=lambda school, start, end: _list(
                submitted_after=start.isoformat(), submitted_before=(end - ONE_DAY).isoformat()
            ),
            order=10,
        )
    )
    metrics.register(
        metrics.Metric(
            "repairs.on_time",
            "repairs",
            _("Repairs finished on time"),
            kind=metrics.RATE,
            compute=_on_time,
            link=lambda school, start, end: reverse("repairs:stats") + f"?start={start}&end={end}",
            district=True,
            order=20,
        )
    )
    metrics.register(
        metrics.Metric(
            "repairs.median_hours",
            "repairs",
            _("Median time to fix"),
            kind=metrics.HOURS,
            compute=_median_hours,
            link=lambda school, start, end: reverse("repairs:stats") + f"?start={start}&end={end}",
            lower_is_better=True,
            order=30,
        )
    )
    metrics.register(
        metrics.Metric(
            "repairs.past_target",
            "repairs",
            _("Open repairs past their target time"),
            compute=_past_target_now,
            link=lambda school, start, end: _list(past_target="true"),
            trend=False,
            lower_is_better=True,
            order=40,
        )
    )
