"""Rows of a declared serializer read with ``values()`` — the list's (and detail's) fast path.

A ModelSerializer builds its fields on every instantiation and reads model instances field by field;
for a 50-row page that costs more than the queries. :class:`ValuesRows` reads the declared
serializer's fields **once** and compiles them into a plan: which columns to read with ``values()``
(joins followed for dotted sources and nested serializers), which relations to fetch in one extra
query each (``many=True`` nested serializers over a many-to-many or reverse foreign key, and
``PrimaryKeyRelatedField(many=True)``), and how to format each value exactly as the field's
``to_representation`` would. The JSON is the serializer's own, by construction; a test compares the two
for every list endpoint that uses it (``tests/platform/test_rows.py``).

What a plan understands, and how to declare the rest:

- model fields, dotted sources through foreign keys (``room.building.name``), ``get_<field>_display``;
- ``PrimaryKeyRelatedField`` (the foreign key's id column), nested serializers (a ``None`` foreign key
  gives ``None``, like DRF), ``many=True`` nested serializers and related-id lists;
- a source that is a foreign key shown as text (``CharField(source="custodian")``) or ``__str__``: the
  related model's ``str_columns`` (the columns its ``__str__`` reads, e.g. the user model's names);
- ``SerializerMethodField``: decorate its method with :func:`row_columns` naming the columns it reads;
  it is then called with a :class:`RowProxy` (attribute access over the row; the model's properties
  and methods work on it when they read only those columns).

Anything else raises ``ImproperlyConfigured`` when the plan is built (the first request), never a
silent difference.

Use (a viewset does this for you when it sets ``rows = ValuesRows(...)``; see ``viewsets.py``)::

    rows = ValuesRows(TicketListSerializer)
    data = rows.fetch(ids, context)            # in the order of ``ids``
    data = rows.fetch_queryset(qs, context)    # one row per object of ``qs`` (e.g. a detail)
"""

import datetime
import decimal
import types

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils import timezone
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.settings import api_settings

__all__ = ["RowProxy", "ValuesRows", "fetch_proxies", "row_columns"]


def row_columns(*columns, expression=None):
    """Declare the columns (paths relative to the serializer's model, ``room__name`` or
    ``room.name``) that a ``get_<field>`` method of a ``SerializerMethodField`` reads.

    ``expression(prefix)``, optional, returns the method's value as a Django expression over those
    columns (each path under ``prefix``) — what lets ``logistics.api.sqlrows`` build the row in SQL; it
    must give exactly what the method returns (``tests/platform/test_rows.py`` compares them)."""

    def mark(method):
        method.row_columns = tuple(c.replace(".", "__") for c in columns)
        if expression is not None:
            method.row_expression = expression
        return method

    return mark


class RowProxy:
    """An object view of a ``values()`` row: ``proxy.room.name`` reads ``row["room__name"]``;
    ``pk`` reads the primary key; the model's properties and methods run on the proxy; a many
    relation fetched by the plan reads as ``proxy.assignees.all()``."""

    __slots__ = ("_model", "_row", "_prefix", "_many")

    def __init__(self, model, row, prefix="", many=None):
        self._model = model
        self._row = row
        self._prefix = prefix
        self._many = many or {}

    def __getattr__(self, name):
        key = self._prefix + name
        row = self._row
        if key in row:
            return row[key]
        if name == "pk":
            return row[self._prefix + self._model._meta.pk.attname]
        if name in self._many:
            return _Many(self._many[name])
        if name.startswith("get_") and name.endswith("_display"):
            labels = _choice_labels(self._model, name[4:-8])
            if labels is not None:
                value = row[self._prefix + labels[0]]
                return lambda: str(labels[1].get(value, value))
        try:
            field = self._model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.concrete and (field.many_to_one or field.one_to_one):
            fk = self._prefix + field.attname
            if fk in row:
                if row[fk] is None:
                    return None
            elif not any(k.startswith(key + "__") for k in row):
                raise AttributeError(f"{self._model.__name__} row has no {name!r} (declare it with row_columns)")
            return RowProxy(field.related_model, row, key + "__")
        attribute = getattr(self._model, name, None)
        if isinstance(attribute, property):
            return attribute.fget(self)
        if callable(attribute):
            return types.MethodType(attribute, self)
        raise AttributeError(f"{self._model.__name__} row has no {name!r} (declare it with row_columns)")

    def __str__(self):
        return self._model.__str__(self)


