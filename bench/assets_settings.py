"""Settings of the assets benchmark server: production settings (DEBUG off) + the floor view and an
``X-Queries`` header. Used only by ``bench/bench_assets.py``."""

from logistics.settings import *  # noqa: F403
from logistics.settings import MIDDLEWARE

DEBUG = False
ROOT_URLCONF = "assets_urls"
MIDDLEWARE = ["floor.QueryCountMiddleware", *MIDDLEWARE]
# The production cache (in-process): the page header is cached per user and school, as in production.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
