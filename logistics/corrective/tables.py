"""List columns of the corrective-action pages (and of their CSV/XLSX exports)."""

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table

from .choices import LEVEL_COLOURS, STATUS_COLOURS


def place(action):
    return action.place


place.__name__ = "place"


def origin(action):
    return action.origin_label


origin.__name__ = "origin"


def found(action):
    return date_format(localtime(action.found_at), "Y-m-d H:i", use_l10n=False)


found.__name__ = "found"


class DeadlineColumn(Column):
    """The deadline, with an "overdue" badge on the page (the export keeps the date)."""

    def html(self, obj, request=None):
        if obj.deadline is None:
            return "—"
        text = obj.deadline.isoformat()
        if obj.is_overdue():
            return format_html(
                '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>', text, gettext("Overdue")
            )
        return text


class CorrectiveActionTable(Table):
    columns = [
        Column("reference", _("reference"), order_by="reference_number", link=True),
        Column("title", _("what is wrong"), orderable=False),
        Column(place, _("place")),
        Column(origin, _("origin")),
        Column("level", _("level"), badge={k: v for k, v in LEVEL_COLOURS.items()}),
        Column("status", _("status"), badge={k: v for k, v in STATUS_COLOURS.items()}),
        Column("owner", _("responsible person"), orderable=False),
        DeadlineColumn("deadline", _("deadline")),
        Column(found, _("found")),
    ]
    default_order = "-found_at"
