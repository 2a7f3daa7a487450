"""List columns of the safety pages (and of their CSV/XLSX exports)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from logistics.api.rows import row_columns
from logistics.corrective.choices import LEVEL_COLOURS, STATUS_COLOURS
from logistics.corrective.tables import DeadlineColumn, found, place
from logistics.ui.tables import Column, Table

from .choices import ROUND_COLOURS


class HazardTable(Table):
    columns = [
        Column("reference", _("reference"), order_by="reference_number", link=True),
        Column("title", _("hazard"), orderable=False),
        Column(place, _("place")),
        Column("level", _("level"), badge=dict(LEVEL_COLOURS)),
        Column("status", _("status"), badge=dict(STATUS_COLOURS)),
        Column("owner", _("responsible person"), orderable=False),
        DeadlineColumn("deadline", _("deadline")),
        Column(found, _("found")),
    ]
    default_order = "-found_at"


def checkpoint_place(checkpoint):
    return checkpoint.place


checkpoint_place.__name__ = "place"


def key_area(checkpoint):
    return gettext("Key area") if checkpoint.key_area else ""


key_area.__name__ = "key_area"


class CheckpointTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("kind", _("kind")),
        Column(checkpoint_place, _("place")),
        Column(key_area, _("key area (重点部位)")),
        Column("proof", _("proof of presence")),
        Column("active", _("in use")),
    ]
    default_order = "name"


@row_columns("planned_start")
def planned(round_):
    return date_format(localtime(round_.planned_start), "Y-m-d H:i", use_l10n=False)


planned.__name__ = "planned"


@row_columns("stops_done", "stops_total")
def progress(round_):
    return f"{round_.stops_done}/{round_.stops_total}"


progress.__name__ = "progress"


def _flags_badge(count):
    return format_html('<span class="badge text-bg-warning">{}</span>', count) if count else ""


class FlagsColumn(Column):
    def html(self, obj, request=None):
        return _flags_badge(obj.flagged_scans)


class RowCell(Column):
    """A column of a values-read table whose cell is built from the page's row in one step:
    ``row_cell(row)`` gets the ``values()`` row (a dict of the table's columns) — for a hot list, where the
    general path (accessor walk, related proxies, a URL reversed per row) costs more than the page's
    queries. From instances (exports) the column works as any other; ``tests/platform/test_rows.py``
    checks the two give the same cells."""

    def __init__(self, accessor, label="", *, row_cell, **kwargs):
        super().__init__(accessor, label, **kwargs)
        self.row_cell = row_cell

    def values_cell(self, model):
        row_cell = self.row_cell()  # per page: what the cells share (a URL pattern, …)
        return lambda proxy: row_cell(proxy._row)


def _round_link_cell():
    marker = "987654321"
    head, tail = reverse("safety:patrolround_detail", args=[marker]).split(marker)
    return lambda row: format_html('<a href="{}{}{}">{}</a>', head, row["id"], tail, row["route__name"] or "—")


def _planned_cell():
    return lambda row: date_format(localtime(row["planned_start"]), "Y-m-d H:i", use_l10n=False)


def _guard_cell():
    def cell(row):
        if row["guard_id"] is None:
            return ""
        full = f"{row['guard__first_name']} {row['guard__last_name']}".strip()
        return row["guard__display_name"] or full or row["guard__username"]

    return cell


def _progress_cell():
    return lambda row: f"{row['stops_done']}/{row['stops_total']}"


class _FlagsRowCell(RowCell, FlagsColumn):
    pass


class PatrolRoundTable(Table):
    """The rounds list (263,000 rounds in the benchmark): the page's rows read with ``values()``, each
    cell built from its row in one step (``RowCell``)."""

    values_rows = True
    #: the page's rendered rows kept 5 minutes per page and user, keyed by the rows' ``updated`` times
    #: (a scan moves a round's counters and ``updated``; a step saves it): a changed round is a new key at once
    cache_rows = 300

    columns = [
        RowCell("route", _("patrol route"), orderable=False, link=True, row_cell=_round_link_cell),
        RowCell(planned, _("planned start"), row_cell=_planned_cell),
        RowCell("guard", _("guard"), orderable=False, row_cell=_guard_cell),
        Column("status", _("status"), badge=dict(ROUND_COLOURS)),
        RowCell(progress, _("checkpoints scanned"), row_cell=_progress_cell),
        _FlagsRowCell(
            "flagged_scans", _("flagged scans"), row_cell=lambda: lambda row: _flags_badge(row["flagged_scans"])
        ),
    ]
    default_order = "-planned_start"


def visitor_in(visitor):
    return date_format(localtime(visitor.checked_in_at), "Y-m-d H:i", use_l10n=False)


visitor_in.__name__ = "checked_in_at"


def visitor_out(visitor):
    return date_format(localtime(visitor.checked_out_at), "H:i", use_l10n=False) if visitor.checked_out_at else ""


visitor_out.__name__ = "checked_out_at"


def masked_id(visitor):
    return visitor.id_number_masked


masked_id.__name__ = "id_number"


class VisitorTable(Table):
    """Visitors: the ID number masked here and in the exports."""

    columns = [
        Column("name", pgettext_lazy("person", "name"), link=True),
        Column(masked_id, _("ID number")),
        Column("organisation", _("organisation")),
        Column("reason", _("reason for the visit"), orderable=False),
        Column("host", _("host"), orderable=False),
        Column(
            "status",
            _("status"),
            badge={"waiting": "warning", "inside": "primary", "left": "secondary", "refused": "danger"},
        ),
        Column(visitor_in, _("in")),
        Column(visitor_out, _("out")),
    ]
    default_order = "-checked_in_at"


def vehicle_in(entry):
    return date_format(localtime(entry.in_at), "Y-m-d H:i", use_l10n=False)


vehicle_in.__name__ = "in_at"


def vehicle_out(entry):
    return date_format(localtime(entry.out_at), "H:i", use_l10n=False) if entry.out_at else ""


vehicle_out.__name__ = "out_at"


class VehicleTable(Table):
    columns = [
        Column("plate", _("plate number")),
        Column("driver", _("driver")),
        Column("purpose", _("purpose"), orderable=False),
        Column(vehicle_in, _("in")),
        Column(vehicle_out, _("out")),
    ]
    default_order = "-in_at"


def goods_at(goods):
    return date_format(localtime(goods.at), "Y-m-d H:i", use_l10n=False)


goods_at.__name__ = "at"


class GateGoodsTable(Table):
    columns = [
        Column(goods_at, _("time")),
        Column("kind", _("kind")),
        Column("what", _("what")),
        Column("weight_kg", _("weight (kg)")),
        Column("party", _("supplier or buyer")),
    ]
    default_order = "-at"


def pass_student(leave_pass):
    return f"{leave_pass.student.school_class.name} {leave_pass.student.name}"


pass_student.__name__ = "student"


def pass_leave(leave_pass):
    return date_format(localtime(leave_pass.leave_at), "Y-m-d H:i", use_l10n=False)


pass_leave.__name__ = "leave_at"


def pass_back(leave_pass):
    return date_format(localtime(leave_pass.return_by), "Y-m-d H:i", use_l10n=False)


pass_back.__name__ = "return_by"


class LeavePassTable(Table):
    columns = [
        Column(pass_student, _("student"), link=True),
        Column("reason", _("reason"), orderable=False),
        Column(pass_leave, _("leaves at")),
        Column(pass_back, _("back by")),
        Column(
            "status",
            _("status"),
            badge={
                "requested": "warning",
                "approved": "success",
                "out": "primary",
                "back": "secondary",
                "rejected": "danger",
            },
        ),
    ]
    default_order = "-leave_at"


class DutyLeaderTable(Table):
    columns = [Column("day", _("day")), Column("leader", _("duty leader"), orderable=False)]
    default_order = "-day"


# --- equipment, inspections, education and drills ----------------------------------------------------


def equipment_place(equipment):
    return equipment.place


equipment_place.__name__ = "place"


def last_inspected(equipment):
    if not equipment.last_inspected_at:
        return gettext("never")
    return date_format(localtime(equipment.last_inspected_at), "Y-m-d", use_l10n=False)


last_inspected.__name__ = "last_inspected_at"


def expires(equipment):
    return equipment.expires_on.isoformat() if equipment.expires_on else ""


expires.__name__ = "expires_on"


class EquipmentTable(Table):
    columns = [
        Column("number", _("number"), link=True),
        Column("name", _("name")),
        Column("kind", _("kind")),
        Column(equipment_place, _("place")),
        Column(last_inspected, _("last inspected")),
        Column("last_result", _("last result"), badge={"passed": "success", "failed": "danger"}),
        Column(expires, _("valid until")),
    ]
    default_order = "number"


def inspected(inspection):
    return date_format(localtime(inspection.inspected_at), "Y-m-d H:i", use_l10n=False)


inspected.__name__ = "inspected_at"


def inspection_equipment(inspection):
    return str(inspection.equipment)


inspection_equipment.__name__ = "equipment"


def inspection_kind(inspection):
    return inspection.equipment.get_kind_display()


inspection_kind.__name__ = "kind"


class InspectionTable(Table):
    columns = [
        Column(inspected, _("inspected"), link=True),
        Column(inspection_equipment, _("equipment"), orderable=False),
        Column(inspection_kind, _("kind"), orderable=False),
        Column("inspector", _("inspector"), orderable=False),
        Column("result", _("result"), badge={"passed": "success", "failed": "danger"}),
        Column("failed_items", _("failed items")),
    ]
    default_order = "-inspected_at"


def event_day(event):
    return event.held_on.isoformat()


event_day.__name__ = "held_on"


class SafetyEventTable(Table):
    columns = [
        Column(event_day, _("date"), link=True),
        Column("title", _("title"), orderable=False),
        Column("kind", _("kind")),
        Column("participants", _("participants")),
        Column("duration_minutes", _("duration (minutes)")),
        Column("organiser", _("organiser"), orderable=False),
    ]
    default_order = "-held_on"
