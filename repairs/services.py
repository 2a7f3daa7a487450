"""Business steps of the repairs app — the only place a ticket or plan changes state.

Each step is one function: it checks who may take it (403, naming the current status) and from which
status (:class:`StepNotAllowed` → 409), changes the ticket inside ``transaction.atomic`` with the row
locked, records a timeline event (``record_event``) and notifies the people concerned (``notify``).
Sources of the rules: DOMAIN.md § Repairs and the seeds' summaries ("有报即修").
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.accounts import permissions
from logistics.accounts.roles import Role
from logistics.attachments.models import Attachment
from logistics.attachments.validators import validate_image
from logistics.audit.recorder import record_event
from logistics.notifications.services import notify
from logistics.tenancy import rules
from logistics.tenancy.models import Membership
from logistics.tenancy.workflow import StepNotAllowed

from .choices import OPEN_STATUSES, Cause, TicketKind, TicketStatus, Urgency
from .models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog

S = TicketStatus
MAX_PHOTOS = 5

#: step → (statuses it may be taken from, status it leads to (None: unchanged))
WORKFLOW = {
    "assign": ((S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD), None),
    "start": ((S.SUBMITTED, S.ASSIGNED, S.ON_HOLD), S.IN_PROGRESS),
    "hold": ((S.IN_PROGRESS,), S.ON_HOLD),
    "complete": ((S.IN_PROGRESS,), S.DONE),
    "confirm": ((S.DONE,), S.CONFIRMED),
    "reopen": ((S.DONE,), S.ASSIGNED),
    "reject": ((S.SUBMITTED, S.ASSIGNED), S.REJECTED),
    "cancel": ((S.SUBMITTED, S.ASSIGNED), S.CANCELLED),
    "urgency": (OPEN_STATUSES, None),
    "log_work": ((S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.DONE), None),
    "add_part": ((S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.DONE), None),
    "tick": ((S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD), None),
}

STEP_LABELS = {
    "assign": gettext_lazy("Assign"),
    "start": gettext_lazy("Start"),
    "hold": gettext_lazy("Put on hold"),
    "complete": gettext_lazy("Complete"),
    "confirm": gettext_lazy("Confirm"),
    "reopen": gettext_lazy("Reopen"),
    "reject": gettext_lazy("Reject"),
    "cancel": gettext_lazy("Cancel"),
    "urgency": gettext_lazy("Change urgency"),
    "log_work": gettext_lazy("Record time"),
    "add_part": gettext_lazy("Record a part"),
    "tick": gettext_lazy("Tick the checklist"),
}

#: rule keys of the target hours per urgency
TARGET_RULES = {
    Urgency.EMERGENCY: "repairs.target_hours.emergency",
    Urgency.HIGH: "repairs.target_hours.high",
    Urgency.NORMAL: "repairs.target_hours.normal",
    Urgency.LOW: "repairs.target_hours.low",
}


# --- who may do what ------------------------------------------------------------------------------


def is_manager(user, ticket):
    """The logistics head or staff (or principal) of the ticket's school: assigns, rejects, escalations."""
    return permissions.has_perm(user, "repairs.assign_ticket", ticket.school_id)


def is_assignee(user, ticket):
    """Whether ``user`` is among the ticket's workers (uses prefetched assignees when there are)."""
    if "assignees" in getattr(ticket, "_prefetched_objects_cache", {}):
        return any(u.pk == user.pk for u in ticket.assignees.all())
    return ticket.assignees.filter(pk=user.pk).exists()


def worker_trades(user, school_id):
    return [
        trade
        for membership in Membership.objects.filter(
            user=user, school_id=school_id, role=Role.REPAIR_WORKER, active=True
        )
        for trade in membership.trade_list
    ]


