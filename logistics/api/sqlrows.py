"""A declared serializer's JSON built by PostgreSQL — the API list's and detail's fastest path.

:class:`logistics.api.rows.ValuesRows` reads a page's columns with ``values()`` and formats them in
Python; for a 50-row page of 23 fields that formatting, the extra query per many relation and the JSON
encoding cost more than everything else the request does. :func:`row_expression` compiles the same
declared serializer into **one SQL expression per row** — ``JSON_BUILD_OBJECT(...)`` with each field
formatted exactly as its ``to_representation`` would (ISO 8601 date-times in the current time zone,
decimals as strings with their places, choice labels in the current language), nested serializers as
nested objects and ``many=True`` relations as ``JSON_AGG`` subqueries — so a page is one query whose
rows are the JSON text of each object, joined into the response without being parsed.

It is an optimisation of the values path, never a second definition: it understands the same
declarations (model columns, dotted sources, nested and many serializers, ``get_<field>_display``,
``__str__`` of a model that declares ``str_expression``) and a ``SerializerMethodField`` only when its
method declares its SQL with ``@row_columns(..., expression=...)``. Anything else raises
:class:`NotCompilable` when the expression is built, and the viewset keeps the values path (checked by
``tests/platform/test_rows.py``, which also compares the two paths' JSON for every endpoint).

PostgreSQL only (``JSON_BUILD_OBJECT``/``JSON_AGG``); on SQLite the values path serves.
"""

from django.contrib.postgres.aggregates.mixins import OrderableAggMixin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Aggregate, Case, F, Func, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.settings import api_settings

__all__ = ["NotCompilable", "json_array", "row_expression", "url_expression"]

_TEXT = models.TextField()


class NotCompilable(Exception):
    """The serializer has a field this module cannot build in SQL (the values path serves it)."""


class JsonObject(Func):
    """``JSON_BUILD_OBJECT(key, value, …)`` — keys in the serializer's order (``JSONB`` would sort them)."""

    function = "JSON_BUILD_OBJECT"
    output_field = _TEXT

    def __init__(self, pairs):
        expressions = []
        for key, value in pairs:
            expressions.extend([Value(key, output_field=_TEXT), value])
        super().__init__(*expressions, output_field=_TEXT)


class JsonAgg(OrderableAggMixin, Aggregate):
    function = "JSON_AGG"
    template = "%(function)s(%(distinct)s%(expressions)s %(order_by)s)"
    output_field = _TEXT


class AsText(Func):
    """The JSON value as text (what the response joins)."""

    template = "(%(expressions)s)::text"
    output_field = _TEXT


class EmptyArray(Func):
    template = "COALESCE(%(expressions)s, '[]'::json)"
    output_field = _TEXT


class IsoDateTime(Func):
    """``DateTimeField.to_representation`` in SQL: the value in time zone ``tz`` as ISO 8601, microseconds
    only when there are any, the offset as ``+08:00`` and UTC as ``Z`` (Python's ``isoformat``)."""

    output_field = _TEXT
    template = (
        "CASE WHEN %(expressions)s IS NULL THEN NULL ELSE "
        "TO_CHAR(%(expressions)s AT TIME ZONE %(tz)s, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN MOD(DATE_PART('microseconds', %(expressions)s)::bigint, 1000000) <> 0"
        " THEN TO_CHAR(%(expressions)s AT TIME ZONE %(tz)s, '.US') ELSE '' END"
        " || CASE WHEN %(offset)s = INTERVAL '0' THEN 'Z'"
        " WHEN %(offset)s < INTERVAL '0' THEN '-' || TO_CHAR(-(%(offset)s), 'HH24:MI')"
        " ELSE '+' || TO_CHAR(%(offset)s, 'HH24:MI') END END"
    )

    def __init__(self, expression, tz):
        super().__init__(expression, output_field=_TEXT)
        self.tz = tz

    def as_sql(self, compiler, connection, **extra):
        quoted = "'" + self.tz.replace("'", "''") + "'"
        sql, params = compiler.compile(self.source_expressions[0])
        offset = f"((({sql}) AT TIME ZONE {quoted}) - (({sql}) AT TIME ZONE 'UTC'))"
        return super().as_sql(compiler, connection, tz=quoted, offset=offset, **extra)


