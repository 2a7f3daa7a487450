"""Health checks that answer fast whatever the broker does (/healthz, the system page)."""

import logging

log = logging.getLogger(__name__)


def broker_ok():
    """One connection attempt, no retries, a short timeout: a dead broker answers in milliseconds."""
    from logistics.celery import app

    try:
        with app.connection_for_write(connect_timeout=0.08) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=0.08)
    except Exception:  # noqa: BLE001
        return False
    return True
