"""Settings of the repairs benchmark server: the production settings (DEBUG off) plus the floor view
and a query counter (``X-Queries`` header). Used only by ``bench/bench_repairs.py`` — the floor view
is not part of the application's URLs."""

from logistics.settings import *  # noqa: F403
from logistics.settings import MIDDLEWARE

DEBUG = False
ROOT_URLCONF = "repairs_urls"
MIDDLEWARE = ["floor.QueryCountMiddleware", *MIDDLEWARE]
# The production cache (in-process; the page header is cached per user and school), but the figures are
# not cached, so every stats request does its full work (production keeps them for 2 minutes).
REPAIRS_STATS_CACHE_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
