"""Ledger import from Excel/CSV (台账导入) on the platform's import engine (``logistics.imports``): the
ledger's columns, the lookups rows are matched against, and the all-or-nothing insert of asset cards
with their acquisition movements. Mapping, preview, checks, tasks and progress are the engine's.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.audit.recorder import record_bulk_create
from logistics.imports import engine
from logistics.imports import registry as import_registry
from logistics.imports.columns import CellError, Column, date, money, normalise, text
from logistics.imports.reading import check_upload  # noqa: F401  (the forms' and serializers' upload check)
from logistics.tenancy.models import Room

from .. import settings_rules
from ..categories import ensure_default_categories
from ..choices import AssetStatus, FundingSource, MovementKind
from ..models import Asset, AssetImport, AssetMovement
from .ledger import next_codes

IMPORTER = "assets.ledger"

#: how ledgers write funding sources (资金来源) — anything else is an error of its row, never "other"
FUNDING_ALIASES = {
    "财政拨款": FundingSource.BUDGET,
    "财政资金": FundingSource.BUDGET,
    "财政性资金": FundingSource.BUDGET,
    "财政": FundingSource.BUDGET,
    "专项资金": FundingSource.SPECIAL,
    "专项经费": FundingSource.SPECIAL,
    "专项": FundingSource.SPECIAL,
    "自筹资金": FundingSource.SELF,
    "自筹": FundingSource.SELF,
    "学校自筹": FundingSource.SELF,
    "自有资金": FundingSource.SELF,
    "捐赠": FundingSource.DONATION,
    "社会捐赠": FundingSource.DONATION,
    "捐赠资金": FundingSource.DONATION,
    "其他": FundingSource.OTHER,
    "其它": FundingSource.OTHER,
}
STATUS_ALIASES = {
    "在用": AssetStatus.IN_USE,
    "正常使用": AssetStatus.IN_USE,
    "闲置": AssetStatus.IDLE,
    "维修": AssetStatus.UNDER_REPAIR,
    "待修": AssetStatus.UNDER_REPAIR,
    "出借": AssetStatus.ON_LOAN,
    "借出": AssetStatus.ON_LOAN,
    "丢失": AssetStatus.LOST,
}


def _category(raw, lookups):
    value = text()(raw)
    category = lookups.categories.get(normalise(value)) or lookups.categories.get(normalise(value.split(" ")[0]))
    if category is None:
        raise CellError(_("unknown category “%(value)s”") % {"value": value})
    return category


def _room(raw, lookups):
    value = text()(raw)
    room = lookups.rooms.get(normalise(value), False)
    if room is False:
        raise CellError(_("unknown room “%(value)s”") % {"value": value})
    if room is None:
        raise CellError(_("“%(value)s” matches several rooms; add the building") % {"value": value})
    return room


def _custodian(raw, lookups):
    value = text()(raw)
    user = lookups.users.get(normalise(value), False)
    if user is False:
        raise CellError(_("“%(value)s” is not a member of this school") % {"value": value})
    if user is None:
        raise CellError(_("“%(value)s” matches several people") % {"value": value})
    return user


COLUMNS = [
    Column(
        "code",
        gettext_lazy("Asset code"),
        headers=("资产编号", "资产编码", "编号", "卡片编号", "asset code"),
        max_length=40,
    ),
    Column(
        "name", gettext_lazy("Name"), required=True, headers=("资产名称", "名称"), max_length=200, example="学生课桌"
    ),
    Column(
        "category",
        gettext_lazy("Category (code or name)"),
        required=True,
        headers=("分类代码", "资产分类", "分类", "类别"),
        parse=_category,
        example="A05010200",
    ),
    Column(
        "model_spec",
        gettext_lazy("Model / specification"),
        headers=("规格型号", "型号", "规格", "spec"),
        max_length=200,
        example="1.2m 单人",
    ),
    Column("serial_number", gettext_lazy("Serial number"), headers=("序列号", "出厂编号", "serial"), max_length=100),
    Column(
        "unit_price",
        gettext_lazy("Unit price"),
        required=True,
        headers=("单价", "原值", "价值", "金额", "price"),
        parse=money(),
        example="1200",
    ),
    Column(
        "purchase_date",
        gettext_lazy("Purchase date"),
        required=True,
        headers=("购置日期", "取得日期", "入账日期", "购买日期", "date"),
        parse=date(not_future=True),
        example="2024-09-01",
    ),
    Column(
        "funding_source",
        gettext_lazy("Funding source"),
        headers=("资金来源", "经费来源", "funding"),
        choices=FundingSource,
        aliases=FUNDING_ALIASES,
        example="财政拨款",
    ),
    Column("supplier", gettext_lazy("Supplier"), headers=("供应商", "销售商"), max_length=200),
    Column("invoice_number", gettext_lazy("Invoice number"), headers=("发票号", "发票号码", "invoice"), max_length=100),
    Column("warranty_end", gettext_lazy("Warranty end"), headers=("保修截止", "保修期至", "warranty"), parse=date()),
    Column("room", gettext_lazy("Room"), headers=("存放地点", "存放位置", "房间", "位置", "location"), parse=_room),
    Column("custodian", gettext_lazy("Custodian"), headers=("使用人", "保管人", "责任人"), parse=_custodian),
    Column(
        "department",
        gettext_lazy("Managing department"),
        headers=("管理部门", "使用部门", "部门"),
        max_length=100,
        example="总务处",
    ),
    Column(
        "status",
        gettext_lazy("Status"),
        headers=("状态", "使用状况"),
        choices=[(v, label) for v, label in AssetStatus.choices if v != AssetStatus.DISPOSED],
        aliases=STATUS_ALIASES,
        example="在用",
    ),
    Column("notes", gettext_lazy("Notes"), headers=("备注",)),
]
#: kept for the pages: {field: label}
FIELD_LABELS = {c.name: c.label for c in COLUMNS}


class Lookups:
    """Everything rows are matched against, loaded once per file (a handful of queries)."""

    def __init__(self, record):
        school = record.school
        self.school = school
        self.bulk = bool(record.mapping.get("_bulk"))
        self.categories = {}
        for category in ensure_default_categories(school).values():
            self.categories[normalise(category.code)] = category
            self.categories.setdefault(normalise(category.name), category)
        self.rooms = {}
        for room in Room.objects.filter(school=school).select_related("building"):
            for key in {room.name, room.code, f"{room.building.name}{room.name}", f"{room.building.name}{room.code}"}:
                if key:
                    key = normalise(key)
                    self.rooms[key] = None if key in self.rooms and self.rooms[key] != room else room
        self.users = {}
        for user in get_user_model().objects.filter(memberships__school=school, memberships__active=True).distinct():
            for key in {user.username, getattr(user, "display_name", "")}:
                if key:
                    key = normalise(key)
                    self.users[key] = None if key in self.users and self.users[key] != user else user
        self.threshold = settings_rules.threshold(school)


class LedgerImporter(import_registry.Importer):
    """Asset cards from a school's ledger (资产台账): one card per row, an acquisition movement each."""

    code = IMPORTER
    label = gettext_lazy("Asset ledger")
    model = "assets.AssetImport"
    columns = COLUMNS
    unique_fields = ("code",)

    def lookups(self, record):
        return Lookups(record)

    def clean_row(self, values, row, lookups):
        price = values.get("unit_price")
        if price is not None and price < lookups.threshold and not lookups.bulk:
            row.error(
                "unit_price",
                _("%(price)s is below the capitalisation threshold (%(limit)s yuan)")
                % {"price": price, "limit": lookups.threshold},
            )

    def existing(self, record, field, values):
        return set(Asset.objects.filter(school=record.school, code__in=values).values_list("code", flat=True))

    def duplicate_message(self, field, value, other_row):
        return _("duplicate code “%(code)s” (also in row %(other)s)") % {"code": value, "other": other_row}

    def existing_message(self, field, value):
        return _("code “%(code)s” is already on the ledger") % {"code": value}

    def done_message(self, count):
        return _("%(n)s asset cards imported.") % {"n": count}

    def apply(self, record, rows, user, progress):
        return _insert(record, user, rows, progress)


