"""The area figures computed and kept for a while, so that the principal's dashboard and the district page
stay fast at district scale: each school's six-month series and each period's district table are computed
once (every figure in a fixed number of queries) and kept in the cache for
``DASHBOARD_FIGURES_SECONDS`` (default 10 minutes); the page says when they were computed and offers to
compute them again (``?fresh=1``)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import metrics as registry

TREND_MONTHS = 6


def cache_seconds():
    return getattr(settings, "DASHBOARD_FIGURES_SECONDS", 600)


def _kept(key, compute, fresh=False):
    """(value, computed_at) from the cache, or computed now and kept."""
    seconds = cache_seconds()
    if seconds and not fresh:
        found = cache.get(key)
        if found is not None:
            return found
    value = (compute(), timezone.now())
    if seconds:
        cache.set(key, value, seconds)
    return value


def school_series(school_id, area_codes, today=None, fresh=False):
    """{metric code: [value of each of the last six months, oldest first]} for the trend figures and
    {metric code: value now} for the others, of one school's areas; with the time computed."""
    today = today or timezone.localdate()
    months = registry.last_months(today, TREND_MONTHS)
    codes = sorted(area_codes)
    key = f"dashboard:series:{school_id}:{today.isoformat()}:{','.join(codes)}"

    def compute():
        data = {}
        for code in codes:
            for metric in registry.metrics(area=code):
                if metric.trend:
                    data[metric.code] = [metric.values([school_id], s, e).get(school_id) for s, e in months]
                else:
                    start, end = months[-1]
                    data[metric.code] = metric.values([school_id], start, end).get(school_id)
        return data

    return (*_kept(key, compute, fresh), months)


def district_table(school_ids, start, end, fresh=False):
    """{metric code: {school_id: value}} of every district figure over [start, end); with the time computed."""
    ids = sorted(school_ids)
    digest = _digest(ids)
    key = f"dashboard:district:{digest}:{start.isoformat()}:{end.isoformat()}"

    def compute():
        return {m.code: m.values(ids, start, end) for m in registry.metrics(district=True)}

    return _kept(key, compute, fresh)


def _digest(ids):
    import hashlib

    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