def may(user, step, ticket):
    """Whether ``user`` may take ``step`` on ``ticket`` (its status aside)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if step in ("assign", "reject", "urgency"):
        return is_manager(user, ticket)
    if step in ("confirm", "reopen"):
        return ticket.requester_id == user.pk
    if step == "cancel":
        return ticket.requester_id == user.pk or is_manager(user, ticket)
    if step in ("start", "hold", "complete", "log_work", "add_part", "tick"):
        if is_assignee(user, ticket) or is_manager(user, ticket):
            return True
        # a worker of the trade takes a ticket from the unassigned queue by starting it
        return (
            step == "start" and ticket.status == S.SUBMITTED and ticket.trade in worker_trades(user, ticket.school_id)
        )
    return False


def allowed_steps(user, ticket):
    """The steps ``user`` may take now (for the buttons on the ticket page)."""
    return [
        step for step, (sources, _target) in WORKFLOW.items() if ticket.status in sources and may(user, step, ticket)
    ]


def _check(ticket, step, user):
    """403 (PermissionDenied) or 409 (StepNotAllowed), each naming the current status; else the target."""
    label = STEP_LABELS[step]
    status = ticket.get_status_display()
    if not may(user, step, ticket):
        raise PermissionDenied(
            _("You may not “%(step)s” this ticket; its status is “%(status)s”.") % {"step": label, "status": status}
        )
    sources, target = WORKFLOW[step]
    if ticket.status not in sources:
        raise StepNotAllowed(
            _("“%(step)s” is not possible while the status is “%(status)s”.") % {"step": label, "status": status},
            status=ticket.status,
        )
    return target


def _locked(ticket):
    return Ticket.objects.select_for_update().select_related("room", "school").get(pk=ticket.pk)


def _sync(target, source):
    """Copy the locked, changed row back onto the caller's object."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


# --- people ---------------------------------------------------------------------------------------


def managers_of(school_id, roles=(Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF)):
    """The logistics head (and staff) of a school: they see the queue and get escalations."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(memberships__school_id=school_id, memberships__role__in=roles, memberships__active=True)
        .distinct()
    )


def heads_of(school_id):
    return managers_of(school_id, roles=(Role.LOGISTICS_HEAD,))


def _notify(ticket, recipients, title, body="", key="", level="info"):
    return notify(recipients, title, body or ticket.description[:200], obj=ticket, key=key, level=level)


def _title(ticket, what):
    return f"{ticket.reference} {what}"


# --- rules ----------------------------------------------------------------------------------------


def target_for(school, urgency, start):
    """The target time: ``start`` + the hours of the urgency (rules ``repairs.target_hours.*``)."""
    hours = rules.value(school, TARGET_RULES[urgency])
    return start + datetime.timedelta(hours=float(hours))


def on_duty(school, trade, when=None):
    """The worker on duty for ``trade`` now by the rota (a slot for today's weekday first, then every day)."""
    if not rules.value(school, "repairs.auto_assign"):
        return None
    weekday = timezone.localtime(when or timezone.now()).weekday()
    slots = DutySlot.objects.filter(school=school, trade=trade).select_related("worker")
    for slot in sorted(slots, key=lambda s: (s.weekday is None, s.pk)):
        if slot.weekday in (None, weekday) and slot.worker.is_active:
            return slot.worker
    return None


# --- steps ----------------------------------------------------------------------------------------


def attach_photos(ticket, photos, user, kind):
    """Store up to five photos on the ticket (validated by content, not name)."""
    photos = [p for p in (photos or []) if p]
    existing = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket), object_id=ticket.pk
    ).count()
    if len(photos) + existing > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos per ticket.") % {"n": MAX_PHOTOS}})
    ct = ContentType.objects.get_for_model(Ticket)
    for photo in photos:
        validate_image(photo)
        Attachment.objects.create(
            school_id=ticket.school_id, content_type=ct, object_id=ticket.pk, file=photo, kind=kind
        )


