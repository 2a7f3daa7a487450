"""What each declared step of a corrective action does besides moving its status
(``CorrectiveAction`` declares the steps; ``logistics.workflow.guard.run`` locks the row, checks
permission and status, calls the function here, moves the status, saves and writes the timeline).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.workflow.guard import StepResult

from .choices import Escalation
from .people import heads_of, is_staff_of, tell
from .photos import attach_photo


def _text(value, field, message, limit=None):
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text[:limit] if limit else text


def apply_assignment(action, actor, owner, deadline, measures="", funding=None, contingency_plan=""):
    """Set owner, measures and deadline (shared by the step and by ``open_action``). A deadline in the
    future starts the escalations afresh."""
    if owner is None:
        raise ValidationError({"owner": _("Choose the responsible person.")})
    if not is_staff_of(action.school_id, owner):  # a parent is no one to put a school's hazard right
        raise ValidationError({"owner": _("The responsible person must be on the school's staff.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Set a deadline for the rectification.")})
    today = timezone.localdate()
    if deadline < timezone.localdate(action.found_at) and deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be before the day it was found.")})
    action.owner = owner
    action.deadline = deadline
    action.measures = (measures or "").strip()
    action.funding = funding
    action.contingency_plan = (contingency_plan or "").strip()
    action.assigned_by = actor
    action.assigned_at = timezone.now()
    if deadline >= today:
        action.escalation, action.escalated_at = Escalation.NONE, None


def assign(action, actor, owner, deadline, measures="", funding=None, contingency_plan="", level=None):
    """Assign (or re-assign) the action: responsible person, measures, deadline; for a major hazard
    also the funding and the contingency plan (挂牌督办). ``level`` (optional) re-grades it: a hazard
    found as general and assessed as major on the spot becomes major here — the principal is told, as
    when one is reported major — and one graded major by mistake goes back to general (the timeline
    keeps both)."""
    from .choices import ActionLevel
    from .people import principals_of

    level = level or action.level
    if level not in ActionLevel.values:
        raise ValidationError({"level": _("Choose general or major.")})
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    if level == ActionLevel.MAJOR and not (contingency_plan or "").strip():
        raise ValidationError({"contingency_plan": _("A major hazard needs a contingency plan (挂牌督办).")})
    previous, previous_level = action.owner_id, action.level
    apply_assignment(action, actor, owner, deadline, measures, funding, contingency_plan)
    action.level = level
    if owner.pk != previous:
        tell(action, [owner], _("is yours to put right by %(date)s") % {"date": deadline.isoformat()})
    text = _("Assigned to %(owner)s, deadline %(date)s") % {"owner": owner, "date": deadline.isoformat()}
    data = {"owner": owner.pk, "deadline": deadline.isoformat()}
    if level != previous_level:
        text += "; " + _("level: %(before)s → %(after)s") % {
            "before": ActionLevel(previous_level).label,
            "after": ActionLevel(level).label,
        }
        data["level"] = level
        if level == ActionLevel.MAJOR:
            tell(action, principals_of(action.school_id), _("is a major hazard (挂牌督办)"), level="danger")
    return StepResult(text, data)


def rectify(action, actor, rectification, photo=None):
    """Record what was done (with a photo of the result); the action then waits for verification."""
    action.rectification = _text(rectification, "rectification", _("Say what was done."))
    action.rectified_by = actor
    action.rectified_at = timezone.now()
    if photo:
        attach_photo(action, photo, actor, kind="rectified")
    tell(action, [*heads_of(action.school_id), action.found_by], _("was rectified: please verify"))
    return StepResult(_("Rectified: %(text)s") % {"text": action.rectification[:200]})


def _not_the_rectifier(action, actor):
    if action.rectified_by_id is not None and action.rectified_by_id == actor.pk:
        raise ValidationError(
            _("You recorded the rectification yourself: someone else must verify it (two people, two checks).")
        )


def verify(action, actor, note=""):
    """Verify the rectification on the spot — refused when the verifier is the person who rectified."""
    _not_the_rectifier(action, actor)
    action.verification = (note or "").strip()
    action.verified_by = actor
    action.verified_at = timezone.now()
    return StepResult(_("Verified by %(person)s") % {"person": actor})


def reject_verification(action, actor, reason):
    """Refuse the rectification with a reason: back to the responsible person."""
    _not_the_rectifier(action, actor)
    action.rejection_reason = _text(reason, "reason", _("Give a reason."), 300)
    action.rejections += 1
    tell(
        action,
        [action.owner, action.rectified_by],
        _("was sent back: %(reason)s") % {"reason": action.rejection_reason},
        level="warning",
    )
    return StepResult(_("Sent back: %(reason)s") % {"reason": action.rejection_reason})


def close(action, actor, note=""):
    """Close (销号) the verified action."""
    action.closed_by = actor
    action.closed_at = timezone.now()
    if note:
        action.verification = "\n".join(filter(None, [action.verification, note.strip()]))
    tell(action, [action.found_by, action.owner], _("is closed"))
    return StepResult(_("Closed"))


def cancel(action, actor, reason):
    """Withdraw an action opened by mistake (or twice) with a reason — not by the person responsible for
    putting it right (who would close their own work without a check)."""
    if action.owner_id is not None and action.owner_id == actor.pk:
        raise PermissionDenied(_("The person responsible for putting it right cannot withdraw it."))
    action.cancel_reason = _text(reason, "reason", _("Give a reason."), 300)
    action.closed_by = actor
    action.closed_at = timezone.now()
    return StepResult(_("Withdrawn: %(reason)s") % {"reason": action.cancel_reason})
