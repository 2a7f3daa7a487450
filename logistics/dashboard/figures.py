"""The area figures computed and kept for a while, so that the principal's dashboard and the district page
stay fast at district scale: each school's six-month series and each period's district table are computed
once (every figure in a fixed number of queries) and kept in the cache for
``DASHBOARD_FIGURES_SECONDS`` (default 10 minutes; the months that are over an hour,
``DASHBOARD_PAST_MONTHS_SECONDS``); the page says when they were computed and offers to compute them again
(``?fresh=1``)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import metrics as registry

TREND_MONTHS = 6


def cache_seconds():
    return getattr(settings, "DASHBOARD_FIGURES_SECONDS", 600)


def _kept(key, compute, fresh=False, seconds=None):
    """(value, computed_at) from the cache, or computed now and kept ``seconds`` (default
    ``DASHBOARD_FIGURES_SECONDS``)."""
    seconds = cache_seconds() if seconds is None else seconds
    if seconds and not fresh:
        found = cache.get(key)
        if found is not None:
            return found
    value = (compute(), timezone.now())
    if seconds:
        cache.set(key, value, seconds)
    return value


def past_seconds():
    """How long a month that is over is kept (its figures change only with late corrections)."""
    return getattr(settings, "DASHBOARD_PAST_MONTHS_SECONDS", 3600)


def school_series(school_id, area_codes, today=None, fresh=False):
    """{metric code: [value of each of the last six months, oldest first]} for the trend figures and
    {metric code: value now} for the others, of one school's areas; with the time the current month's
    figures were computed. Each month is kept on its own: the current one ``DASHBOARD_FIGURES_SECONDS``,
    the months that are over ``DASHBOARD_PAST_MONTHS_SECONDS`` (an hour), so a page mostly recomputes one
    month, not six."""
    today = today or timezone.localdate()
    months = registry.last_months(today, TREND_MONTHS)
    codes = sorted(area_codes)
    chosen = [m for code in codes for m in registry.metrics(area=code)]
    trend = [m for m in chosen if m.trend]
    now_only = [m for m in chosen if not m.trend]
    names = ",".join(codes)

    def month_values(start, end, metrics):
        return lambda: {m.code: m.values([school_id], start, end).get(school_id) for m in metrics}

    data = {m.code: [] for m in trend}
    computed_at = None
    for index, (start, end) in enumerate(months):
        current = index == len(months) - 1
        key = f"dashboard:month:{school_id}:{start.isoformat()}:{names}"
        metrics = trend + now_only if current else trend
        seconds = cache_seconds() if current else past_seconds()
        values, at = _kept(key, month_values(start, end, metrics), fresh, seconds=seconds)
        for m in trend:
            data[m.code].append(values.get(m.code))
        if current:
            computed_at = at
            for m in now_only:
                data[m.code] = values.get(m.code)
    return data, computed_at, months


def district_table(school_ids, start, end, fresh=False):
    """{metric code: {school_id: value}} of every district figure over [start, end); with the time computed."""
    ids = sorted(school_ids)
    digest = _digest(ids)
    key = f"dashboard:district:{digest}:{start.isoformat()}:{end.isoformat()}"

    def compute():
        return {m.code: m.values(ids, start, end) for m in registry.metrics(district=True)}

    return _kept(key, compute, fresh)


def district_now(schools, fresh=False):
    """{school_id: {"widget.key": value}} of the widgets' district columns ("today at a glance"), for the
    schools given, kept ``DASHBOARD_FIGURES_SECONDS`` (in the page's language: some values are words);
    with the time computed."""
    from django.utils import translation

    from .registry import widgets

    ids = sorted(s.pk for s in schools)
    key = f"dashboard:district-now:{_digest(ids)}:{translation.get_language() or ''}"

    def compute():
        values = {sid: {} for sid in ids}
        for widget in widgets():
            if not widget.district_columns:
                continue
            for school_id, row in widget.district_values(schools).items():
                for name, value in row.items():
                    values.setdefault(school_id, {})[f"{widget.code}.{name}"] = str(value) if _lazy(value) else value
        return values

    return _kept(key, compute, fresh)


def _lazy(value):
    from django.utils.functional import Promise

    return isinstance(value, Promise)


def digest_of(*parts):
    """A short key of what a kept rendering depends on."""
    import hashlib

    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _digest(ids):
    import hashlib

    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
