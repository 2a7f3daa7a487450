"""The platform's workflow layer: business steps declared once on the model (django-fsm-2 core).

- :func:`step` / :func:`steps_of` / :func:`get_step` — the declaration (``steps.py``)
- :func:`run` / :func:`allowed_steps` / :func:`system_actor` — the service guard (``guard.py``)
- ``api.WorkflowViewSetMixin`` — one API action per step; ``views.StepPageView`` — the step pages
- :func:`is_read_only` / :func:`ensure_editable` — terminal states are read-only (API, pages, admin:
  ``admin.ReadOnlyWhenFinalMixin``); ``fields.FSMBooleanField`` for a yes/no status (paid)
- ``{% load workflow %}{% step_buttons obj "app:model_step" %}`` — the buttons
"""

from .errors import StepNotAllowed
from .steps import Step, ensure_editable, get_step, is_read_only, step, steps_of, terminal_states

__all__ = [
    "Step",
    "StepNotAllowed",
    "ensure_editable",
    "get_step",
    "is_read_only",
    "step",
    "steps_of",
    "terminal_states",
]
