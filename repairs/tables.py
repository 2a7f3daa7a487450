"""List columns of the repairs pages (and of their CSV/XLSX exports)."""

from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table

from .choices import STATUS_COLOURS, TRADE_COLOURS, URGENCY_COLOURS


def assignee_names(ticket):
    return ", ".join(str(user) for user in ticket.assignees.all())


assignee_names.__name__ = "assignees"


def place(ticket):
    return f"{ticket.room.building.name} {ticket.room.name}"


place.__name__ = "place"


class TicketTable(Table):
    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("submitted_at", _("submitted")),
        Column(place, _("room")),
        Column("trade", _("trade"), badge=TRADE_COLOURS),
        Column("urgency", _("urgency"), badge=URGENCY_COLOURS),
        Column("status", _("status"), badge=STATUS_COLOURS),
        Column("description", _("description"), orderable=False, template="repairs/_cell_description.html"),
        Column("requester", _("requester"), orderable=False),
        Column(assignee_names, _("repair workers")),
        Column("target_at", _("target time"), template="repairs/_cell_target.html"),
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