def row_expression(serializer_class, model, *, tz, prefix=""):
    """The SQL expression of one row of ``serializer_class`` over ``model`` (columns under ``prefix``),
    as JSON text. ``tz`` is the time zone name of the date-times. Raises :class:`NotCompilable`."""
    return AsText(_object(serializer_class, model, prefix, tz))


def _object(serializer_class, model, prefix, tz):
    serializer = serializer_class()
    if getattr(serializer_class, "representation_adjuster", None) is not None and prefix:
        raise NotCompilable(f"{serializer_class.__name__}: a nested serializer with an adjuster")
    pairs = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        pairs.append((name, _field(serializer, name, field, model, prefix, tz)))
    return JsonObject(pairs)


def _resolve(model, prefix, source):
    """(model of the last step, its field or None, path prefix, last part) of a dotted ``source``."""
    parts = source.split(".")
    path = prefix
    for part in parts[:-1]:
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist as exc:
            raise NotCompilable(source) from exc
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            raise NotCompilable(source)
        path += part + "__"
        model = field.related_model
    last = parts[-1]
    try:
        found = model._meta.get_field(last)
    except FieldDoesNotExist:
        found = None
    return model, found, path, last


def _null_if_no(fk_path, expression):
    return Case(When(**{f"{fk_path}__isnull": True}, then=Value(None)), default=expression, output_field=_TEXT)


def _str_of(model, path, fk_path=None):
    build = getattr(model, "str_expression", None)
    if build is None:
        raise NotCompilable(f"{model.__name__} has no str_expression")
    expression = build(path)
    return _null_if_no(fk_path, expression) if fk_path else expression


def _labels(column, choice_field):
    whens = [When(**{column: value}, then=Value(str(label))) for value, label in choice_field.flatchoices]
    return Case(*whens, default=Cast(F(column), _TEXT), output_field=_TEXT)


def _field(serializer, name, field, model, prefix, tz):  # noqa: C901 — one branch per kind of field
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(type(serializer), field.method_name)
        build = getattr(method, "row_expression", None)
        if build is None:
            raise NotCompilable(f"{name}: a method field without an SQL expression")
        return build(prefix)
    if field.source == "*":
        raise NotCompilable(name)
    if isinstance(field, serializers.ListSerializer | relations.ManyRelatedField):
        return _many(field, model, prefix, tz)
    related_model, model_field, path, last = _resolve(model, prefix, field.source)
    if isinstance(field, serializers.BaseSerializer):
        if model_field is None or not (model_field.many_to_one or model_field.one_to_one):
            raise NotCompilable(name)
        nested = _object(type(field), model_field.related_model, path + last + "__", tz)
        return _null_if_no(path + model_field.attname, nested)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if model_field is None or not model_field.is_relation or field.pk_field is not None:
            raise NotCompilable(name)
        return F(path + model_field.attname)
    if isinstance(field, relations.RelatedField):
        raise NotCompilable(name)
    if model_field is not None and model_field.concrete and last == model_field.attname != model_field.name:
        return _scalar(field, F(path + model_field.attname), tz, model_field)
    if model_field is not None and (model_field.many_to_one or model_field.one_to_one):
        if not isinstance(field, drf_fields.CharField):
            raise NotCompilable(name)
        return _str_of(model_field.related_model, path + last + "__", path + model_field.attname)
    if model_field is not None and model_field.concrete and not model_field.is_relation:
        return _scalar(field, F(path + model_field.attname), tz, model_field)
    if last.startswith("get_") and last.endswith("_display"):
        choice_field = related_model._meta.get_field(last[4:-8])
        return _labels(path + choice_field.attname, choice_field)
    if last == "__str__":
        if path == prefix:
            return _str_of(related_model, path)
        return _str_of(related_model, path, path[: -len("__")] + "_id")
    raise NotCompilable(name)


