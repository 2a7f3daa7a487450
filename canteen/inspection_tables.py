"""List columns of the hygiene self-inspections and checklists."""

from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table

from .inspection_choices import GRADE_COLOURS
from .tables import HtmlColumn


def score(i):
    return f"{i.score}%" if i.score is not None else "—"


score.__name__ = "score"


def failed(i):
    if not i.failed_items:
        return "0"
    text = str(i.failed_items)
    return text + (f" ({gettext('critical item failed')})" if i.critical_failed else "")


failed.__name__ = "failed_items"


def failed_html(i):
    if not i.failed_items:
        return "0"
    return format_html(
        '<span class="badge text-bg-danger" data-testid="failed">{}</span>{}',
        i.failed_items,
        format_html(' <small class="text-danger">{}</small>', gettext("critical item failed"))
        if i.critical_failed
        else "",
    )


class HygieneInspectionTable(Table):
    columns = [
        Column("date", _("date"), link=True),
        Column("template", _("checklist"), order_by="template__name", link=True),
        Column("inspector", _("inspector"), order_by="inspector__display_name"),
        Column(score, _("score (%)"), order_by="score"),
        Column("grade", pgettext_lazy("inspection", "grade"), badge=GRADE_COLOURS),
        HtmlColumn(failed, _("failed items"), failed_html, order_by="failed_items"),
    ]
    default_order = "-date"


class ChecklistTemplateTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("kind", pgettext_lazy("checklist", "kind")),
        Column("frequency", _("frequency")),
        Column("active", pgettext_lazy("checklist", "in use")),
    ]
    default_order = "name"
