"""Settings of the dashboard benchmark server: production settings (DEBUG off) + the floor view and an
``X-Queries`` header. Used only by ``bench/bench_dashboard.py``."""

from logistics.settings import *  # noqa: F403
from logistics.settings import MIDDLEWARE

DEBUG = False
ROOT_URLCONF = "dashboard_urls"
MIDDLEWARE = ["floor.QueryCountMiddleware", *MIDDLEWARE]
# The production cache (in-process): the figures are kept DASHBOARD_FIGURES_SECONDS (10 min) as in
# production; the benchmark measures both the kept page and a fresh computation (?fresh=1).
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
