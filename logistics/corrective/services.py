"""The corrective-action services other apps call: open one, list a source's, escalate the overdue.

Apps never write a ``CorrectiveAction`` themselves: they call :func:`open_action` from their own
services (a failed hygiene item, a cold-chain episode, a patrol finding, a hazard report) and show
:func:`actions_for` on their pages; every later step goes through the declared steps
(``logistics.workflow.guard.run(action, "rectify", user, …)``).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event
from logistics.tenancy import rules
from logistics.tenancy.models import Room

from . import registry
from .choices import OPEN_STATUSES, ActionLevel, ActionStatus, Escalation
from .models import CorrectiveAction
from .people import heads_of, principals_of, tell
from .photos import attach_photo
from .steps import apply_assignment

#: days past the deadline after which an action still open escalates to the principal
PRINCIPAL_AFTER_DAYS = "corrective.escalate_principal_after_days"


def open_action(
    *,
    school,
    actor,
    origin,
    title,
    description="",
    source=None,
    place=None,
    level=ActionLevel.GENERAL,
    owner=None,
    deadline=None,
    measures="",
    photos=(),
    found_at=None,
):
    """Open a corrective action of ``school`` found by ``actor``.

    ``origin`` is a registered origin code (``logistics.corrective.registry``); ``source`` the object it
    comes from (a failed inspection item, a cold-chain episode, a patrol scan…) — same school;
    ``place`` a ``Room`` of the school or a free-text spot. With both ``owner`` and ``deadline`` the
    action is assigned straight away (else it waits in "found" for the logistics head to assign).
    Raises ``ValidationError`` (field → message) on input that does not belong. Returns the action.
    """
    if registry.get(origin) is None:
        raise ValidationError({"origin": _("Unknown origin of a corrective action.")})
    if level not in ActionLevel.values:
        raise ValidationError({"level": _("Choose general or major.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say in a few words what is wrong.")})
    school_id = getattr(school, "pk", school)
    if source is not None and getattr(source, "school_id", school_id) != school_id:
        raise ValidationError({"source": _("This belongs to another school.")})
    room, spot = None, ""
    if isinstance(place, Room):
        if place.school_id != school_id:
            raise ValidationError({"place": _("This belongs to another school.")})
        room = place
    elif place:
        spot = str(place).strip()[:200]
    if owner is not None and not owner.memberships.filter(school_id=school_id, active=True).exists():
        raise ValidationError({"owner": _("This person is not a member of this school.")})
    with transaction.atomic():
        action = CorrectiveAction(
            school_id=school_id,
            origin=origin,
            title=title[:200],
            description=(description or "").strip(),
            room=room,
            spot=spot,
            level=level,
            found_by=actor,
            found_at=found_at or timezone.now(),
            measures=(measures or "").strip(),
        )
        if source is not None:
            action.source_type = ContentType.objects.get_for_model(type(source))
            action.source_id = source.pk
        assigned = owner is not None and deadline is not None
        if assigned:
            apply_assignment(action, actor, owner, deadline, measures)
            action.status = ActionStatus.ASSIGNED
        action.save()
        for photo in photos or ():
            if photo:
                attach_photo(action, photo, actor, kind="found")
        record_event(
            action,
            "corrective.found",
            _("Found: %(title)s") % {"title": action.title},
            {"origin": origin, "level": level},
        )
        if assigned:
            record_event(
                action,
                "corrective.assigned",
                _("Assigned to %(owner)s, deadline %(date)s") % {"owner": owner, "date": deadline.isoformat()},
                {"owner": owner.pk, "deadline": deadline.isoformat()},
            )
            tell(action, [owner], _("is yours to put right by %(date)s") % {"date": deadline.isoformat()})
        else:
            tell(action, heads_of(school_id), _("was found: please assign it"))
        if level == ActionLevel.MAJOR:
            tell(action, principals_of(school_id), _("is a major hazard (挂牌督办)"), level="danger")
    return action


def actions_for(source, user=None):
    """The corrective actions opened from ``source`` (newest first), with their status — only those
    ``user`` may see when a user is given. One query."""
    ct = ContentType.objects.get_for_model(type(source))
    queryset = CorrectiveAction.objects.all()
    if user is not None:
        queryset = queryset.restrict(user, "view")
    return list(
        queryset.filter(school_id=source.school_id, source_type=ct, source_id=source.pk)
        .select_related("owner", "room__building")
        .order_by("-found_at", "-pk")
    )


def overdue(school=None, today=None):
    """Open actions past their deadline (the day after the deadline they are overdue)."""
    today = today or timezone.localdate()
    queryset = CorrectiveAction.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    if school is not None:
        queryset = queryset.in_school(school)
    return queryset


def escalate_overdue(now=None):
    """Escalate each overdue open action once to the logistics head (the day after its deadline) and
    once more to the principal (``corrective.escalate_principal_after_days`` days later). Idempotent:
    the level reached is kept on the action (and each notice has its dedupe key). Returns the number
    of escalations made."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    made = 0
    candidates = (
        overdue(today=today)
        .filter(escalation__lt=Escalation.PRINCIPAL)
        .select_related("school")
        .order_by("school_id", "deadline", "pk")[:2000]
    )
    for action in candidates:
        days = rules.value(action.school, PRINCIPAL_AFTER_DAYS)
        level = Escalation.HEAD
        if today > action.deadline + datetime.timedelta(days=int(days)):
            level = Escalation.PRINCIPAL
        if level <= action.escalation:
            continue
        with transaction.atomic():
            locked = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
            if locked.escalation >= level or locked.status not in OPEN_STATUSES:
                continue
            key = f"corrective:{locked.pk}:{locked.deadline.isoformat()}"
            late = (today - locked.deadline).days
            what = _("is %(days)s days past its deadline %(date)s") % {
                "days": late,
                "date": locked.deadline.isoformat(),
            }
            if locked.escalation < Escalation.HEAD:
                tell(locked, [*heads_of(locked.school_id), locked.owner], what, key=f"{key}:head", level="danger")
            if level == Escalation.PRINCIPAL:
                tell(locked, principals_of(locked.school_id), what, key=f"{key}:principal", level="danger")
            locked.escalation = level
            locked.escalated_at = now
            locked.save()
            record_event(
                locked,
                "corrective.escalated",
                str(Escalation(level).label),
                {"level": int(level), "days_late": late},
            )
            made += 1
    return made


def due_today(now=None):
    """Open assigned actions whose deadline is today (the owner's reminder)."""
    today = timezone.localdate(now or timezone.now())
    return CorrectiveAction.objects.filter(status=ActionStatus.ASSIGNED, deadline=today).select_related("owner")