def create_ticket(*, school, user, room, trade, description, urgency=Urgency.NORMAL, photos=(), asset=None):
    """File a ticket (报修) for a room of ``school``; it goes to the worker on duty when the rota says so.

    Rule: anyone on staff may file (DOMAIN.md § Repairs); the target time follows the urgency.
    """
    if not permissions.has_perm(user, "repairs.add_ticket", school):
        raise PermissionDenied(_("You may not file repair tickets in this school."))
    if room.school_id != school.pk:
        raise ValidationError({"room": _("This belongs to another school.")})
    with transaction.atomic():
        now = timezone.now()
        ticket = Ticket(
            school=school,
            room=room,
            building_id=room.building_id,
            trade=trade,
            urgency=urgency,
            description=description,
            requester=user,
            submitted_at=now,
            target_at=target_for(school, urgency, now),
        )
        if asset is not None:
            if asset.school_id != school.pk:
                raise ValidationError({"asset": _("This belongs to another school.")})
            ticket.asset = asset
        ticket.save()
        attach_photos(ticket, photos, user, "before")
        record_event(ticket, "ticket.submitted", _("Ticket filed"), {"trade": trade, "urgency": urgency})
        worker = on_duty(school, trade, now)
        if worker is not None:
            ticket.assignees.add(worker)
            ticket.status, ticket.assigned_at = S.ASSIGNED, now
            ticket.save(update_fields=["status", "assigned_at", "updated", "updated_by"])
            record_event(ticket, "ticket.assigned", _("Assigned to %(names)s by the rota") % {"names": worker})
            _notify(ticket, [worker], _title(ticket, _("New job for you")))
        _notify(ticket, managers_of(school.pk), _title(ticket, _("New repair ticket")))
        _notify(ticket, [user], _title(ticket, _("Your ticket was received")))
    return ticket


def assign(ticket, user, assignees, urgency=None):
    """Assign one or more repair workers of the school (the logistics head's step); optionally change the urgency."""
    _check(ticket, "assign", user)
    assignees = list(assignees)
    if not assignees:
        raise ValidationError({"assignees": _("Choose at least one repair worker.")})
    workers = set(
        Membership.objects.filter(
            school_id=ticket.school_id, role=Role.REPAIR_WORKER, active=True, user__in=assignees
        ).values_list("user_id", flat=True)
    )
    strangers = [u for u in assignees if u.pk not in workers]
    if strangers:
        raise ValidationError(
            {
                "assignees": _("Not a repair worker of this school: %(names)s")
                % {"names": ", ".join(map(str, strangers))}
            }
        )
    with transaction.atomic():
        locked = _locked(ticket)
        _check(locked, "assign", user)
        before = set(locked.assignees.values_list("pk", flat=True))
        locked.assignees.set(assignees)
        if locked.status == S.SUBMITTED:
            locked.status = S.ASSIGNED
        locked.assigned_at = locked.assigned_at or timezone.now()
        if urgency and urgency != locked.urgency:
            locked.urgency = urgency
            locked.target_at = target_for(locked.school, urgency, locked.submitted_at)
        locked.save()
        names = ", ".join(str(u) for u in assignees)
        record_event(
            locked,
            "ticket.assigned",
            _("Assigned to %(names)s") % {"names": names},
            {"assignees": [u.pk for u in assignees]},
        )
        new = [u for u in assignees if u.pk not in before]
        _notify(locked, new, _title(locked, _("New job for you")))
        _notify(
            locked, [locked.requester], _title(locked, _("Your ticket was assigned to %(names)s") % {"names": names})
        )
    return _sync(ticket, locked)


def change_urgency(ticket, user, urgency):
    """Change the urgency (the head's step); the target time follows."""
    with transaction.atomic():
        locked = _locked(ticket)
        _check(locked, "urgency", user)
        old = locked.get_urgency_display()
        locked.urgency = urgency
        locked.target_at = target_for(locked.school, urgency, locked.submitted_at)
        locked.escalated_at = None if locked.target_at > timezone.now() else locked.escalated_at
        locked.save()
        text = _("Urgency changed from %(old)s to %(new)s") % {"old": old, "new": locked.get_urgency_display()}
        record_event(locked, "ticket.urgency", text)
        _notify(locked, [locked.requester, *locked.assignees.all()], _title(locked, text))
    return _sync(ticket, locked)


