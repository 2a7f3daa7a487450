"""Steps of a damage record (损坏赔偿, "人为损坏必须赔偿")."""

from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.workflow.guard import StepResult


def pay(record, actor, receipt_number="", receipt=None, paid_at=None):
    """Record that the damage was paid (赔偿到账); after this the record is read-only (a financial
    record: never changed or deleted)."""
    record.paid_at = paid_at or timezone.now()
    record.receipt_number = receipt_number or record.receipt_number
    if receipt:
        record.receipt = receipt
    return StepResult(_("Payment recorded"), {"receipt": record.receipt_number}, value=record)
