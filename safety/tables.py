"""List columns of the safety pages (and of their CSV/XLSX exports)."""

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


def planned(round_):
    return date_format(localtime(round_.planned_start), "Y-m-d H:i", use_l10n=False)


planned.__name__ = "planned"


def progress(round_):
    return f"{round_.stops_done}/{round_.stops_total}"


progress.__name__ = "progress"


class FlagsColumn(Column):
    def html(self, obj, request=None):
        if not obj.flagged_scans:
            return ""
        return format_html('<span class="badge text-bg-warning">{}</span>', obj.flagged_scans)


class PatrolRoundTable(Table):
    columns = [
        Column("route", _("patrol route"), orderable=False, link=True),
        Column(planned, _("planned start")),
        Column("guard", _("guard"), orderable=False),
        Column("status", _("status"), badge=dict(ROUND_COLOURS)),
        Column(progress, _("checkpoints scanned")),
        FlagsColumn("flagged_scans", _("flagged scans")),
    ]
    default_order = "-planned_start"
