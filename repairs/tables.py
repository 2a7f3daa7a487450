"""List columns of the repairs pages (and of their CSV/XLSX exports)."""

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from logistics.api.rows import row_columns
from logistics.ui.tables import Column, Table

from .choices import STATUS_COLOURS, TRADE_COLOURS, URGENCY_COLOURS


@row_columns("assignees")
def assignee_names(ticket):
    return ", ".join(str(user) for user in ticket.assignees.all())


assignee_names.__name__ = "assignees"


@row_columns("room__building__name", "room__name")
def place(ticket):
    return f"{ticket.room.building.name} {ticket.room.name}"


place.__name__ = "place"


class HtmlColumn(Column):
    """A column whose page cell is ``html(obj)`` while its export stays the plain value."""

    def __init__(self, accessor, label, html, **kwargs):
        super().__init__(accessor, label, **kwargs)
        self._html = html

    def html(self, obj, request=None):
        return self._html(obj)


@row_columns("description")
def short_description(ticket):
    return format_html('<span class="d-inline-block text-truncate cell-description">{}</span>', ticket.description)


@row_columns("target_at", "escalated_at", "status")
def target_with_flag(ticket):
    if ticket.target_at is None:
        return ""
    text = date_format(localtime(ticket.target_at), "Y-m-d H:i", use_l10n=False)
    if ticket.escalated_at and ticket.is_open:
        return format_html(
            '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>', text, gettext("Overdue")
        )
    return text


class TicketTable(Table):
    """The queue. Description and target are built with ``format_html`` rather than a template per
    cell (25 rows × 2 templates cost more than the page's query); exports keep the plain values.
    The page's 25 tickets are read by id with ``values()`` (``ObjectListView`` paginates ids first;
    ``values_rows``: no model instances)."""

    values_rows = True
    #: the page's rendered rows are kept 5 minutes per page, user and rows' ``updated`` times
    #: (``ObjectListView.rows_cache_key``): a changed ticket is a new key at once; a renamed room or
    #: person shows in a page's rows within 5 minutes
    cache_rows = 300

    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("submitted_at", _("submitted")),
        Column(place, _("room")),
        Column("trade", _("trade"), badge=TRADE_COLOURS),
        Column("urgency", _("urgency"), badge=URGENCY_COLOURS),
        Column("status", _("status"), badge=STATUS_COLOURS),
        HtmlColumn("description", _("description"), short_description, orderable=False),
        Column("requester", _("requester"), orderable=False),
        Column(assignee_names, _("repair workers")),
        HtmlColumn("target_at", _("target time"), target_with_flag),
    ]
    default_order = "-submitted_at"


class MaintenancePlanTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("equipment", _("equipment")),
        Column("trade", _("trade"), badge=TRADE_COLOURS),
        Column("room.name", _("room or place")),
        Column("recurrence", _("recurrence")),
        Column("interval", _("every N")),
        Column("next_due", _("next due")),
        Column("active", _("active")),
    ]
    default_order = "next_due"


class DutySlotTable(Table):
    columns = [
        Column("__str__", _("duty slot"), link=True, orderable=False, export=False),
        Column("trade", _("trade"), badge=TRADE_COLOURS),
        Column("weekday", _("weekday")),
        Column("worker", _("repair worker"), orderable=False),
    ]


class WorkLogTable(Table):
    columns = [
        Column("ticket.reference", _("ticket")),
        Column("work_date", _("date")),
        Column("worker", _("worker"), orderable=False),
        Column("minutes", _("minutes")),
        Column("note", _("note")),
    ]


class PartUsageTable(Table):
    columns = [
        Column("ticket.reference", _("ticket")),
        Column("name", _("part or material")),
        Column("quantity", _("quantity")),
        Column("unit", _("unit")),
        Column("unit_cost", _("unit cost")),
        Column("cost", _("cost")),
    ]
