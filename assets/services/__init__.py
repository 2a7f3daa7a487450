"""Business actions of the assets app — the only place its state changes.

Contract with repairs (stable signatures): :func:`open_damage_record`, :func:`consume_stock`.
"""

from .damages import delete_damage_record, open_damage_record, record_damage_payment
from .stock import approve_issue, consume_stock, receive_stock, reject_issue, request_issue

__all__ = [
    "approve_issue",
    "consume_stock",
    "delete_damage_record",
    "open_damage_record",
    "receive_stock",
    "record_damage_payment",
    "reject_issue",
    "request_issue",
]