def start(ticket, user):
    """A worker starts the job (taking it from the queue of their trade if it was unassigned)."""
    with transaction.atomic():
        locked = _locked(ticket)
        target = _check(locked, "start", user)
        now = timezone.now()
        if not locked.assignees.exists() or (locked.status == S.SUBMITTED and not is_manager(user, locked)):
            locked.assignees.add(user)
            locked.assigned_at = locked.assigned_at or now
        locked.status = target
        locked.started_at = locked.started_at or now
        locked.status_reason = ""
        locked.save()
        record_event(locked, "ticket.started", _("Work started"))
        _notify(locked, [locked.requester], _title(locked, _("Work on your ticket has started")))
    return _sync(ticket, locked)


def hold(ticket, user, reason):
    """Put the job on hold (e.g. waiting for parts), with a reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        locked = _locked(ticket)
        locked.status = _check(locked, "hold", user)
        locked.status_reason = reason.strip()[:300]
        locked.save()
        record_event(locked, "ticket.on_hold", _("On hold: %(reason)s") % {"reason": locked.status_reason})
        _notify(
            locked,
            [locked.requester, *heads_of(locked.school_id)],
            _title(locked, _("On hold: %(reason)s") % {"reason": locked.status_reason}),
        )
    return _sync(ticket, locked)


def _refresh_totals(ticket):
    minutes = ticket.work_logs.aggregate(n=Sum("minutes"))["n"] or 0
    cost = ticket.parts.aggregate(n=Sum("cost"))["n"] or Decimal("0")
    ticket.labour_minutes, ticket.parts_cost = minutes, cost
    ticket.save(update_fields=["labour_minutes", "parts_cost", "updated", "updated_by"])


def log_work(ticket, user, minutes, note="", work_date=None, worker=None):
    """Record time spent (工时) by a worker on the ticket."""
    if not minutes or int(minutes) <= 0:
        raise ValidationError({"minutes": _("Enter the minutes spent.")})
    with transaction.atomic():
        locked = _locked(ticket)
        _check(locked, "log_work", user)
        entry = WorkLog.objects.create(
            school_id=locked.school_id,
            ticket=locked,
            worker=worker or user,
            minutes=int(minutes),
            note=note or "",
            work_date=work_date or timezone.localdate(),
        )
        _refresh_totals(locked)
        record_event(locked, "ticket.work_logged", _("%(minutes)s minutes recorded") % {"minutes": entry.minutes})
    _sync(ticket, locked)
    return entry


def add_part(ticket, user, name, quantity=1, unit="", unit_cost=0, consumable=None):
    """Record a part or material used: free text, or a consumable of the school (its stock goes down)."""
    quantity = Decimal(str(quantity))
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    with transaction.atomic():
        locked = _locked(ticket)
        _check(locked, "add_part", user)
        part = PartUsage(
            school_id=locked.school_id,
            ticket=locked,
            name=(name or (str(consumable) if consumable is not None else "")).strip(),
            quantity=quantity,
            unit=unit or "",
            unit_cost=Decimal(str(unit_cost or 0)),
        )
        if consumable is not None:
            _use_consumable(part, consumable, user, locked)
        if not part.name:
            raise ValidationError({"name": _("Name the part or choose a consumable.")})
        part.save()
        _refresh_totals(locked)
        record_event(
            locked,
            "ticket.part_used",
            _("Part used: %(part)s %(unit)s") % {"part": part, "unit": part.unit},
        )
    _sync(ticket, locked)
    return part


def _use_consumable(part, consumable, user, ticket):
    """Take a consumable from the school's stock (assets' ``consume_stock``; short stock → ValidationError)."""
    if consumable.school_id != ticket.school_id:
        raise ValidationError({"consumable": _("This belongs to another school.")})
    from assets import services as asset_services

    part.consumable = consumable
    if not part.unit:
        part.unit = consumable.unit or ""
    if not part.unit_cost:
        part.unit_cost = consumable.unit_price or Decimal("0")
    asset_services.consume_stock(
        consumable=consumable,
        quantity=part.quantity,
        user=user,
        reason=_("Repair %(ref)s") % {"ref": ticket.reference},
        source=ticket,
    )


def tick(ticket, user, index, done=True, note=""):
    """Tick (or untick) an item of a preventive ticket's checklist."""
    with transaction.atomic():
        locked = _locked(ticket)
        _check(locked, "tick", user)
        items = list(locked.checklist or [])
        if not 0 <= int(index) < len(items):
            raise ValidationError({"index": _("No such checklist item.")})
        item = dict(items[int(index)])
        item.update({"done": bool(done), "by": str(user), "note": note or item.get("note", "")})
        items[int(index)] = item
        locked.checklist = items
        locked.save()
        record_event(
            locked,
            "ticket.checklist",
            (_("Checked: %(item)s") if done else _("Unchecked: %(item)s")) % {"item": item.get("text", "")},
        )
    return _sync(ticket, locked)


