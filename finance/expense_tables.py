"""List columns of spending approval, budgets and the staff statement."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.ui.tables import Column, Table

from .choices import EXPENSE_COLOURS, STATEMENT_COLOURS


class ExpenseTable(Table):
    columns = [
        Column("reference", _("reference"), link=True),
        Column("purpose", _("purpose")),
        Column("amount", _("amount (yuan)")),
        Column("status", pgettext_lazy("expense column", "status"), badge=EXPENSE_COLOURS),
        Column("category", _("budget category")),
        Column("spent_on", _("date of purchase")),
        Column("buyer", _("bought by (经办人)"), orderable=False),
        Column("supplier", _("supplier")),
    ]


class CollectiveDecisionTable(Table):
    columns = [
        Column("meeting_date", _("meeting date"), link=True),
        Column("subject", _("subject")),
        Column("decision", _("what was decided"), orderable=False),
    ]


class StaffStatementTable(Table):
    columns = [
        Column("title", _("title"), link=True),
        Column("period_start", _("from")),
        Column("period_end", _("to")),
        Column("version", _("version")),
        Column("status", pgettext_lazy("statement column", "status"), badge=STATEMENT_COLOURS),
        Column("published_at", _("published")),
    ]