_LABELS = {}


def _choice_labels(model, name):
    """(column, {value: label}) of a choices field of ``model`` (cached), or None."""
    key = (model, name)
    if key not in _LABELS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        _LABELS[key] = (field.attname, dict(field.flatchoices)) if field is not None and field.choices else None
    return _LABELS[key]


def _with_keys(model, columns):
    """``columns`` plus the key of every foreign key they pass through (``room__building__name`` →
    ``room_id``, ``room__building_id``), so that a null foreign key reads as None."""
    out = {}
    for column in columns:
        current, prefix = model, ""
        parts = column.split("__")
        for part in parts[:-1]:
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not (field.concrete and (field.many_to_one or field.one_to_one)):
                break
            out[prefix + field.attname] = None
            prefix += part + "__"
            current = field.related_model
        out[column] = None
    return list(out)


def fetch_proxies(model, ids, columns, many=()):
    """:class:`RowProxy` objects of ``model`` for ``ids`` (in order), reading ``columns``; each name in
    ``many`` (a many-to-many field) is fetched in one more query as proxies of the related model (with
    its ``str_columns``) and reads as ``proxy.<name>.all()``. What a page's table needs, without model
    instances."""
    ids = list(ids)
    if not ids:
        return []
    pk = model._meta.pk.attname
    values = model._base_manager.filter(pk__in=ids).order_by().values(*_with_keys(model, [pk, *columns]))
    by_pk = {row[pk]: row for row in values}
    related = {}
    for name in many:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        owner = through._meta.get_field(field.m2m_field_name()).attname
        target = field.m2m_reverse_field_name()
        target_model = field.related_model
        prefix = target + "__"
        order = [*(_prefixed(o, prefix) for o in target_model._meta.ordering), prefix + "pk"]
        cols = [prefix + target_model._meta.pk.attname, *(prefix + c for c in _str_columns(target_model))]
        found = {}
        for row in through._base_manager.filter(**{f"{owner}__in": ids}).order_by(*order).values(owner, *cols):
            found.setdefault(row[owner], []).append(RowProxy(target_model, row, prefix))
        related[name] = found
    return [
        RowProxy(model, by_pk[key], "", {name: found.get(key, []) for name, found in related.items()})
        for key in ids
        if key in by_pk
    ]


class _Many(list):
    def all(self):
        return self


def _path(source):
    return source.replace(".", "__")


def _datetime(field):
    """``DateTimeField.to_representation`` for ISO 8601 output, without its per-call checks."""
    fmt = getattr(field, "format", drf_fields.empty)
    fmt = api_settings.DATETIME_FORMAT if fmt is drf_fields.empty else fmt
    if fmt is None or (isinstance(fmt, str) and fmt.lower() != drf_fields.ISO_8601):
        return field.to_representation
    if getattr(field, "timezone", None) is not None:
        return field.to_representation

    def convert(value, tz):
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    convert.needs_tz = True
    return convert


