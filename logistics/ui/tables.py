"""The project's table helper: columns for list pages and for CSV/XLSX exports alike."""

import datetime
import decimal

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.html import format_html


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

    def raw(self, obj):
        if callable(self.accessor):
            return self.accessor(obj)
        value = obj
        parts = self.accessor.split(".")
        for index, part in enumerate(parts):
            if value is None:
                return None
            if index == len(parts) - 1 and hasattr(value, f"get_{part}_display"):
                return getattr(value, f"get_{part}_display")()
            value = getattr(value, part, None)
            if callable(value) and not isinstance(value, Model):
                value = value()
        return value

    def code(self, obj):
        """The stored value (not the label) — for badge colours."""
        if callable(self.accessor):
            return None
        value = obj
        for part in self.accessor.split("."):
            value = getattr(value, part, None) if value is not None else None
        return value

    def text(self, obj):
        value = self.raw(obj)
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if isinstance(value, datetime.datetime):
            return (
                date_format(value, "Y-m-d H:i", use_l10n=False)
                if value.tzinfo is None
                else date_format(_local(value), "Y-m-d H:i", use_l10n=False)
            )
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return number_format(value, decimal_pos=2, use_l10n=False)
        return str(value)

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


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value)


class Table:
    """A set of columns; subclasses list ``columns`` and may name a ``default_order``."""

    columns: list[Column] = []
    default_order = None

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

    def rows(self, objects):
        return [(obj, [column.html(obj, self.request) for column in self.columns]) for obj in objects]

    def export_columns(self):
        return [c for c in self.columns if c.export]
