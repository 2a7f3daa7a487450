"""Choices of the assets app: value, label and badge colour in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetStatus(models.TextChoices):
    """The status of an asset card (资产状态)."""

    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    ON_LOAN = "on_loan", _("On loan")
    UNDER_REPAIR = "under_repair", _("Under repair")
    LOST = "lost", _("Lost")
    DISPOSED = "disposed", _("Disposed")


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

    BUDGET = "budget", _("Fiscal budget")
    SPECIAL = "special", _("Special fund")
    SELF = "self", _("School's own funds")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other")


class MovementKind(models.TextChoices):
    """A movement of an asset (资产变动)."""

    ACQUIRE = "acquire", _("Acquired")
    TRANSFER = "transfer", _("Transferred")
    LEND = "lend", _("Lent")
    RETURN = "return", _("Returned")
    LOST = "lost", _("Reported lost")
    DISPOSE = "dispose", _("Disposed")
    FOUND = "found", _("Found in stock-take")
    STOCKTAKE_MOVE = "stocktake_move", _("Moved by stock-take")
    STOCKTAKE_LOSS = "stocktake_loss", _("Written off by stock-take")
    STATUS = "status", _("Status changed")


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

    REQUESTED = "requested", _("Requested")
    HEAD_APPROVED = "head_approved", _("Approved by logistics head")
    APPROVED = "approved", _("Approved by principal")
    WRITTEN_OFF = "written_off", _("Written off")
    REJECTED = "rejected", _("Rejected")


DISPOSAL_COLOURS = {
    DisposalStatus.REQUESTED: "warning",
    DisposalStatus.HEAD_APPROVED: "info",
    DisposalStatus.APPROVED: "primary",
    DisposalStatus.WRITTEN_OFF: "dark",
    DisposalStatus.REJECTED: "danger",
}


class DisposalMethod(models.TextChoices):
    SCRAP = "scrap", _("Scrapped")
    SALE = "sale", _("Sold")
    TRANSFER = "transfer", _("Transferred out")
    DONATION = "donation", _("Donated")
    OTHER = "other", _("Other")


class StockMovementKind(models.TextChoices):
    """A movement of consumable stock (低值易耗品出入库)."""

    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    CONSUME = "consume", _("Used in work")
    ADJUST = "adjust", _("Adjustment")


STOCK_MOVEMENT_COLOURS = {
    StockMovementKind.RECEIPT: "success",
    StockMovementKind.ISSUE: "primary",
    StockMovementKind.CONSUME: "info",
    StockMovementKind.ADJUST: "secondary",
}


class IssueStatus(models.TextChoices):
    """Issue request (领用申请): requested → issued (approved) or rejected."""

    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Approved and issued")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


ISSUE_COLOURS = {
    IssueStatus.REQUESTED: "warning",
    IssueStatus.ISSUED: "success",
    IssueStatus.REJECTED: "danger",
    IssueStatus.CANCELLED: "secondary",
}


class StockTakeStatus(models.TextChoices):
    """Stock-take (清查盘点): in progress → submitted → approved (ledger changed) or cancelled."""

    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


STOCKTAKE_COLOURS = {
    StockTakeStatus.IN_PROGRESS: "warning",
    StockTakeStatus.SUBMITTED: "info",
    StockTakeStatus.APPROVED: "success",
    StockTakeStatus.CANCELLED: "secondary",
}


class LineResult(models.TextChoices):
    """What a stock-take found for one asset (帐、卡、物相符?)."""

    PENDING = "pending", _("Not yet seen")
    FOUND = "found", _("Found")
    MISSING = "missing", _("Missing")
    WRONG_ROOM = "wrong_room", _("In the wrong room")
    NOT_IN_LEDGER = "not_in_ledger", _("Not in the ledger")


LINE_COLOURS = {
    LineResult.PENDING: "secondary",
    LineResult.FOUND: "success",
    LineResult.MISSING: "danger",
    LineResult.WRONG_ROOM: "warning",
    LineResult.NOT_IN_LEDGER: "info",
}


class Condition(models.TextChoices):
    """Condition of an asset seen in a stock-take (完好程度)."""

    GOOD = "good", _("Good")
    WORN = "worn", _("Worn")
    DAMAGED = "damaged", _("Damaged")
    UNUSABLE = "unusable", _("Unusable")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Validated")
    INVALID = "invalid", _("Has errors")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


IMPORT_COLOURS = {
    ImportStatus.UPLOADED: "secondary",
    ImportStatus.VALIDATING: "warning",
    ImportStatus.VALIDATED: "info",
    ImportStatus.INVALID: "danger",
    ImportStatus.RUNNING: "warning",
    ImportStatus.DONE: "success",
    ImportStatus.FAILED: "danger",
}


class DamageStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")