def _scalar(field, column, tz, model_field):
    """A model column formatted as ``field.to_representation`` would."""
    if isinstance(field, drf_fields.DateTimeField):
        fmt = getattr(field, "format", drf_fields.empty)
        fmt = api_settings.DATETIME_FORMAT if fmt is drf_fields.empty else fmt
        if not isinstance(fmt, str) or fmt.lower() != drf_fields.ISO_8601 or getattr(field, "timezone", None):
            raise NotCompilable(field.field_name)
        return IsoDateTime(column, tz)
    if isinstance(field, drf_fields.DateField):
        fmt = getattr(field, "format", drf_fields.empty)
        fmt = api_settings.DATE_FORMAT if fmt is drf_fields.empty else fmt
        if not isinstance(fmt, str) or fmt.lower() != drf_fields.ISO_8601:
            raise NotCompilable(field.field_name)
        return column
    if isinstance(field, drf_fields.DecimalField):
        # the column's own scale is the field's places: no rounding, the numeric's text is DRF's string
        if (
            field.localize
            or field.normalize_output
            or getattr(model_field, "decimal_places", None) != field.decimal_places
        ):
            raise NotCompilable(field.field_name)
        if getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING):
            return Cast(column, _TEXT)
        return column
    if isinstance(field, drf_fields.ChoiceField | drf_fields.CharField | drf_fields.BooleanField):
        return column
    if isinstance(field, drf_fields.IntegerField | drf_fields.FloatField):
        if getattr(field, "coerce_to_string", False):
            raise NotCompilable(field.field_name)
        return column
    if isinstance(field, drf_fields.JSONField) and not field.binary:
        return column
    raise NotCompilable(f"{field.field_name}: {type(field).__name__}")


def _many(field, model, prefix, tz):
    """A ``many=True`` nested serializer or related-id list as a ``JSON_AGG`` subquery (``[]`` when none),
    in the related model's default order, then by primary key — as the values path reads it."""
    if prefix:
        raise NotCompilable(f"{field.source}: many relations inside a nested row")
    from .rows import _prefixed

    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist as exc:
        raise NotCompilable(field.source) from exc
    if model_field.many_to_many:
        m2m = model_field if model_field.concrete else model_field.field
        through = m2m.remote_field.through
        if model_field.concrete:
            owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        else:
            owner, target = m2m.m2m_reverse_field_name(), m2m.m2m_field_name()
        related = model_field.related_model
        queryset = through._base_manager.all()
        owner = through._meta.get_field(owner).attname
        inner_prefix = target + "__"
        ordering = [*(_prefixed(o, inner_prefix) for o in related._meta.ordering), inner_prefix + "pk"]
        ids_column = through._meta.get_field(target).attname
    elif model_field.one_to_many:
        related = model_field.related_model
        queryset = related._base_manager.all()
        owner = model_field.field.attname
        inner_prefix = ""
        ordering = [*related._meta.ordering, "pk"]
        ids_column = related._meta.pk.attname
    else:
        raise NotCompilable(field.source)
    if isinstance(field, relations.ManyRelatedField):
        item = F(ids_column)
    else:
        item = _object(type(field.child), related, inner_prefix, tz)
    order_by = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in ordering]
    rows = (
        queryset.filter(**{owner: OuterRef("pk")})
        .order_by()
        .values(owner)
        .annotate(items=JsonAgg(item, order_by=order_by))
        .values("items")
    )
    return EmptyArray(Subquery(rows, output_field=_TEXT))


def json_array(queryset, group_by, pairs, order_by):
    """A JSON array subquery for a ``SerializerMethodField``'s ``expression``: one object of ``pairs``
    (``[(key, expression), …]``) per row of ``queryset`` (already filtered on ``OuterRef`` columns, grouped by
    ``group_by``), in ``order_by`` order; ``[]`` when there is none."""
    rows = (
        queryset.order_by()
        .values(group_by)
        .annotate(items=JsonAgg(JsonObject(pairs), order_by=order_by))
        .values("items")
    )
    return EmptyArray(Subquery(rows, output_field=_TEXT))


def url_expression(viewname, column):
    """``reverse(viewname, args=[<column>])`` as SQL text: the URL around the column's value."""
    from django.db.models.functions import Concat
    from django.urls import reverse

    marker = 2147483647
    before, after = reverse(viewname, args=[marker]).split(str(marker))
    return Concat(Value(before), Cast(column, _TEXT), Value(after), output_field=_TEXT)
