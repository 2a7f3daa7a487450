"""What a column of an import holds and how a cell becomes a value.

A :class:`Column` names its field, its label, whether it is required, the header labels schools use for
it (Chinese first: the first one is the template's header) and a parser. A parser takes the cell and the
importer's lookups and returns the value or raises :class:`CellError` — the error of that row and column.
Choice columns map the labels people write (and the stored values) to values; anything else is an error,
never a silent default. ``display(value)`` is what the preview shows: labels, never codes.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reading import cell_text

__all__ = ["CellError", "Column", "choice", "date", "integer", "money", "normalise", "text", "yes_no"]


class CellError(ValueError):
    """The cell's value is wrong; the message (translated) goes to the error list with its row and column."""


def normalise(text):
    """Header and lookup keys: without spaces, dashes, slashes; lower case; full-width brackets as ASCII."""
    text = str(text).replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"[\s\-—_/*:]+", "", text).lower()


class Column:
    """One field of an import. ``parse(raw, lookups)`` → value (raises :class:`CellError`); ``choices``
    (a ``TextChoices`` class or ``[(value, label)]``) makes a choice column; ``aliases`` adds labels a
    school's file uses for a choice value ({"在用": "in_use"})."""

    def __init__(
        self,
        name,
        label,
        *,
        required=False,
        headers=(),
        parse=None,
        choices=None,
        aliases=None,
        max_length=None,
        help_text="",
        example="",
        blank=None,
    ):
        self.name = name
        self.label = label
        self.required = required
        self.headers = tuple(headers)
        self.help_text = help_text
        self.example = example
        if choices is not None:
            parse = choice(choices, aliases)
        self.choices = list(getattr(choices, "choices", choices) or ())
        #: the value of an empty (or unmapped) cell: "" for text columns, else absent from the row
        self.blank = blank if blank is not None else ("" if parse is None and choices is None else None)
        self.parse_cell = parse or text(max_length)

    @property
    def template_header(self):
        return self.headers[0] if self.headers else str(self.label)

    def parse(self, raw, lookups=None):
        return self.parse_cell(raw, lookups)

    def display(self, value):
        """The value as the preview shows it: a choice's label, a person's or room's name, 是/否."""
        if value is None or value == "":
            return ""
        if self.choices:
            for key, label in self.choices:
                if key == value:
                    return str(label)
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, list | tuple | set):
            return "、".join(self.display(v) for v in value)
        return str(value)


# --- parsers ----------------------------------------------------------------------------------------


def text(max_length=None):
    def parse(raw, lookups=None):
        value = cell_text(raw)
        if max_length and len(value) > max_length:
            raise CellError(_("at most %(n)s characters") % {"n": max_length})
        return value

    return parse


def choice(choices, aliases=None):
    """A choice column: the label (in Chinese and English), the stored value or an alias; anything
    else is an error naming the allowed labels."""
    pairs = list(getattr(choices, "choices", choices))

    def parse(raw, lookups=None):
        from django.utils import translation

        value = cell_text(raw)
        key = normalise(value)
        table = {}
        for stored, label in pairs:
            table[normalise(stored)] = stored
            table[normalise(str(label))] = stored
            with translation.override("en"):
                table.setdefault(normalise(str(label)), stored)
            with translation.override("zh-hans"):
                table.setdefault(normalise(str(label)), stored)
        for alias, stored in (aliases or {}).items():
            table[normalise(alias)] = stored
        if key in table:
            return table[key]
        allowed = "、".join(str(label) for _stored, label in pairs)
        raise CellError(_("unknown value “%(value)s” (allowed: %(allowed)s)") % {"value": value, "allowed": allowed})

    return parse


DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value):
    """A date from a cell (a real date, 2024-03-15, 2024/3/15, 2024年3月15日, 20240315), else ``None``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text_value = cell_text(value).split(" ")[0]
    for pattern in DATE_PATTERNS:
        match = pattern.match(text_value)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def date(*, not_future=False):
    def parse(raw, lookups=None):
        value = parse_date(raw)
        if value is None:
            raise CellError(_("“%(value)s” is not a date (use 2024-03-15)") % {"value": cell_text(raw)})
        if not_future:
            from django.utils import timezone

            if value > timezone.localdate():
                raise CellError(_("the date is in the future"))
        return value

    return parse


def parse_money(value):
    """An amount in yuan from a cell (1200, "4,500.00", "¥1200", "1200元"), else ``None``."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text_value = cell_text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    text_value = text_value.replace("元", "").strip()
    try:
        return Decimal(text_value).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def money(*, minimum=Decimal("0")):
    def parse(raw, lookups=None):
        value = parse_money(raw)
        if value is None or (minimum is not None and value < minimum):
            raise CellError(_("“%(value)s” is not an amount") % {"value": cell_text(raw)})
        return value

    return parse


def integer(*, minimum=None, maximum=None):
    def parse(raw, lookups=None):
        try:
            value = int(Decimal(cell_text(raw)))
        except (InvalidOperation, ValueError):
            raise CellError(_("“%(value)s” is not a whole number") % {"value": cell_text(raw)}) from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise CellError(_("%(value)s is out of range") % {"value": value})
        return value

    return parse


YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "n", "no", "false", "0", "×"}


def yes_no():
    def parse(raw, lookups=None):
        key = normalise(cell_text(raw))
        if key in YES:
            return True
        if key in NO:
            return False
        raise CellError(_("write 是 or 否, not “%(value)s”") % {"value": cell_text(raw)})

    return parse


REQUIRED_MESSAGE = gettext_lazy("is required")
