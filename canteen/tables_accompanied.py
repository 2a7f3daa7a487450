"""List columns of 陪餐 and the monthly accounts, and the "late entry" (补录) and correction columns every
canteen event list shows."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table

from .choices import ACCOMPANIMENT_STATUS_COLOURS, ACCOUNT_STATUS_COLOURS


class LateEntryColumn(Column):
    """ "补录" on a record entered more than the Rule's hours after its event (export: the same words)."""

    def __init__(self):
        super().__init__("late_entry", _("entry"), orderable=False)

    def text(self, obj):
        return gettext("Late entry") if obj.late_entry else ""

    def export_value(self, obj):
        return self.text(obj)

    def html(self, obj, request=None):
        if not obj.late_entry:
            return ""
        return format_html(
            '<span class="badge text-bg-warning" data-testid="late-entry" title="{}">{}</span>',
            gettext("Entered more than the Rule's hours after the event"),
            gettext("Late entry"),
        )


class CorrectionLinkColumn(Column):
    """A link to the record's corrections page (history, and the form for the canteen manager)."""

    def __init__(self, kind):
        super().__init__("pk", "", orderable=False, export=False)
        self.kind = kind

    def html(self, obj, request=None):
        return format_html(
            '<a class="small" href="{}" data-testid="correct-link">{}</a>',
            reverse("canteen:correction", args=[self.kind, obj.pk]),
            gettext("Corrections"),
        )


def rating_stars(obj):
    return "★" * obj.rating + "☆" * (5 - obj.rating)


rating_stars.__name__ = "rating"


class AccompaniedMealTable(Table):
    columns = [
        Column("date", _("date"), link=True),
        Column("meal_kind", pgettext_lazy("canteen", "meal")),
        Column("kind", pgettext_lazy("accompanied meal", "who")),
        Column("companion", _("ate with the students"), order_by="companion__display_name"),
        Column(rating_stars, _("rating")),
        Column("status", pgettext_lazy("accompanied meal", "status"), badge=ACCOMPANIMENT_STATUS_COLOURS),
        LateEntryColumn(),
    ]
    default_order = "-date"


def money(value):
    return f"{value:,.2f}"


def income(account):
    return money(account.total_income)


income.__name__ = "income"


def expense(account):
    return money(account.total_expense)


expense.__name__ = "expense"


def balance(account):
    return money(account.balance)


balance.__name__ = "balance"


def month_label(account):
    return account.month.strftime("%Y-%m")


month_label.__name__ = "month"


class MonthlyAccountTable(Table):
    columns = [
        Column("month", _("month"), link=True),
        Column("version", _("version")),
        Column("status", pgettext_lazy("canteen accounts", "status"), badge=ACCOUNT_STATUS_COLOURS),
        Column(income, _("income (yuan)")),
        Column(expense, _("expenses (yuan)")),
        Column(balance, _("balance (yuan)")),
        Column("published_at", _("published at")),
    ]
    default_order = "-month"
