"""OpenAPI naming: every choices class of the project becomes one named enum (``TicketStatusEnum``),
so the schema does not invent names like ``StatusD1eEnum`` when two apps both have a ``status``."""

import importlib
import inspect

from django.apps import apps
from django.conf import settings
from django.db import models


def _choices_classes():
    for config in apps.get_app_configs():
        if (
            not config.name.startswith("logistics")
            and config.path
            and not config.path.startswith(str(settings.BASE_DIR))
        ):
            continue
        for module_name in (f"{config.name}.choices", f"{config.name}.models"):
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, models.Choices) and value.__module__ == module.__name__:
                    yield value


def name_choice_enums():
    """Fill SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (before the schema is first built)."""
    overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
    taken_names = set(overrides)
    seen_sets = set()
    for cls in _choices_classes():
        values = tuple(sorted(str(v) for v in cls.values))
        name = f"{cls.__name__}Enum"
        if values in seen_sets or name in taken_names:
            continue
        seen_sets.add(values)
        taken_names.add(name)
        overrides[name] = f"{cls.__module__}.{cls.__qualname__}"
