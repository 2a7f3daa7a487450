"""Registry of demo-data providers: each domain app adds its records to ``manage.py seed_demo``.

A provider is ``fn(school, users, scale, rng)`` where ``users`` maps ``role`` → the demo user of that
role in this school and ``scale`` is ``"small"`` or ``"large"``. Providers must be idempotent
(running seed_demo twice adds nothing the second time). ``order`` runs a provider later (the monthly
reports, made from everybody else's records, use ``order=100``).
"""

_providers = []


def register(fn, order=50):
    _providers.append((order, len(_providers), fn))
    return fn


def providers():
    return [fn for _order, _n, fn in sorted(_providers, key=lambda p: p[:2])]
