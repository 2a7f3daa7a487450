"""Settings of the repairs benchmark server: the production settings (DEBUG off) plus the floor view
and a query counter (``X-Queries`` header). Used only by ``bench/bench_repairs.py`` — the floor view
is not part of the application's URLs."""

from logistics.settings import *  # noqa: F403
from logistics.settings import MIDDLEWARE

DEBUG = False
ROOT_URLCONF = "repairs_urls"
MIDDLEWARE = ["floor.QueryCountMiddleware", *MIDDLEWARE]
# No cache: every request does its full work (the figures are cached for 2 minutes in production).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
