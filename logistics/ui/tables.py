"""The project's table helper: columns for list pages and for CSV/XLSX exports alike."""

import datetime
import decimal

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class Column:
    """A column: ``Column("room.building.name", _("Building"), order_by="room__building__name")``.

    ``accessor`` is a dotted path or a callable; a field with choices shows its label; ``link``
    links the cell to the row's page; ``badge`` maps values to Bootstrap colours.
    """

    def __init__(
        self,
        accessor,
        label="",
        order_by=None,
        orderable=True,
        link=False,
        badge=None,
        template=None,
        export=True,
    ):
        self.accessor = accessor
        self.label = label
        self.orderable = orderable and not callable(accessor)
        self.order_by = order_by or (accessor.replace(".", "__") if isinstance(accessor, str) else None)
        self.link = link
        self.badge = badge
        self.template = template
        self.export = export
        self.name = accessor if isinstance(accessor, str) else getattr(accessor, "__name__", "col")
        self._parts = accessor.split(".") if isinstance(accessor, str) else ()

    def row_columns(self, model):
        """(values() columns, many-to-many names) this column reads from ``model`` — for tables read
        with ``values()`` (``Table.values_rows``). A callable accessor (or a custom ``html``) declares
        them with ``logistics.api.rows.row_columns``."""
        declared = []
        for function in (self.accessor, getattr(self, "_html", None)):
            if callable(function):
                declared.extend(getattr(function, "row_columns", ()) or _undeclared(function))
        if isinstance(self.accessor, str):
            declared.extend(_columns_of_path(model, self.accessor))
        columns, many = [], []
        for column in declared:
            head = column.split("__", 1)[0]
            field = _field(model, head)
            (many if field is not None and field.many_to_many and "__" not in column else columns).append(column)
        return columns, many

    def raw(self, obj):
        if callable(self.accessor):
            return self.accessor(obj)
        value = obj
        parts = self._parts
        last = len(parts) - 1
        for index, part in enumerate(parts):
            if value is None:
                return None
            if index == last:
                labels = _choice_labels(getattr(value, "_model", None) or type(value), part)
                if labels is not None:  # a field with choices shows its label
                    code = getattr(value, labels[0], None)
                    return labels[1].get(code, code)
                if not isinstance(value, Model) and hasattr(value, f"get_{part}_display"):
                    return getattr(value, f"get_{part}_display")()
            value = getattr(value, part, None)
            if callable(value) and not isinstance(value, Model):
                value = value()
        return value

    def values_cell(self, model):
        """A function ``cell(proxy)`` giving ``html(proxy)`` for a values row of ``model`` with fewer
        steps — a dotted path to a plain column read as one key, its choice labels looked up once per
        page — or None when this column needs the general path (callables, templates, links, foreign
        keys shown as text). ``tests/platform/test_rows.py`` compares the two."""
        if callable(self.accessor) or self.template or self.link or type(self).html is not Column.html:
            return None
        current, prefix = model, ""
        for part in self._parts[:-1]:
            field = _field(current, part)
            if field is None or not (field.concrete and (field.many_to_one or field.one_to_one)):
                return None
            prefix += part + "__"
            current = field.related_model
        field = _field(current, self._parts[-1])
        if field is None or not field.concrete or field.is_relation:
            return None
        key = prefix + field.attname
        labels = _choice_labels(current, field.name)
        labels = labels[1] if labels is not None else None
        badge = self.badge
        as_text = self._as_text

        def cell(proxy):
            code = proxy._row[key]
            text = as_text(labels.get(code, code) if labels is not None else code)
            if badge is not None and text:
                return mark_safe(  # noqa: S308 — both parts escaped
                    f'<span class="badge text-bg-{escape(badge.get(code, "secondary"))}">{escape(text)}</span>'
                )
            return text

        return cell

    @staticmethod
    def _as_text(value):
        """``text()`` of a raw value."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if isinstance(value, datetime.datetime):
            return (value if value.tzinfo is None else _local(value)).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return number_format(value, decimal_pos=2, use_l10n=False)
        return str(value)

    def code(self, obj):
        """The stored value (not the label) — for badge colours."""
        if callable(self.accessor):
            return None
        value = obj
        for part in self.accessor.split("."):
            value = getattr(value, part, None) if value is not None else None
        return value

    def text(self, obj):
        return self._as_text(self.raw(obj))

    def export_value(self, obj):
        value = self.raw(obj)
        if isinstance(value, datetime.datetime):
            return _local(value).replace(tzinfo=None)
        if isinstance(value, (int, float, decimal.Decimal, datetime.date)) and not isinstance(value, bool):
            return value
        return self.text(obj)

    def html(self, obj, request=None):
        if self.template:
            return render_to_string(self.template, {"record": obj, "column": self, "request": request})
        text = self.text(obj)
        if self.badge is not None and text:
            colour = self.badge.get(self.code(obj), "secondary")
            return format_html('<span class="badge text-bg-{}">{}</span>', colour, text)
        if self.link and hasattr(obj, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text or "—")
        return text


def _choice_labels(model, name):
    """(column, {value: label}) of a choices field of a model class (cached), or None."""
    if not isinstance(model, type) or not issubclass(model, Model):
        return None
    from django.utils.translation import get_language

    from logistics.api.rows import _choice_labels as labels

    key = (model, name, get_language())
    if key not in _LABEL_TEXT:
        found = labels(model, name)
        _LABEL_TEXT[key] = None if found is None else (found[0], {k: str(v) for k, v in found[1].items()})
    return _LABEL_TEXT[key]


#: (model, field, language) → (column, {value: label text})
_LABEL_TEXT = {}


def _undeclared(function):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"{function.__name__}: declare the columns it reads with @row_columns")


def _field(model, name):
    from django.core.exceptions import FieldDoesNotExist

    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _columns_of_path(model, accessor):
    """The columns a dotted accessor reads: the path's last column, or — for a foreign key shown as
    text — its key and the related model's ``str_columns``."""
    parts, prefix = accessor.split("."), ""
    for part in parts[:-1]:
        field = _field(model, part)
        if field is None or not (field.many_to_one or field.one_to_one):
            return []  # not a column path (a method): the column must declare what it reads
        prefix += part + "__"
        model = field.related_model
    field = _field(model, parts[-1])
    if field is None:
        return [] if parts[-1] != "__str__" else [prefix + c for c in getattr(model, "str_columns", ())]
    if field.many_to_many:
        return [prefix + field.name]
    if field.many_to_one or field.one_to_one:
        related = field.related_model
        return [prefix + field.attname, *(f"{prefix}{field.name}__{c}" for c in getattr(related, "str_columns", ()))]
    return [prefix + field.attname]


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value)


