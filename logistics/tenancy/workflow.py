"""Status workflows: which step may follow which status, and the error when it may not.

Services of every app describe their workflow as a mapping ``{step: (from statuses, to status)}``
and call :func:`check_step`; a disallowed step raises :class:`StepNotAllowed`, answered with 409
by the API (and a message on the pages), with the current status named and nothing changed.
"""

from django.utils.translation import gettext_lazy as _

from logistics.workflow.errors import StepNotAllowed  # noqa: E402  (one exception class)


def check_step(obj, step, workflow, status_field="status"):
    """Raise StepNotAllowed unless ``step`` may be taken from ``obj``'s current status; return the target."""
    allowed_from, target = workflow[step]
    current = getattr(obj, status_field)
    if current not in allowed_from:
        label = getattr(obj, f"get_{status_field}_display", lambda: current)()
        raise StepNotAllowed(
            _("“%(step)s” is not possible while the status is “%(status)s”.") % {"step": step, "status": label},
            status=current,
        )
    return target
