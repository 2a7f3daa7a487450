"""Steps of an issue request (领用申请): approved and issued — the stock moves — or rejected
(审批、发放手续: nothing moves before approval)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.notifications.services import notify
from logistics.workflow.guard import StepResult

from ..choices import StockMovementKind
from ..models import Consumable
from ..services.stock import _alert_if_low, _take


def approve_issue(request, actor, store=None, note=""):
    """Approve and issue: the stock moves out of ``store`` (or the stores holding most), row-locked;
    short stock is refused with a readable message and nothing moves."""
    consumable = Consumable.objects.select_for_update().get(pk=request.consumable_id)
    movements = _take(
        consumable=consumable,
        quantity=request.quantity,
        user=actor,
        reason=request.purpose,
        kind=StockMovementKind.ISSUE,
        store=store,
        issue_request=request,
    )
    request.store_id = movements[0].store_id if movements else None
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note or ""
    notify(
        [request.requester],
        _("Your request %(ref)s was approved") % {"ref": request.reference},
        obj=request,
        key=f"assets-issue-issued-{request.pk}",
    )
    _alert_if_low(consumable)
    return StepResult(_("Approved and issued"))


def reject_issue(request, actor, note):
    """Refuse an issue request, with the reason the requester sees."""
    from django.core.exceptions import ValidationError

    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give the reason.")})
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    notify(
        [request.requester],
        _("Your request %(ref)s was rejected") % {"ref": request.reference},
        body=note,
        obj=request,
        key=f"assets-issue-rejected-{request.pk}",
    )
    return StepResult(note)
