"""List columns of the repairs pages (and of their CSV/XLSX exports)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table

from . import listing
from .choices import OPEN_STATUSES, STATUS_COLOURS, TRADE_COLOURS, URGENCY_COLOURS, TicketStatus, Trade, Urgency


def assignee_names(ticket):
    return ", ".join(str(user) for user in ticket.assignees.all())


assignee_names.__name__ = "assignees"


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


def short_description(ticket):
    return format_html('<span class="d-inline-block text-truncate cell-description">{}</span>', ticket.description)


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
    cell (25 rows × 2 templates cost more than the page's query); exports keep the plain values."""

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

    def rows(self, ids):
        """The page's cells from the list's fast path (``repairs.listing``: rows by id with
        ``values()``, no model instances); the columns above still name, sort and export."""
        values, assignees = listing.fetch(ids)
        labels = {
            "trade": (dict(Trade.choices), TRADE_COLOURS),
            "urgency": (dict(Urgency.choices), URGENCY_COLOURS),
            "status": (dict(TicketStatus.choices), STATUS_COLOURS),
        }
        labels = {key: ({k: str(v) for k, v in names.items()}, colours) for key, (names, colours) in labels.items()}
        overdue = gettext("Overdue")
        rows = []
        for v in values:
            badges = [
                format_html(
                    '<span class="badge text-bg-{}">{}</span>',
                    colours.get(v[key], "secondary"),
                    names.get(v[key], v[key]),
                )
                for key, (names, colours) in labels.items()
            ]
            target = _stamp(v["target_at"])
            if v["escalated_at"] and v["status"] in OPEN_STATUSES:
                target = format_html(
                    '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>', target, overdue
                )
            cells = [
                format_html('<a href="{}">{}</a>', reverse("repairs:ticket_detail", args=[v["id"]]), v["reference"]),
                _stamp(v["submitted_at"]),
                f"{v['room__building__name']} {v['room__name']}",
                *badges,
                format_html('<span class="d-inline-block text-truncate cell-description">{}</span>', v["description"]),
                listing.user_name(
                    v["requester__display_name"],
                    v["requester__first_name"],
                    v["requester__last_name"],
                    v["requester__username"],
                ),
                ", ".join(a["name"] for a in assignees.get(v["id"], [])),
                target,
            ]
            rows.append((v, cells))
        return rows


def _stamp(value):
    return date_format(localtime(value), "Y-m-d H:i", use_l10n=False) if value else ""


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
