"""List columns (pages and CSV/XLSX exports alike)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.accounts.permissions import has_perm
from logistics.ui.tables import Column, Table

from .choices import (
    ASSET_STATUS_COLOURS,
    DISPOSAL_COLOURS,
    IMPORT_COLOURS,
    ISSUE_COLOURS,
    LINE_COLOURS,
    MOVEMENT_COLOURS,
    STOCK_MOVEMENT_COLOURS,
    STOCKTAKE_COLOURS,
)

VALUE_PERM = "assets.view_value_asset"


class ValueAwareTable(Table):
    """Drops money columns for users who may not see asset values (only finance and management do)."""

    value_columns = ()

    def __init__(self, request=None):
        super().__init__(request)
        user = getattr(request, "user", None)
        school = getattr(request, "school", None)
        if self.value_columns and not (user is not None and has_perm(user, VALUE_PERM, school)):
            self.columns = [c for c in self.columns if c.name not in self.value_columns]


def _room(obj):
    room = getattr(obj, "room", None)
    return f"{room.building.name} {room.name}" if room else ""


class AssetTable(ValueAwareTable):
    value_columns = ("unit_price",)
    columns = [
        Column("code", _("asset code"), link=True),
        Column("name", _("name")),
        Column("category.name", _("category")),
        Column("model_spec", _("model / specification")),
        Column(_room, _("room")),
        Column("custodian", _("custodian"), order_by="custodian__display_name"),
        Column("unit_price", _("unit price (yuan)")),
        Column("purchase_date", _("purchase date")),
        Column("status", _("status"), badge=ASSET_STATUS_COLOURS),
    ]
    default_order = "-sequence"


class CategoryTable(Table):
    columns = [
        Column("code", _("code"), link=True),
        Column("name", _("name")),
        Column("life_years", _("depreciation life (years)")),
    ]


class AssetMovementTable(Table):
    columns = [
        Column("date", _("date")),
        Column("asset.code", _("asset code"), link=True),
        Column("asset.name", _("name")),
        Column("kind", _("kind"), badge=MOVEMENT_COLOURS),
        Column("from_room", _("from room")),
        Column("to_room", _("to room")),
        Column("to_custodian", _("to custodian")),
        Column("note", _("note")),
    ]


class AssetLoanTable(Table):
    columns = [
        Column("asset.code", _("asset code"), link=True),
        Column("asset.name", _("name")),
        Column("borrower_display", _("borrower"), orderable=False),
        Column("lent_on", _("lent on")),
        Column("expected_return", _("expected return")),
        Column("returned_on", _("returned on")),
    ]


class DisposalRequestTable(Table):
    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("reason", _("reason")),
        Column("method", _("method")),
        Column("requested_by", _("requested by")),
        Column("created", _("created")),
        Column("status", _("status"), badge=DISPOSAL_COLOURS),
    ]


class ClassroomCheckTable(Table):
    columns = [
        Column(lambda c: f"{c.room.building.name} {c.room.name}", _("room")),
        Column("school_class", _("class")),
        Column("term", _("term")),
        Column("asset_count", _("assets listed")),
        Column("confirmed_by", _("confirmed by")),
        Column("confirmed_at", _("confirmed at")),
    ]


class ConsumableTable(ValueAwareTable):
    value_columns = ("unit_price",)
    columns = [
        Column("name", _("name"), link=True),
        Column("spec", _("specification")),
        Column("unit", _("unit")),
        Column("total_quantity", _("quantity in stock")),
        Column("minimum_level", _("minimum stock level")),
        Column("unit_price", _("unit price (yuan)")),
        Column(lambda c: pgettext_lazy("consumable stock level", "Low") if c.is_low else "", _("alert")),
    ]


class StockMovementTable(Table):
    columns = [
        Column("created", _("time")),
        Column("consumable", _("consumable"), link=True),
        Column("store", _("store room")),
        Column("kind", _("kind"), badge=STOCK_MOVEMENT_COLOURS),
        Column("quantity", _("quantity")),
        Column("balance_after", _("balance after")),
        Column("reason", _("reason")),
    ]


class IssueRequestTable(Table):
    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("consumable", _("consumable")),
        Column("quantity", _("quantity")),
        Column("purpose", _("purpose")),
        Column("requester", _("requested by")),
        Column("created", _("created")),
        Column("status", _("status"), badge=ISSUE_COLOURS),
    ]


class StockTakeTable(Table):
    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("name", _("name")),
        Column("started_on", _("started on")),
        Column("expected_count", _("assets expected")),
        Column("status", _("status"), badge=STOCKTAKE_COLOURS),
        Column("approved_at", _("approved at")),
    ]


class StockTakeLineTable(Table):
    columns = [
        Column(lambda line: line.asset.code if line.asset_id else "", _("asset code")),
        Column(lambda line: line.asset.name if line.asset_id else line.item_name, _("name")),
        Column("expected_room", _("room on the ledger")),
        Column("found_room", _("room found in")),
        Column("result", _("result"), badge=LINE_COLOURS),
        Column("condition", _("condition")),
        Column("scanned_by", _("scanned by")),
        Column("explanation", _("explanation")),
    ]


class DamageRecordTable(ValueAwareTable):
    columns = [
        Column("reference", _("reference"), link=True, order_by="reference_number"),
        Column("occurred_on", _("occurred on")),
        Column(lambda d: d.asset.code if d.asset_id else "", _("asset")),
        Column("description", _("description")),
        Column("responsible_display", _("responsible"), orderable=False),
        Column("amount", _("amount (yuan)")),
        Column("paid", _("paid"), badge={True: "success", False: "warning"}),
    ]


class AssetImportTable(Table):
    columns = [
        Column("original_name", _("file name"), link=True),
        Column("created", _("created")),
        Column("total_rows", _("rows")),
        Column("created_count", _("cards created")),
        Column("status", _("status"), badge=IMPORT_COLOURS),
    ]
