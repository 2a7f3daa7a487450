"""Settings of the safety benchmark server: the production settings (DEBUG off) plus the floors and a
query counter (``X-Queries`` header). Used only by ``bench/bench_safety.py``."""

from logistics.settings import *  # noqa: F403
from logistics.settings import MIDDLEWARE

DEBUG = False
ROOT_URLCONF = "safety_urls"
MIDDLEWARE = ["floor.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