def complete(
    ticket,
    user,
    cause,
    resolution="",
    photo=None,
    minutes=None,
    damage_amount=None,
    damage_responsible="",
    responsible_class=None,
):
    """The worker completes the job with its cause; human damage opens a damage-compensation record
    (seed: "人为损坏必须赔偿", DOMAIN.md § Repairs). The requester is asked to confirm."""
    if cause not in Cause.values:
        raise ValidationError({"cause": _("Choose the cause.")})
    if cause == Cause.HUMAN_DAMAGE and damage_amount is not None and Decimal(str(damage_amount)) < 0:
        raise ValidationError({"damage_amount": _("Enter an amount of zero or more.")})
    with transaction.atomic():
        locked = _locked(ticket)
        target = _check(locked, "complete", user)
        if locked.kind == TicketKind.PREVENTIVE and any(not i.get("done") for i in locked.checklist or []):
            raise ValidationError({"checklist": _("Tick every checklist item first.")})
        if minutes:
            WorkLog.objects.create(
                school_id=locked.school_id, ticket=locked, worker=user, minutes=int(minutes), note=resolution[:300]
            )
            _refresh_totals(locked)
        locked.status = target
        locked.cause = cause
        locked.resolution = resolution or ""
        locked.done_at = timezone.now()
        locked.status_reason = ""
        if cause == Cause.HUMAN_DAMAGE:
            locked.damage_amount = Decimal(str(damage_amount)) if damage_amount not in (None, "") else None
            locked.damage_responsible = (damage_responsible or (str(responsible_class) if responsible_class else ""))[
                :100
            ]
        locked.save()
        if photo:
            attach_photos(locked, [photo], user, "after")
        record_event(
            locked,
            "ticket.done",
            _("Completed (cause: %(cause)s)") % {"cause": locked.get_cause_display()},
        )
        if cause == Cause.HUMAN_DAMAGE:
            open_damage(locked, user, responsible_class=responsible_class)
        days = rules.value(locked.school, "repairs.auto_confirm_days")
        _notify(
            locked,
            [locked.requester],
            _title(locked, _("Repaired — please confirm (confirms itself after %(days)s days)") % {"days": days}),
        )
    return _sync(ticket, locked)


def open_damage(ticket, user, responsible_class=None):
    """Human damage → a damage-compensation record in assets (损坏赔偿, seed: "人为损坏必须赔偿"),
    with the ticket as its source; the ticket keeps the link, the amount and who is responsible."""
    from assets import services as asset_services

    record = asset_services.open_damage_record(
        school=ticket.school,
        user=user,
        amount=ticket.damage_amount or Decimal("0"),
        description=_("Repair %(ref)s: %(text)s") % {"ref": ticket.reference, "text": ticket.description[:200]},
        asset=ticket.asset,
        room=ticket.room,
        responsible_class=responsible_class,
        responsible_person=ticket.damage_responsible if responsible_class is None else "",
        source=ticket,
    )
    ticket.damage_record = record
    ticket.save(update_fields=["damage_record", "updated", "updated_by"])
    record_event(ticket, "ticket.damage", _("Damage-compensation record opened: %(record)s") % {"record": record})
    return record


