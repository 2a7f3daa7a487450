"""The Celery application. The beat schedule lives in settings (CELERY_BEAT_SCHEDULE)."""

import logging
import os

from celery import Celery
from celery.signals import beat_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")

app = Celery("logistics")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
log = logging.getLogger(__name__)


def _catch_up_soon(**_kwargs):
    """At worker and beat start: ask for the catch-up of every duty missed while they were down."""
    try:
        app.send_task("logistics.system.catch_up", retry=False)
    except Exception:  # noqa: BLE001 — the hourly catch-up tries again
        log.warning("could not enqueue the catch-up", exc_info=True)


worker_ready.connect(_catch_up_soon, dispatch_uid="houqin-catch-up-worker")
beat_init.connect(_catch_up_soon, dispatch_uid="houqin-catch-up-beat")
