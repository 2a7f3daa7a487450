"""OpenAPI naming: every choices class of the project becomes one named enum (``TicketStatusEnum``),
so the schema does not invent names like ``StatusD1eEnum`` when two apps both have a ``status``."""

import importlib
import inspect

from django.apps import apps
from django.conf import settings
from django.db import models
from drf_spectacular import openapi


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


ERROR_COMPONENT = {
    "type": "object",
    "description": "Every API error: `detail` is the readable message; `status` the record's current status "
    "(409); `errors` maps each invalid field to its messages (400).",
    "properties": {
        "detail": {"type": "string"},
        "status": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail"],
}
ERROR_TEXT = {
    "400": "The input (body or query) is not valid; nothing changed.",
    "401": "Not signed in.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record among those the user may see.",
    "409": "Not possible in the record's current status (or still in use); nothing changed.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors it can answer, all
    with the one error shape (``Error``): 400 for input, 401/403 for who asks, 404 for a record in the
    path, 409 for writes refused by the record's status."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_COMPONENT
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403"]
            if "{" in path:
                codes.append("404")
            if method in ("post", "put", "patch", "delete"):
                codes.append("409")
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERROR_TEXT[code], **ref})
    return result


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, except that only a GET's list is documented as paginated: DRF pages a
    queryset in ``list()`` alone, so a POST answering ``many=True`` rows (a class's invitations, a bulk
    action) answers a plain array — documenting it as the paginated envelope made clients expect
    ``results``."""

    def _get_paginator(self):
        if self.method != "GET":
            return None
        return super()._get_paginator()