class TableRow:
    """A table row: unpacks as ``(record, cells)``; ``tds`` is the row's cells as one safe string of
    ``<td>`` elements and ``cell`` the cells by column name. A template prints a row with one variable
    (``{{ row.tds }}``) and a phone card reads ``{{ row.cell.status }}`` — dictionary lookups that
    succeed at once, where ``{{ cells.5 }}`` costs the template engine three failed lookups first."""

    __slots__ = ("record", "cells", "_columns")

    def __init__(self, record, cells, columns):
        self.record, self.cells, self._columns = record, cells, columns

    def __iter__(self):
        yield self.record
        yield self.cells

    def __len__(self):
        return 2

    @property
    def tds(self):
        return mark_safe("".join(f"<td>{conditional_escape(cell)}</td>" for cell in self.cells))  # noqa: S308

    @property
    def cell(self):
        return {column.name: cell for column, cell in zip(self._columns, self.cells, strict=True)}


class Table:
    """A set of columns; subclasses list ``columns`` and may name a ``default_order``."""

    columns: list[Column] = []
    default_order = None
    #: read the page's rows with ``values()`` (``logistics.api.rows.RowProxy``) instead of model
    #: instances; the columns' accessors name the columns read (callables declare theirs)
    values_rows = False
    #: seconds a page's rendered rows may be kept (0: never) — for a template that wraps its rows in
    #: ``{% cache table.cache_rows "list-rows" rows_cache_key %}``; see ``ObjectListView.rows_cache_key``
    cache_rows = 0

    def __init__(self, request=None):
        self.request = request

    def column(self, name):
        for column in self.columns:
            if column.name == name:
                return column
        return None

    def order_by(self, sort):
        """The ORDER BY for ``?sort=name`` or ``-name`` (None when unknown: the model's ordering)."""
        if not sort:
            return None
        descending = sort.startswith("-")
        column = self.column(sort.lstrip("-"))
        if column is None or not column.orderable or not column.order_by:
            return None
        return f"-{column.order_by}" if descending else column.order_by

    @classmethod
    def row_plan(cls, model):
        """(columns, many-to-many names) the table reads from ``model`` (computed once per class)."""
        plan = cls.__dict__.get("_row_plan")
        if plan is None or plan[0] is not model:
            columns, many = [], []
            for column in cls.columns:
                more, relations = column.row_columns(model)
                columns.extend(more)
                many.extend(relations)
            plan = (model, list(dict.fromkeys(columns)), list(dict.fromkeys(many)))
            cls._row_plan = plan
        return plan[1], plan[2]

    def fetch_rows(self, model, ids):
        """The page's objects for ``ids``: row proxies (``values_rows``) — see ``ObjectListView``."""
        from logistics.api.rows import fetch_proxies

        columns, many = self.row_plan(model)
        return fetch_proxies(model, ids, columns, many)

    def rows(self, objects):
        """One :class:`TableRow` per object: ``(record, cells)`` with the row's ``<td>`` cells
        already joined (``row.tds``) and its cells by column name (``row.cell.reference``)."""
        from logistics.api.rows import RowProxy

        columns, request = self.columns, self.request
        objects = list(objects)
        if objects and type(objects[0]) is RowProxy:  # values rows: the plain columns' cells, compiled
            model = objects[0]._model
            cells = []
            for column in columns:
                fast = column.values_cell(model)
                cells.append(fast or (lambda obj, column=column: column.html(obj, request)))
            return [TableRow(obj, [cell(obj) for cell in cells], columns) for obj in objects]
        return [TableRow(obj, [column.html(obj, request) for column in columns], columns) for obj in objects]

    def export_columns(self):
        return [c for c in self.columns if c.export]
