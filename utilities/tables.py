"""List columns of the utilities pages (and of their CSV/XLSX exports)."""

from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from logistics.imports.choices import IMPORT_COLOURS
from logistics.ui.tables import Column, Table

from .choices import KIND_COLOURS, STATUS_COLOURS


class HtmlColumn(Column):
    """A column whose page cell is ``html(obj)`` while its export stays the plain value."""

    def __init__(self, accessor, label, html, **kwargs):
        super().__init__(accessor, label, **kwargs)
        self._html = html

    def html(self, obj, request=None):
        return self._html(obj)


def _flag_badge(flagged):
    if flagged:
        return format_html(
            '<span class="badge text-bg-danger" data-testid="flag">{}</span>', gettext("Above the usual")
        )
    return ""


def last_month(meter):
    return f"{meter.last_month:%Y-%m}" if getattr(meter, "last_month", None) else ""


def last_use(meter):
    return getattr(meter, "last_use", None)


def last_flag(meter):
    return gettext("Above the usual") if getattr(meter, "last_flagged", False) else ""


def last_use_html(meter):
    use = getattr(meter, "last_use", None)
    if use is None:
        return "—"
    return f"{use:,.2f} {meter.unit}"


def month_of(reading):
    return f"{reading.month:%Y-%m}"


def month_link(reading):
    return format_html('<a href="{}">{}</a>', reading.get_absolute_url(), f"{reading.month:%Y-%m}")


def reading_flag(reading):
    return gettext("Above the usual") if reading.flagged else ""


def reading_flag_html(reading):
    return _flag_badge(reading.flagged)


class MeterTable(Table):
    """Meters with their latest month's use and its flag (annotated on the list's queryset)."""

    columns = [
        Column("name", _("name"), link=True),
        Column("kind", _("kind"), badge=KIND_COLOURS),
        # what the head looks for first (on a phone the rest scrolls)
        Column(last_month, _("latest month")),
        HtmlColumn(last_use, pgettext_lazy("utility consumption", "use"), last_use_html),
        HtmlColumn(last_flag, _("above the usual"), lambda meter: _flag_badge(getattr(meter, "last_flagged", False))),
        Column("campus.name", _("campus")),
        Column("building.name", _("building")),
        Column("number", _("meter number")),
        Column("active", _("in use")),
    ]
    default_order = "campus__name"


class MeterReadingTable(Table):
    columns = [
        HtmlColumn(month_of, _("month"), month_link),
        Column("meter.name", _("meter"), order_by="meter__name"),
        Column("meter.kind", _("kind"), badge=KIND_COLOURS, order_by="meter__kind"),
        Column("meter.campus.name", _("campus"), order_by="meter__campus__name"),
        Column("read_on", _("reading date")),
        Column("value", _("meter value")),
        Column("consumption", pgettext_lazy("utility consumption", "use")),
        Column("usual", _("usual use")),
        HtmlColumn(reading_flag, _("above the usual"), reading_flag_html),
        Column("status", _("status"), badge=STATUS_COLOURS),
        Column("entered_by", _("entered by"), orderable=False),
    ]
    default_order = "-month"


class MeterReadingImportTable(Table):
    columns = [
        Column("original_name", _("file name"), link=True),
        Column("created", _("uploaded")),
        Column("created_by", _("uploaded by"), orderable=False),
        Column("total_rows", _("rows")),
        Column("created_count", _("readings imported")),
        Column("status", _("status"), badge=IMPORT_COLOURS),
    ]
    default_order = "-created"