def _converter(field):
    """(convert(value[, tz]), needs_tz) equal to ``field.to_representation`` for non-None values."""
    if isinstance(field, drf_fields.DateTimeField):
        convert = _datetime(field)
        return convert, getattr(convert, "needs_tz", False)
    if isinstance(field, drf_fields.DateField):
        fmt = getattr(field, "format", drf_fields.empty)
        fmt = api_settings.DATE_FORMAT if fmt is drf_fields.empty else fmt
        if isinstance(fmt, str) and fmt.lower() == drf_fields.ISO_8601:
            return (lambda value: value.isoformat() if isinstance(value, datetime.date) else value), False
        return field.to_representation, False
    if isinstance(field, drf_fields.ChoiceField):
        lookup = field.choice_strings_to_values
        return (lambda value: value if value in lookup else field.to_representation(value)), False
    if isinstance(field, drf_fields.CharField):
        return (lambda value: value if type(value) is str else field.to_representation(value)), False
    if isinstance(field, drf_fields.BooleanField):
        return (lambda value: value if type(value) is bool else field.to_representation(value)), False
    if isinstance(field, drf_fields.IntegerField):
        return (lambda value: value if type(value) is int else field.to_representation(value)), False
    if isinstance(field, drf_fields.DecimalField):
        return (lambda value: field.to_representation(value) if isinstance(value, decimal.Decimal) else value), False
    if isinstance(field, drf_fields.JSONField) and not field.binary:
        return (lambda value: value), False
    return field.to_representation, False


def _str_columns(model):
    columns = getattr(model, "str_columns", None)
    if columns is None:
        raise ImproperlyConfigured(
            f"{model.__name__} is shown as text in a values row: give it str_columns (the columns __str__ reads)"
        )
    return columns


class _Plan:
    """The compiled plan of one serializer class over its model, with column prefix ``prefix``."""

    def __init__(self, serializer_class, model, prefix=""):
        self.model = model
        self.prefix = prefix
        self.columns = []  # values() paths
        self.getters = []  # (key, getter(row, tz, many))
        self.relations = {}  # name → _Relation (fetched in one query per page)
        self.adjuster = getattr(serializer_class, "representation_adjuster", None)
        serializer = serializer_class()
        self.serializer = serializer
        pk = prefix + model._meta.pk.attname
        self.pk = pk
        self._column(pk)
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            self.getters.append((name, self._compile(name, field)))

    def _column(self, path):
        if path not in self.columns:
            self.columns.append(path)
        return path

    def _resolve(self, source):
        """(model of the last step, its field or None, path prefix) for a dotted ``source``."""
        model, parts = self.model, source.split(".")
        path = self.prefix
        for part in parts[:-1]:
            field = model._meta.get_field(part)
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                raise ImproperlyConfigured(f"{source}: only forward foreign keys can be followed in a values row")
            path += part + "__"
            model = field.related_model
        last = parts[-1]
        try:
            field = model._meta.get_field(last)
        except FieldDoesNotExist:
            field = None
        return model, field, path, last

    def _compile(self, name, field):
        if isinstance(field, serializers.SerializerMethodField):
            method = getattr(type(self.serializer), field.method_name)
            columns = getattr(method, "row_columns", None)
            if columns is None:
                raise ImproperlyConfigured(
                    f"{type(self.serializer).__name__}.{field.method_name}: declare its columns with @row_columns"
                )
            for column in columns:
                self._column(self.prefix + column)
            bound, model, prefix = method, self.model, self.prefix
            serializer = self.serializer
            return lambda row, tz, many: bound(serializer, RowProxy(model, row, prefix, many))
        if field.source == "*":
            raise ImproperlyConfigured(f"{name}: source='*' is not supported in a values row")
        if isinstance(field, serializers.ListSerializer | relations.ManyRelatedField):
            relation = _Relation(self, field)
            self.relations[field.source] = relation
            key = field.source
            return lambda row, tz, many: many.get(key, ())
        model, model_field, path, last = self._resolve(field.source)
        if isinstance(field, serializers.BaseSerializer):  # nested, one object
            if model_field is None or not (model_field.many_to_one or model_field.one_to_one):
                raise ImproperlyConfigured(f"{name}: a nested serializer needs a foreign key source")
            fk = self._column(path + model_field.attname)
            nested = _Plan(type(field), model_field.related_model, path + last + "__")
            for column in nested.columns:
                self._column(column)
            if nested.relations:
                raise ImproperlyConfigured(f"{name}: many relations inside a nested row are not supported")

            def nested_row(row, tz, many, fk=fk, nested=nested):
                if row[fk] is None:
                    return None
                return nested.represent(row, tz, {})

            return nested_row
        if isinstance(field, relations.PrimaryKeyRelatedField):
            if model_field is None or not model_field.is_relation:
                raise ImproperlyConfigured(f"{name}: a related field needs a foreign key source")
            column = self._column(path + model_field.attname)
            if field.pk_field is not None:
                convert = field.pk_field.to_representation
                return lambda row, tz, many: None if row[column] is None else convert(row[column])
            return lambda row, tz, many: row[column]
        if isinstance(field, relations.RelatedField):
            raise ImproperlyConfigured(f"{name}: {type(field).__name__} is not supported in a values row")
        convert, needs_tz = _converter(field)
        if model_field is not None and model_field.concrete and last == model_field.attname != model_field.name:
            column = self._column(path + model_field.attname)  # ``building_id``: the key itself
            return lambda row, tz, many: None if row[column] is None else convert(row[column])
        if model_field is not None and (model_field.many_to_one or model_field.one_to_one):
            # a foreign key shown as text: str() of the related object, from its str_columns
            related = model_field.related_model
            fk = self._column(path + model_field.attname)
            prefix = path + last + "__"
            for column in _str_columns(related):
                self._column(prefix + column)
            return lambda row, tz, many: (
                None if row[fk] is None else convert(related.__str__(RowProxy(related, row, prefix)))
            )
        if model_field is not None and model_field.concrete and not model_field.is_relation:
            column = self._column(path + model_field.attname)
            if needs_tz:
                return lambda row, tz, many: None if row[column] is None else convert(row[column], tz)
            return lambda row, tz, many: None if row[column] is None else convert(row[column])
        # a model attribute: get_<field>_display, __str__, or a property that declares its columns
        if last.startswith("get_") and last.endswith("_display"):
            choice_field = model._meta.get_field(last[4:-8])
            column = self._column(path + choice_field.attname)
            labels = dict(choice_field.flatchoices)
            return lambda row, tz, many: convert(str(labels.get(row[column], row[column])))
        if last == "__str__":
            prefix = path
            for column in _str_columns(model):
                self._column(prefix + column)
            if path == self.prefix:
                return lambda row, tz, many: convert(model.__str__(RowProxy(model, row, prefix)))
            fk = path[: -len("__")] + "_id"
            self._column(fk)
            return lambda row, tz, many: (
                None if row[fk] is None else convert(model.__str__(RowProxy(model, row, prefix)))
            )
        raise ImproperlyConfigured(f"{name}: source {field.source!r} is not a column; use a SerializerMethodField")

    def represent(self, row, tz, many):
        return {key: getter(row, tz, many) for key, getter in self.getters}


