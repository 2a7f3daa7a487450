"""List columns of the finance pages (and of their CSV/XLSX exports)."""

from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table

from .choices import CONSENT_COLOURS, DISCLOSURE_COLOURS


class FeeItemTable(Table):
    columns = [
        Column("name", _("fee item"), link=True),
        Column("category", _("category")),
        Column("amount", _("fee (yuan)")),
        Column("unit", _("billing unit")),
        Column("period_label", _("period")),
        Column("basis_document", _("document number")),
        Column("voluntary", _("voluntary")),
        Column("on_board", _("on the board")),
    ]


class FeeDisclosureTable(Table):
    columns = [
        Column("version", _("version"), link=True),
        Column("status", _("status"), badge=DISCLOSURE_COLOURS),
        Column("submitted_at", _("submitted for approval")),
        Column("approved_at", _("approved")),
        Column("published_at", _("published")),
        Column("superseded_at", _("superseded")),
        Column("note", _("what changed"), orderable=False),
    ]


class ConsentTable(Table):
    #: the page's rendered rows kept 5 minutes per page and user, keyed by the consents' ``updated`` times
    #: (every answer is a step that saves the consent): an answer shows at once
    cache_rows = 300

    columns = [
        Column("student.name", _("student"), link=True),
        Column("student.school_class.name", _("class")),
        Column("fee_item.name", _("fee item")),
        Column("status", _("answer"), badge=CONSENT_COLOURS),
        Column("channel", _("how")),
        Column("signed_by", _("signed by")),
        Column("decided_at", _("answered")),
    ]


class ChargeTable(Table):
    #: kept like the consents' rows, keyed by the latest time of each charge and of its payments, waivers and
    #: refunds (``money.money_stamps``): a payment, reversal or approved refund shows in the balance at once
    cache_rows = 300

    columns = [
        Column("reference", _("reference"), link=True),
        Column("student.name", _("student")),
        Column("student.school_class.name", _("class")),
        Column("fee_item.name", _("fee item")),
        Column("amount", _("amount charged")),
        Column("balance_due", _("balance"), orderable=False),
        Column("due_date", _("due")),
    ]


class PaymentTable(Table):
    columns = [
        Column("receipt_number", _("bill number"), link=True),
        Column("charge.student.name", _("student")),
        Column("charge.fee_item.name", _("fee item")),
        Column("amount", _("amount paid")),
        Column("method", _("payment method")),
        Column("paid_on", _("paid on")),
        Column("status", _("status"), badge={"reversed": "secondary", "recorded": "success"}),
    ]


class SettlementTable(Table):
    columns = [
        Column("fee_item.name", _("fee item"), link=True),
        Column("status", _("status"), badge={"drafted": "secondary", "computed": "warning", "approved": "success"}),
        Column("actual_total", _("actual cost (yuan)")),
        Column("collected_total", _("collected (yuan)")),
        Column("refund_total", _("refunds (yuan)")),
        Column("approved_at", _("approved")),
    ]
