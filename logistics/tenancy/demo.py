"""Registry of demo-data providers: each domain app adds its records to ``manage.py seed_demo``.

A provider is ``fn(school, users, scale, rng)`` where ``users`` maps ``role`` → the demo user of that
role in this school and ``scale`` is ``"small"`` or ``"large"``. Providers must be idempotent
(running seed_demo twice adds nothing the second time).
"""

_providers = []


def register(fn):
    _providers.append(fn)
    return fn


def providers():
    return list(_providers)