class _Relation:
    """A many relation of a plan (``many=True`` nested serializer or related ids), fetched for a whole
    page in one query: on the through table of a many-to-many (the related model joined), or on the
    related model of a reverse foreign key; in the related model's default order, then by primary key."""

    def __init__(self, plan, field):
        model = plan.model
        try:
            model_field = model._meta.get_field(field.source)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"{field.source}: a many field needs a relation source") from exc
        if model_field.many_to_many:
            m2m = model_field if model_field.concrete else model_field.field
            through = m2m.remote_field.through
            if model_field.concrete:
                owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            else:
                owner, target = m2m.m2m_reverse_field_name(), m2m.m2m_field_name()
            related = model_field.related_model
            self.queryset = through._base_manager.all()
            self.owner = through._meta.get_field(owner).attname
            prefix = target + "__"
            self.ordering = [*(_prefixed(o, prefix) for o in related._meta.ordering), prefix + "pk"]
            ids_column = through._meta.get_field(target).attname
        elif model_field.one_to_many:
            related = model_field.related_model
            self.queryset = related._base_manager.all()
            self.owner = model_field.field.attname
            prefix = ""
            self.ordering = [*related._meta.ordering, "pk"]
            ids_column = related._meta.pk.attname
        else:
            raise ImproperlyConfigured(f"{field.source}: a many field needs a many-to-many or reverse foreign key")
        if isinstance(field, relations.ManyRelatedField):
            self.plan = None
            self.ids_column = ids_column
            self.columns = [ids_column]
        else:
            self.plan = _Plan(type(field.child), related, prefix)
            self.columns = self.plan.columns

    def fetch(self, ids, tz):
        """{owner id: [representation, …]} for the owners ``ids``."""
        queryset = self.queryset.filter(**{f"{self.owner}__in": ids}).order_by(*self.ordering)
        found = {}
        owner = self.owner
        for row in queryset.values(owner, *self.columns):
            value = row[self.ids_column] if self.plan is None else self.plan.represent(row, tz, {})
            found.setdefault(row[owner], []).append(value)
        return found


