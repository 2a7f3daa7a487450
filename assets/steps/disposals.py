"""Steps of a disposal request (资产处置/报废): the logistics head approves, then the principal; only
then are the assets written off (行政事业性国有资产管理条例 art. 19, 35). Either may refuse."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.notifications.services import notify
from logistics.workflow.guard import StepResult, run

from ..models import Asset
from ..services._common import staff_with


def approve_head(request, actor, note=""):
    """The logistics head approves (first of two approvals); the principal is asked next."""
    request.head_approved_by = actor
    request.head_approved_at = timezone.now()
    if note:
        request.decision_note = note
    notify(
        staff_with(request.school_id, Role.PRINCIPAL),
        _("Disposal request %(ref)s awaits the principal's approval") % {"ref": request.reference},
        obj=request,
        key=f"assets-disposal-head-{request.pk}",
    )
    return StepResult(note or _("Approved by the logistics head"))


def approve_principal(request, actor, note=""):
    """The principal approves (second approval, the collective decision recorded in ``note``)."""
    request.principal_approved_by = actor
    request.principal_approved_at = timezone.now()
    if note:
        request.decision_note = note
    notify(
        [request.requested_by, *staff_with(request.school_id, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF)],
        _("Disposal request %(ref)s approved: write the assets off") % {"ref": request.reference},
        obj=request,
        key=f"assets-disposal-approved-{request.pk}",
    )
    return StepResult(note or _("Approved by the principal"))


def reject(request, actor, note):
    """The head or the principal refuses, with the reason; the assets stay on the ledger unchanged."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give the reason.")})
    request.decision_note = note
    notify(
        [request.requested_by],
        _("Disposal request %(ref)s rejected") % {"ref": request.reference},
        body=note,
        obj=request,
        key=f"assets-disposal-rejected-{request.pk}",
    )
    return StepResult(note)


def write_off(request, actor, date=None, proceeds=0):
    """Write the approved assets out of the ledger (核销, art. 35): each card takes its own
    ``write_off`` step (status "disposed"); the cards stay readable forever."""
    date = date or timezone.localdate()
    request.written_off_on = date
    if proceeds is not None and proceeds < 0:
        raise ValidationError({"proceeds": _("The proceeds cannot be negative.")})
    request.proceeds = proceeds or 0
    for asset in Asset.objects.filter(disposal_requests=request).order_by("pk"):
        run(asset, "write_off", actor, request=request, date=date)
    return StepResult(_("Written off"), {"date": date.isoformat()})