# --- the services the pages and the API call (stable names) ---------------------------------------------


def guess_mapping(headers):
    """{field: column index} by header names (Chinese or English)."""
    return engine.guess_mapping(import_registry.get(IMPORTER), headers)


def open_import(*, school, user, upload):
    """Store an uploaded ledger file and guess its column mapping; an unreadable file is refused
    (``ValidationError``, one message) and nothing is stored."""
    return engine.open_import(AssetImport, school=school, user=user, upload=upload, importer=IMPORTER)


def set_mapping(*, import_, user, mapping, bulk_below_threshold=False):
    """Save the column mapping chosen by the user (``{field: column index}``)."""
    return engine.set_mapping(import_, user, mapping, bulk=bool(bulk_below_threshold))


def validate_import(*, import_, user=None):
    """The preview's check of every row, now (the task's work)."""
    return engine.check_now(import_, user)


def run_import(*, import_, user):
    """Import every row or none, now (the task's work)."""
    return engine.apply_now(import_, user)


def preview_rows(import_, limit=20):
    return engine.preview(import_, limit=limit)


def _insert(import_, user, parsed, progress):
    school = import_.school
    codes = iter(next_codes(school, len(parsed)))
    batch = f"I{import_.pk:06d}"
    bulk = bool(import_.mapping.get("_bulk"))
    threshold = settings_rules.threshold(school)
    now = timezone.now()
    total = 0
    for start in range(0, len(parsed), 2000):
        chunk = parsed[start : start + 2000]
        assets = []
        for _row, values in chunk:
            sequence, generated = next(codes)
            values = dict(values)
            code = values.pop("code", "") or generated
            status = values.pop("status", None) or AssetStatus.IN_USE
            assets.append(
                Asset(
                    school=school,
                    code=code,
                    sequence=sequence,
                    batch=batch,
                    status=status,
                    bulk_item=bulk and values["unit_price"] < threshold,
                    created_by=user,
                    updated_by=user,
                    created=now,
                    updated=now,
                    **values,
                )
            )
        Asset.objects.bulk_create(assets)
        record_bulk_create(assets)  # every imported card is on the record, as if saved one by one
        AssetMovement.objects.bulk_create(
            [
                AssetMovement(
                    school=school,
                    asset=asset,
                    kind=MovementKind.ACQUIRE,
                    date=asset.purchase_date,
                    to_room=asset.room,
                    to_custodian=asset.custodian,
                    to_status=asset.status,
                    note=_("imported from %(file)s") % {"file": import_.original_name},
                    created_by=user,
                )
                for asset in assets
            ]
        )
        total += len(assets)
        progress(total)
    return total
