"""Business actions of the assets app — the only place its state changes.

Contract with repairs (stable signatures): :func:`open_damage_record` (its amount bounded by
:func:`check_damage_amount`), :func:`consume_stock`,
:func:`return_stock` (a part reversed), and, optionally, :func:`set_under_repair`; other apps pick assets and
consumables for their forms through :func:`assets_for_choice` and :func:`consumables_for_choice` — they never
import ``assets.models``.
"""

from ..settings_rules import check_damage_amount
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
from .lookups import assets_for_choice, consumables_for_choice
from .stock import approve_issue, consume_stock, receive_stock, reject_issue, request_issue, return_stock
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
    "assets_for_choice",
    "cancel_stocktake",
    "check_damage_amount",
    "check_threshold",
    "confirm_classroom",
    "consume_stock",
    "consumables_for_choice",
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
    "return_stock",
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
