"""State fields beyond django-fsm-2's ``FSMField``/``FSMIntegerField``."""

from django.db import models
from django_fsm import FSMFieldMixin

__all__ = ["FSMBooleanField"]


class FSMBooleanField(FSMFieldMixin, models.BooleanField):
    """A yes/no status that steps move (a damage record is unpaid → paid). The model names the
    read-only value with ``read_only_states`` and may label both with ``get_<field>_display``."""