def _prefixed(ordering, prefix):
    if hasattr(ordering, "resolve_expression"):
        raise ImproperlyConfigured("expression orderings are not supported in a values row's relation")
    return f"-{prefix}{ordering[1:]}" if ordering.startswith("-") else prefix + ordering


class _IdsMarker:
    """Stands for the page's ids in the compiled SQL of :meth:`ValuesRows.json_texts`."""


def change_times(model, ids):
    """{pk: updated} of ``model``'s rows ``ids`` — one query by primary key, written as SQL text (an ORM
    queryset costs more to build than this query to run): what kept rows and pages are keyed by."""
    from django.db import connection

    ids = [int(pk) for pk in ids]
    if not ids:
        return {}
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {quote('updated')} FROM {table} WHERE {pk} IN ({marks})", ids)  # noqa: S608 — quoted names
        return dict(cursor.fetchall())


class ValuesRows:
    """The declared ``serializer_class``'s representation, read with ``values()`` (see the module
    docstring). Build once (a class attribute); the plan is compiled at first use."""

    def __init__(self, serializer_class):
        self.serializer_class = serializer_class
        self._plan = None
        self._sql = {}

    def sql_expression(self):
        """The row as JSON text built by PostgreSQL (``logistics.api.sqlrows``) for the current language
        and time zone, or None where it cannot be (another database, or a field the SQL cannot build)."""
        compiled = self._compiled()
        return None if compiled is None else compiled[0]

    def _compiled(self):
        """(expression, SQL, params, index of the ids parameter) of "the JSON rows of these ids" for the
        current language and time zone, compiled once; None where the SQL path cannot serve."""
        from django.db import connection
        from django.db.models.expressions import RawSQL
        from django.utils.translation import get_language

        if connection.vendor != "postgresql":
            return None
        tz = timezone.get_current_timezone_name()
        key = (get_language(), tz)
        if key not in self._sql:
            from .sqlrows import NotCompilable, row_expression

            try:
                expression = row_expression(self.serializer_class, self.model, tz=tz)
            except NotCompilable:
                self._sql[key] = None
                return None
            marker = _IdsMarker()
            queryset = (
                self.model._base_manager.filter(pk__in=RawSQL("SELECT UNNEST(%s)", (marker,)))
                .order_by()
                .annotate(_row_json=expression)
                .values_list("pk", "_row_json")
            )
            sql, params = queryset.query.sql_with_params()
            index = next(i for i, p in enumerate(params) if p is marker)
            self._sql[key] = (expression, sql, params, index)
        return self._sql[key]

    def json_texts(self, ids, stamps=None, seconds=0):
        """Each object's JSON text (built by PostgreSQL) for ``ids``, in their order; None where the SQL
        path cannot serve (then use :meth:`fetch`). One query, compiled once per language and time zone
        and — the row expression being long to plan — a prepared statement of the connection (setting
        ``HOUQIN_SQL_PREPARE``, off behind a transaction-pooling proxy).

        With ``seconds``, through the cache: each row's text kept ``seconds`` under its primary key and
        ``stamps[pk]`` (the time the row last changed — a changed row is another key at once), the
        serializer, the language and the time zone; only the rows not kept are built. The texts are the
        same for every user (a per-user adjuster runs after). What a row shows of other records (a room's
        name) may be up to ``seconds`` old."""
        compiled = self._compiled()
        if compiled is None:
            return None
        ids = list(ids)
        if not ids:
            return []
        if not seconds:
            found = self._json_by_pk(compiled, ids)
        else:
            found = self._kept_json_by_pk(compiled, ids, stamps or {}, seconds)
        return [found[pk] for pk in ids if pk in found]

    def _kept_json_by_pk(self, compiled, ids, stamps, seconds):
        import hashlib

        from django.core.cache import cache
        from django.utils.translation import get_language

        serializer = self.serializer_class
        scope = (
            f"{serializer.__module__}.{serializer.__qualname__}|{get_language()}|{timezone.get_current_timezone_name()}"
        )
        prefix = "row-json." + hashlib.md5(scope.encode(), usedforsecurity=False).hexdigest()[:16]
        keys = {pk: f"{prefix}.{pk}.{stamps.get(pk, '')}".replace(" ", "_") for pk in ids}
        kept = cache.get_many(list(keys.values()))
        found = {pk: kept[key] for pk, key in keys.items() if key in kept}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            built = self._json_by_pk(compiled, missing)
            cache.set_many({keys[pk]: text for pk, text in built.items()}, seconds)
            found.update(built)
        return found

    def _json_by_pk(self, compiled, ids):
        from django.db import connection

        from logistics.system import prepared

        _expression, sql, params, index = compiled
        with connection.cursor() as cursor:
            if prepared.enabled(connection):
                cursor.execute(f"EXECUTE {self._prepared(cursor, sql, params, index)} (%s)", [ids])
            else:
                cursor.execute(sql, (*params[:index], ids, *params[index + 1 :]))
            return dict(cursor.fetchall())

    def _prepared(self, cursor, sql, params, index):
        """The name of the statement prepared for ``sql`` on this database session, its constant parameters
        in its text and the ids its one parameter (``logistics.system.prepared``)."""
        from django.db import connection
        from psycopg2.extensions import AsIs

        from logistics.system import prepared

        def text():
            return cursor.mogrify(sql, (*params[:index], AsIs("$1"), *params[index + 1 :])).decode()

        pk_type = self.model._meta.pk.rel_db_type(connection)
        return prepared.statement(cursor, f"rows|{sql}|{params!r}", text, types=[f"{pk_type}[]"])

    @property
    def plan(self):
        if self._plan is None:
            self._plan = _Plan(self.serializer_class, self.serializer_class.Meta.model)
        return self._plan

    @property
    def model(self):
        return self.serializer_class.Meta.model

    def fetch(self, ids, context=None):
        """The rows of the objects ``ids`` (a page's ids, in order); missing ids are left out."""
        ids = list(ids)
        if not ids:
            return []
        plan = self.plan
        values = self.model._base_manager.filter(pk__in=ids).order_by().values(*plan.columns)
        by_pk = {row[plan.pk]: row for row in values}
        return self.represent([by_pk[pk] for pk in ids if pk in by_pk], context)

    def fetch_queryset(self, queryset, context=None):
        """The rows of ``queryset`` (e.g. a restricted queryset narrowed to one object) in its order."""
        return self.represent(list(queryset.values(*self.plan.columns)), context)

    def represent(self, values, context=None):
        plan = self.plan
        if not values:
            return []
        tz = timezone.get_current_timezone()
        fetched = {}
        if plan.relations:
            ids = [row[plan.pk] for row in values]
            fetched = {name: relation.fetch(ids, tz) for name, relation in plan.relations.items()}
        rows = []
        for row in values:
            pk = row[plan.pk]
            many = {name: found.get(pk, []) for name, found in fetched.items()}
            rows.append(plan.represent(row, tz, many))
        adjuster = plan.adjuster(context or {}) if plan.adjuster is not None else None
        if adjuster is not None:
            rows = [adjuster(row) for row in rows]
        return rows
