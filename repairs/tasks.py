"""Celery tasks of the repairs app: thin, idempotent, calling the services.

The platform's reminder scan (every 15 minutes) already runs the repairs providers; these tasks let
operations run one part on demand (``repairs.tasks.open_due_plans.delay()``).
"""

from celery import shared_task


@shared_task(name="repairs.tasks.escalate_overdue")
def escalate_overdue():
    """Flag and escalate tickets past their target time (each once)."""
    from . import services

    return services.escalate_overdue()


@shared_task(name="repairs.tasks.auto_confirm")
def auto_confirm():
    """Confirm done tickets whose requester did not answer in time."""
    from . import services

    return services.auto_confirm_due()


@shared_task(name="repairs.tasks.open_due_plans")
def open_due_plans():
    """Open the preventive tickets of plans that fell due (each occurrence once)."""
    from . import services

    return services.open_due_plans()


@shared_task(name="repairs.tasks.refresh_figures")
def refresh_figures():
    """Bring the precomputed monthly figures up to date (also run by the reminder scan)."""
    from . import figures

    return figures.refresh_changed()
