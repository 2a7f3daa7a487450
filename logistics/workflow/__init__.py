"""The platform's workflow layer: business steps declared once on the model (django-fsm-2 core).

- :func:`step` / :func:`steps_of` / :func:`get_step` — the declaration (``steps.py``)
- :func:`run` / :func:`allowed_steps` / :func:`system_actor` — the service guard (``guard.py``)
- ``api.WorkflowViewSetMixin`` — one API action per step; ``views.StepPageView`` — the step pages
- ``{% load workflow %}{% step_buttons obj "app:model_step" %}`` — the buttons
"""

from .errors import StepNotAllowed
from .steps import Step, get_step, is_read_only, step, steps_of, terminal_states

__all__ = ["Step", "StepNotAllowed", "get_step", "is_read_only", "step", "steps_of", "terminal_states"]
