"""Choices of the assets app: value, label and badge colour in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy

from logistics.imports.choices import IMPORT_COLOURS, ImportStatus  # noqa: F401  (re-exported)


class AssetStatus(models.TextChoices):
    """The status of an asset card (资产状态)."""

    IN_USE = "in_use", pgettext_lazy("asset status", "In use")
    IDLE = "idle", pgettext_lazy("asset status", "Idle")
    ON_LOAN = "on_loan", pgettext_lazy("asset status", "On loan")
    UNDER_REPAIR = "under_repair", pgettext_lazy("asset status", "Under repair")
    LOST = "lost", pgettext_lazy("asset status", "Lost")
    DISPOSED = "disposed", pgettext_lazy("asset status", "Disposed")


ASSET_STATUS_COLOURS = {
    AssetStatus.IN_USE: "success",
    AssetStatus.IDLE: "secondary",
    AssetStatus.ON_LOAN: "info",
    AssetStatus.UNDER_REPAIR: "warning",
    AssetStatus.LOST: "danger",
    AssetStatus.DISPOSED: "dark",
}

#: statuses of an asset still on the ledger (在账)
ON_LEDGER = (
    AssetStatus.IN_USE,
    AssetStatus.IDLE,
    AssetStatus.ON_LOAN,
    AssetStatus.UNDER_REPAIR,
)


class FundingSource(models.TextChoices):
    """Where the money came from (资金来源)."""

    BUDGET = "budget", pgettext_lazy("asset funding source", "Fiscal budget")
    SPECIAL = "special", pgettext_lazy("asset funding source", "Special fund")
    SELF = "self", pgettext_lazy("asset funding source", "School's own funds")
    DONATION = "donation", pgettext_lazy("asset funding source", "Donation")
    OTHER = "other", pgettext_lazy("asset funding source", "Other")


class MovementKind(models.TextChoices):
    """A movement of an asset (资产变动)."""

    ACQUIRE = "acquire", pgettext_lazy("asset movement", "Acquired")
    TRANSFER = "transfer", pgettext_lazy("asset movement", "Transferred")
    LEND = "lend", pgettext_lazy("asset movement", "Lent")
    RETURN = "return", pgettext_lazy("asset movement", "Returned")
    LOST = "lost", pgettext_lazy("asset movement", "Reported lost")
    DISPOSE = "dispose", pgettext_lazy("asset movement", "Disposed")
    FOUND = "found", pgettext_lazy("asset movement", "Found in stock-take")
    STOCKTAKE_MOVE = "stocktake_move", pgettext_lazy("asset movement", "Moved by stock-take")
    STOCKTAKE_LOSS = "stocktake_loss", pgettext_lazy("asset movement", "Written off by stock-take")
    STATUS = "status", pgettext_lazy("asset movement", "Status changed")


MOVEMENT_COLOURS = {
    MovementKind.ACQUIRE: "success",
    MovementKind.TRANSFER: "primary",
    MovementKind.LEND: "info",
    MovementKind.RETURN: "info",
    MovementKind.LOST: "danger",
    MovementKind.DISPOSE: "dark",
    MovementKind.FOUND: "success",
    MovementKind.STOCKTAKE_MOVE: "primary",
    MovementKind.STOCKTAKE_LOSS: "danger",
    MovementKind.STATUS: "secondary",
}


class DisposalStatus(models.TextChoices):
    """Disposal request (报废申请) workflow: requested → head approved → approved → written off."""

    REQUESTED = "requested", pgettext_lazy("disposal status", "Requested")
    HEAD_APPROVED = "head_approved", pgettext_lazy("disposal status", "Approved by logistics head")
    APPROVED = "approved", pgettext_lazy("disposal status", "Approved by principal")
    WRITTEN_OFF = "written_off", pgettext_lazy("disposal status", "Written off")
    REJECTED = "rejected", pgettext_lazy("disposal status", "Rejected")


DISPOSAL_COLOURS = {
    DisposalStatus.REQUESTED: "warning",
    DisposalStatus.HEAD_APPROVED: "info",
    DisposalStatus.APPROVED: "primary",
    DisposalStatus.WRITTEN_OFF: "dark",
    DisposalStatus.REJECTED: "danger",
}


class DisposalMethod(models.TextChoices):
    SCRAP = "scrap", pgettext_lazy("disposal method", "Scrapped")
    SALE = "sale", pgettext_lazy("disposal method", "Sold")
    TRANSFER = "transfer", pgettext_lazy("disposal method", "Transferred out")
    DONATION = "donation", pgettext_lazy("disposal method", "Donated")
    OTHER = "other", pgettext_lazy("disposal method", "Other")


class StockMovementKind(models.TextChoices):
    """A movement of consumable stock (低值易耗品出入库)."""

    RECEIPT = "receipt", pgettext_lazy("consumable stock movement", "Receipt")
    ISSUE = "issue", pgettext_lazy("consumable stock movement", "Issue")
    CONSUME = "consume", pgettext_lazy("consumable stock movement", "Used in work")
    ADJUST = "adjust", pgettext_lazy("consumable stock movement", "Adjustment")


STOCK_MOVEMENT_COLOURS = {
    StockMovementKind.RECEIPT: "success",
    StockMovementKind.ISSUE: "primary",
    StockMovementKind.CONSUME: "info",
    StockMovementKind.ADJUST: "secondary",
}


class IssueStatus(models.TextChoices):
    """Issue request (领用申请): requested → issued (approved) or rejected."""

    REQUESTED = "requested", pgettext_lazy("issue request status", "Requested")
    ISSUED = "issued", pgettext_lazy("issue request status", "Approved and issued")
    REJECTED = "rejected", pgettext_lazy("issue request status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("issue request status", "Cancelled")


ISSUE_COLOURS = {
    IssueStatus.REQUESTED: "warning",
    IssueStatus.ISSUED: "success",
    IssueStatus.REJECTED: "danger",
    IssueStatus.CANCELLED: "secondary",
}


class StockTakeStatus(models.TextChoices):
    """Stock-take (清查盘点): in progress → submitted → approved (ledger changed) or cancelled."""

    IN_PROGRESS = "in_progress", pgettext_lazy("stocktake status", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("stocktake status", "Submitted for approval")
    APPROVED = "approved", pgettext_lazy("stocktake status", "Approved")
    CANCELLED = "cancelled", pgettext_lazy("stocktake status", "Cancelled")


STOCKTAKE_COLOURS = {
    StockTakeStatus.IN_PROGRESS: "warning",
    StockTakeStatus.SUBMITTED: "info",
    StockTakeStatus.APPROVED: "success",
    StockTakeStatus.CANCELLED: "secondary",
}


class LineResult(models.TextChoices):
    """What a stock-take found for one asset (帐、卡、物相符?)."""

    PENDING = "pending", pgettext_lazy("stocktake line result", "Not yet seen")
    FOUND = "found", pgettext_lazy("stocktake line result", "Found")
    MISSING = "missing", pgettext_lazy("stocktake line result", "Missing")
    WRONG_ROOM = "wrong_room", pgettext_lazy("stocktake line result", "In the wrong room")
    NOT_IN_LEDGER = "not_in_ledger", pgettext_lazy("stocktake line result", "Not in the ledger")


LINE_COLOURS = {
    LineResult.PENDING: "secondary",
    LineResult.FOUND: "success",
    LineResult.MISSING: "danger",
    LineResult.WRONG_ROOM: "warning",
    LineResult.NOT_IN_LEDGER: "info",
}


class Condition(models.TextChoices):
    """Condition of an asset seen in a stock-take (完好程度)."""

    GOOD = "good", pgettext_lazy("asset condition", "Good")
    WORN = "worn", pgettext_lazy("asset condition", "Worn")
    DAMAGED = "damaged", pgettext_lazy("asset condition", "Damaged")
    UNUSABLE = "unusable", pgettext_lazy("asset condition", "Unusable")


# The import record's statuses are the platform's (logistics.imports).
class DamageStatus(models.TextChoices):
    UNPAID = "unpaid", pgettext_lazy("damage compensation status", "Unpaid")
    PAID = "paid", pgettext_lazy("damage compensation status", "Paid")