def confirm(ticket, user=None, rating=None, comment="", auto=False):
    """The requester confirms the fix (optionally rating it 1–5); ``auto`` is the scan's confirmation
    after ``repairs.auto_confirm_days`` without an answer."""
    if rating not in (None, "") and not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    with transaction.atomic():
        locked = _locked(ticket)
        if auto:
            if locked.status != S.DONE:
                return _sync(ticket, locked)
            target = S.CONFIRMED
        else:
            target = _check(locked, "confirm", user)
        locked.status = target
        locked.confirmed_at = timezone.now()
        locked.auto_confirmed = auto
        if rating not in (None, ""):
            locked.rating = int(rating)
        locked.rating_comment = (comment or "")[:300]
        locked.save()
        message = _("Confirmed automatically (no answer in time)") if auto else _("Confirmed by the requester")
        record_event(locked, "ticket.confirmed", message, {"rating": locked.rating})
        _notify(locked, list(locked.assignees.all()), _title(locked, message))
    return _sync(ticket, locked)


def reopen(ticket, user, reason):
    """The requester reopens a completed ticket (not fixed), with a reason; it goes back to the workers."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        locked = _locked(ticket)
        locked.status = _check(locked, "reopen", user)
        if not locked.assignees.exists():
            locked.status = S.SUBMITTED
        locked.reopen_count += 1  # the row is locked
        locked.status_reason = reason.strip()[:300]
        locked.done_at = None
        locked.save()
        record_event(locked, "ticket.reopened", _("Reopened: %(reason)s") % {"reason": locked.status_reason})
        _notify(
            locked,
            [*locked.assignees.all(), *heads_of(locked.school_id)],
            _title(locked, _("Reopened: %(reason)s") % {"reason": locked.status_reason}),
            level="warning",
        )
    return _sync(ticket, locked)


def _close(ticket, user, step, reason, event, message):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        locked = _locked(ticket)
        locked.status = _check(locked, step, user)
        locked.status_reason = reason.strip()[:300]
        locked.save()
        text = message % {"reason": locked.status_reason}
        record_event(locked, event, text)
        _notify(locked, [locked.requester, *locked.assignees.all()], _title(locked, text))
    return _sync(ticket, locked)


def reject(ticket, user, reason):
    """The head rejects a ticket (not a repair, a duplicate…), with a reason the requester sees."""
    return _close(ticket, user, "reject", reason, "ticket.rejected", _("Rejected: %(reason)s"))


def cancel(ticket, user, reason):
    """The requester (or the head) withdraws a ticket before work starts, with a reason."""
    return _close(ticket, user, "cancel", reason, "ticket.cancelled", _("Cancelled: %(reason)s"))


# --- scans (reminder providers call these; each is idempotent) ------------------------------------


def escalate_overdue(now=None):
    """Flag open tickets past their target time and tell the logistics head — once per ticket
    (``escalated_at`` is set in the same transaction; rule: targets per urgency, DOMAIN.md)."""
    now = now or timezone.now()
    count = 0
    due = Ticket.objects.filter(status__in=OPEN_STATUSES, target_at__lt=now, escalated_at__isnull=True).order_by("pk")
    for ticket_id in list(due.values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update()
                .filter(pk=ticket_id, escalated_at__isnull=True, status__in=OPEN_STATUSES)
                .first()
            )
            if ticket is None:
                continue
            ticket.escalated_at = now
            ticket.save(update_fields=["escalated_at", "updated"])
            record_event(ticket, "ticket.escalated", _("Past its target time; escalated to the logistics head"))
            what = _("Preventive maintenance missed") if ticket.kind == TicketKind.PREVENTIVE else _("Overdue")
            _notify(
                ticket,
                heads_of(ticket.school_id),
                _title(ticket, f"{what} ({ticket.get_urgency_display()}, {ticket.get_status_display()})"),
                key=f"repairs:escalated:{ticket.pk}",
                level="danger",
            )
            count += 1
    return count


def auto_confirm_due(now=None):
    """Confirm done tickets whose requester did not answer within ``repairs.auto_confirm_days``."""
    from logistics.tenancy.models import School

    now = now or timezone.now()
    count = 0
    school_ids = Ticket.objects.filter(status=S.DONE).values_list("school_id", flat=True).distinct()
    for school in School.objects.filter(pk__in=list(school_ids)):
        days = rules.value(school, "repairs.auto_confirm_days")
        limit = now - datetime.timedelta(days=float(days))
        for ticket in Ticket.objects.filter(school=school, status=S.DONE, done_at__lte=limit).order_by("pk")[:1000]:
            confirm(ticket, auto=True)
            count += 1
    return count


def open_preventive(plan, due_date):
    """Open the preventive ticket of ``plan`` for ``due_date`` — at most once (unique constraint);
    returns (ticket, created)."""
    existing = Ticket.objects.filter(plan=plan, due_date=due_date).first()
    if existing is not None:
        return existing, False
    end_of_day = timezone.make_aware(datetime.datetime.combine(due_date, datetime.time(23, 59)))
    requester = plan.created_by or next(iter(heads_of(plan.school_id)), None)
    if requester is None:
        return None, False
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                school_id=plan.school_id,
                kind=TicketKind.PREVENTIVE,
                plan=plan,
                due_date=due_date,
                room=plan.room,
                building_id=plan.room.building_id,
                trade=plan.trade,
                urgency=plan.urgency,
                description=f"{plan.name}" + (f" · {plan.equipment}" if plan.equipment else ""),
                requester=requester,
                submitted_at=timezone.now(),
                target_at=end_of_day,
                checklist=[{"text": item, "done": False} for item in plan.checklist_items()],
            )
    except IntegrityError:  # a concurrent scan opened it first
        return Ticket.objects.get(plan=plan, due_date=due_date), False
    workers = list(plan.assignees.all())
    if workers:
        ticket.assignees.set(workers)
        ticket.status, ticket.assigned_at = S.ASSIGNED, ticket.submitted_at
        ticket.save(update_fields=["status", "assigned_at", "updated", "updated_by"])
    record_event(
        ticket,
        "ticket.preventive",
        _("Opened by maintenance plan “%(plan)s” for %(date)s") % {"plan": plan.name, "date": due_date.isoformat()},
    )
    _notify(
        ticket,
        workers or managers_of(plan.school_id),
        _title(ticket, _("Preventive maintenance due %(date)s") % {"date": due_date.isoformat()}),
    )
    return ticket, True


def open_due_plans(now=None):
    """Open a ticket for every plan occurrence whose lead time has begun, then move the plan on.

    Picks up everything due and not yet opened (a skipped scan loses nothing); running it twice opens
    nothing new (CONVENTIONS.md: periodic tasks are idempotent).
    """
    today = timezone.localdate(now or timezone.now())
    opened = 0
    plans = MaintenancePlan.objects.filter(active=True).select_related("room")
    for plan in plans.order_by("pk"):
        if plan.opens_on() > today:
            continue
        with transaction.atomic():
            plan = MaintenancePlan.objects.select_for_update().select_related("room").get(pk=plan.pk)
            for _i in range(24):  # at most two years of missed occurrences per scan
                if plan.opens_on() > today:
                    break
                _ticket, created = open_preventive(plan, plan.next_due)
                opened += int(created)
                plan.next_due = plan.following(plan.next_due)
            plan.save(update_fields=["next_due", "updated", "updated_by"])
    return opened
