"""Change records as a person reads them: field labels instead of names, choice labels instead of
codes, 是/否 instead of True/False, local time to the minute, related records by name — and changes
that change nothing a person can see (``385.00 → 385``, microseconds) left out."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "—"


def _field(model, key):
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if key in (field.name, field.attname):
            return field
    return None


def _names(field, values):
    """{pk: str(obj)} for the related rows a record mentions (one query per field)."""
    ids = {v for v in values if v not in (None, "")}
    if not ids:
        return {}
    related = field.related_model
    return {str(obj.pk): str(obj) for obj in related._base_manager.filter(pk__in=ids)}


def format_value(field, value, names=None):
    """One stored value (as JSON) as a person reads it."""
    if value in (None, "") and not isinstance(field, models.BooleanField):
        return EMPTY
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.ForeignKey):
        return (names or {}).get(str(value), f"#{value}")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value)) if not isinstance(value, datetime.datetime) else value
        if moment is None:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(field, models.DateField):
        day = parse_date(str(value)) if not isinstance(value, datetime.date) else value
        return day.isoformat() if day else str(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        text = format(number.normalize(), "f")
        return text
    if isinstance(field, models.JSONField):
        return _("(changed)")
    return str(value)


def readable_changes(record, model=None):
    """[(label, before, after)] of an update record, readable and without non-changes."""
    model = model or (record.content_type.model_class() if record.content_type_id else None)
    before, after = record.before or {}, record.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    rows = []
    for key in keys:
        field = _field(model, key)
        if field is not None and not field.editable and field.name in ("updated", "created"):
            continue
        names = _names(field, [before.get(key), after.get(key)]) if isinstance(field, models.ForeignKey) else None
        old = format_value(field, before.get(key), names)
        new = format_value(field, after.get(key), names)
        if old == new and not isinstance(field, models.JSONField):
            continue
        label = capfirst(str(field.verbose_name)) if field is not None else key
        rows.append((label, old, new))
    return rows
