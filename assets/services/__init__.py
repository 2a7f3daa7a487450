"""Business actions of the assets app — the only place its state changes.

Contract with repairs (stable signatures): :func:`open_damage_record`, :func:`consume_stock`
(and, optionally, :func:`set_under_repair`).
"""

from .damages import delete_damage_record, open_damage_record, record_damage_payment
from .imports import open_import, run_import, set_mapping, validate_import
from .ledger import (
    acquire_assets,
    approve_disposal_head,
    approve_disposal_principal,
    check_threshold,
    confirm_classroom,
    current_term,
    lend_asset,
    next_codes,
    reject_disposal,
    report_lost,
    request_disposal,
    return_asset,
    set_under_repair,
    transfer_asset,
    write_off_disposal,
)
from .stock import approve_issue, consume_stock, receive_stock, reject_issue, request_issue
from .stocktake import (
    add_unledgered,
    approve_stocktake,
    cancel_stocktake,
    explain,
    progress,
    reopen_stocktake,
    scan,
    start_stocktake,
    submit_stocktake,
    unscan,
)

__all__ = [
    "acquire_assets",
    "add_unledgered",
    "approve_disposal_head",
    "approve_disposal_principal",
    "approve_issue",
    "approve_stocktake",
    "cancel_stocktake",
    "check_threshold",
    "confirm_classroom",
    "consume_stock",
    "current_term",
    "delete_damage_record",
    "explain",
    "lend_asset",
    "next_codes",
    "open_damage_record",
    "open_import",
    "progress",
    "receive_stock",
    "record_damage_payment",
    "reject_disposal",
    "reject_issue",
    "reopen_stocktake",
    "report_lost",
    "request_disposal",
    "request_issue",
    "return_asset",
    "run_import",
    "scan",
    "set_mapping",
    "set_under_repair",
    "start_stocktake",
    "submit_stocktake",
    "transfer_asset",
    "unscan",
    "validate_import",
    "write_off_disposal",
]
