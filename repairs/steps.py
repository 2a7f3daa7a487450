"""What each declared step of a repair ticket does besides moving its status (``Ticket`` declares the
steps; ``logistics.workflow.guard.run`` locks the row, checks permission and status, calls the function
here, moves the status, saves and writes the timeline event).

Each function receives the locked ticket, the acting user and the validated input, and returns a
:class:`StepResult` with the timeline text. Sources: DOMAIN.md § Repairs, the seeds ("有报即修",
"人为损坏必须赔偿").
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.tenancy import rules
from logistics.tenancy.models import Membership
from logistics.workflow.guard import StepResult

from .choices import Cause, TicketKind, TicketStatus
from .models import PartUsage, WorkLog
from .people import heads_of, is_manager, notify_ticket, title

S = TicketStatus


def assign(ticket, actor, assignees, urgency=None):
    """Assign one or more repair workers of the school (the logistics head's step); optionally change
    the urgency (the target time follows)."""
    from .services import target_for

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
    before = set(ticket.assignees.values_list("pk", flat=True))
    ticket.assignees.set(assignees)
    ticket.assigned_at = ticket.assigned_at or timezone.now()
    if urgency and urgency != ticket.urgency:
        ticket.urgency = urgency
        ticket.target_at = target_for(ticket.school, urgency, ticket.submitted_at)
    names = ", ".join(str(u) for u in assignees)
    new = [u for u in assignees if u.pk not in before]
    notify_ticket(ticket, new, title(ticket, _("New job for you")))
    notify_ticket(
        ticket, [ticket.requester], title(ticket, _("Your ticket was assigned to %(names)s") % {"names": names})
    )
    return StepResult(_("Assigned to %(names)s") % {"names": names}, {"assignees": [u.pk for u in assignees]})


def change_urgency(ticket, actor, urgency):
    """Change the urgency (the head's step); the target time follows, and a new target in the future
    clears the escalation."""
    from .services import target_for

    old = ticket.get_urgency_display()
    ticket.urgency = urgency
    ticket.target_at = target_for(ticket.school, urgency, ticket.submitted_at)
    ticket.escalated_at = None if ticket.target_at > timezone.now() else ticket.escalated_at
    text = _("Urgency changed from %(old)s to %(new)s") % {"old": old, "new": ticket.get_urgency_display()}
    notify_ticket(ticket, [ticket.requester, *ticket.assignees.all()], title(ticket, text))
    return StepResult(text)


def start(ticket, actor):
    """A worker starts the job, taking it from the queue of their trade if it was unassigned."""
    now = timezone.now()
    if not ticket.assignees.exists() or (ticket.status == S.SUBMITTED and not is_manager(actor, ticket)):
        ticket.assignees.add(actor)
        ticket.assigned_at = ticket.assigned_at or now
    ticket.started_at = ticket.started_at or now
    ticket.status_reason = ""
    notify_ticket(ticket, [ticket.requester], title(ticket, _("Work on your ticket has started")))
    return StepResult(_("Work started"))


def _reason(reason):
    text = (reason or "").strip()[:300]
    if not text:
        raise ValidationError({"reason": _("Give a reason.")})
    return text


def hold(ticket, actor, reason):
    """Put the job on hold (e.g. waiting for parts), with a reason the requester and the head see."""
    ticket.status_reason = _reason(reason)
    text = _("On hold: %(reason)s") % {"reason": ticket.status_reason}
    notify_ticket(ticket, [ticket.requester, *heads_of(ticket.school_id)], title(ticket, text))
    return StepResult(text)


def refresh_totals(ticket):
    ticket.labour_minutes = ticket.work_logs.aggregate(n=Sum("minutes"))["n"] or 0
    ticket.parts_cost = ticket.parts.filter(reversed_at__isnull=True).aggregate(n=Sum("cost"))["n"] or Decimal("0")


def log_work(ticket, actor, minutes, note="", work_date=None, worker=None):
    """Record time spent (工时) by a worker on the ticket; returns the entry."""
    if not minutes or int(minutes) <= 0:
        raise ValidationError({"minutes": _("Enter the minutes spent.")})
    entry = WorkLog.objects.create(
        school_id=ticket.school_id,
        ticket=ticket,
        worker=worker or actor,
        minutes=int(minutes),
        note=note or "",
        work_date=work_date or timezone.localdate(),
    )
    refresh_totals(ticket)
    return StepResult(_("%(minutes)s minutes recorded") % {"minutes": entry.minutes}, value=entry)


#: the typo guard on a part's unit cost (rules; refused above the maximum, confirmed above the other)
PART_COST_CONFIRM_ABOVE = "repairs.part_cost_confirm_above"
PART_COST_MAXIMUM = "repairs.part_cost_maximum"


def check_part_cost(school, unit_cost, confirmed=False):
    rules.check_bounds(
        school,
        unit_cost,
        confirmed,
        field="unit_cost",
        confirm_key=PART_COST_CONFIRM_ABOVE,
        maximum_key=PART_COST_MAXIMUM,
        box=_("The unit cost is correct"),
    )


def add_part(ticket, actor, name="", quantity=None, unit="", unit_cost=0, consumable=None, price_confirmed=False):
    """Record a part or material used: free text, or a consumable of the school (its stock goes down). A unit
    cost typed by hand is bounded by the rules ``repairs.part_cost_*`` (``price_confirmed`` above the first)."""
    if quantity in (None, ""):
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    quantity = Decimal(str(quantity))
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    check_part_cost(ticket.school, unit_cost, price_confirmed)
    part = PartUsage(
        school_id=ticket.school_id,
        ticket=ticket,
        name=(name or (str(consumable) if consumable is not None else "")).strip(),
        quantity=quantity,
        unit=unit or "",
        unit_cost=Decimal(str(unit_cost or 0)),
    )
    if consumable is not None:
        _use_consumable(part, consumable, actor, ticket)
    if not part.name:
        raise ValidationError({"name": _("Name the part or choose a consumable.")})
    part.save()
    refresh_totals(ticket)
    return StepResult(_("Part used: %(part)s %(unit)s") % {"part": part, "unit": part.unit}, value=part)


def reverse_part(ticket, actor, part, reason):
    """Reverse a part recorded by mistake: a consumable goes back to the store it came from (assets'
    ``return_stock``, one RETURN movement); the part stays, marked reversed with who, when and why, and no
    longer counts in the ticket's parts cost. Only until the repair is confirmed (the step's statuses)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the part is reversed.")})
    part = PartUsage.objects.select_for_update().filter(pk=getattr(part, "pk", part), ticket=ticket).first()
    if part is None:
        raise ValidationError({"part": _("This part is not on this ticket.")})
    if part.is_reversed:
        raise ValidationError({"part": _("This part was already reversed.")})
    if part.consumable_id is not None:
        from assets import services as asset_services

        asset_services.return_stock(
            consumable=part.consumable,
            quantity=part.quantity,
            user=actor,
            reason=_("Repair %(ref)s, part reversed: %(reason)s") % {"ref": ticket.reference, "reason": reason},
            source=ticket,
        )
    part.reversed_at = timezone.now()
    part.reversed_by = actor if getattr(actor, "pk", None) else None
    part.reversal_reason = reason[:300]
    part.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "updated", "updated_by"])
    refresh_totals(ticket)
    text = _("Part reversed: %(part)s %(unit)s (%(reason)s)") % {"part": part, "unit": part.unit, "reason": reason}
    return StepResult(text, data={"part": part.pk}, value=part)


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


def tick(ticket, actor, index, done=True, note=""):
    """Tick (or untick) an item of a preventive ticket's checklist."""
    items = list(ticket.checklist or [])
    if not 0 <= int(index) < len(items):
        raise ValidationError({"index": _("No such checklist item.")})
    item = dict(items[int(index)])
    item.update({"done": bool(done), "by": str(actor), "note": note or item.get("note", "")})
    items[int(index)] = item
    ticket.checklist = items
    text = (_("Checked: %(item)s") if done else _("Unchecked: %(item)s")) % {"item": item.get("text", "")}
    return StepResult(text)


def complete(
    ticket,
    actor,
    cause,
    resolution="",
    photo=None,
    minutes=None,
    damage_amount=None,
    damage_responsible="",
    responsible_class=None,
    price_confirmed=False,
):
    """The worker completes the job with its cause; human damage opens a damage-compensation record
    (seed: "人为损坏必须赔偿", DOMAIN.md § Repairs), its amount bounded by the rules
    ``assets.damage_amount_*`` (``price_confirmed`` above the first). The requester is asked to confirm."""
    from assets import services as asset_services

    from .services import attach_photos, open_damage

    if cause not in Cause.values:
        raise ValidationError({"cause": _("Choose the cause.")})
    if cause == Cause.HUMAN_DAMAGE and damage_amount not in (None, "") and Decimal(str(damage_amount)) < 0:
        raise ValidationError({"damage_amount": _("Enter an amount of zero or more.")})
    if cause == Cause.HUMAN_DAMAGE:
        asset_services.check_damage_amount(ticket.school, damage_amount, price_confirmed, field="damage_amount")
    if ticket.kind == TicketKind.PREVENTIVE and any(not i.get("done") for i in ticket.checklist or []):
        raise ValidationError({"checklist": _("Tick every checklist item first.")})
    if minutes:
        WorkLog.objects.create(
            school_id=ticket.school_id, ticket=ticket, worker=actor, minutes=int(minutes), note=(resolution or "")[:300]
        )
        refresh_totals(ticket)
    ticket.cause = cause
    ticket.resolution = resolution or ""
    ticket.done_at = timezone.now()
    ticket.status_reason = ""
    if cause == Cause.HUMAN_DAMAGE:
        ticket.damage_amount = Decimal(str(damage_amount)) if damage_amount not in (None, "") else None
        ticket.damage_responsible = (damage_responsible or (str(responsible_class) if responsible_class else ""))[:100]
    if photo:
        attach_photos(ticket, [photo], actor, "after")
    if cause == Cause.HUMAN_DAMAGE:
        ticket.save()
        open_damage(ticket, actor, responsible_class=responsible_class)
    days = rules.value(ticket.school, "repairs.auto_confirm_days")
    notify_ticket(
        ticket,
        [ticket.requester],
        title(ticket, _("Repaired — please confirm (confirms itself after %(days)s days)") % {"days": days}),
    )
    return StepResult(_("Completed (cause: %(cause)s)") % {"cause": ticket.get_cause_display()})


def confirm(ticket, actor, rating=None, comment=""):
    """The requester confirms the fix (optionally rating it 1–5); the system actor confirms a ticket
    whose requester did not answer within ``repairs.auto_confirm_days``."""
    from logistics.workflow.guard import is_system

    if rating not in (None, "") and not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    auto = is_system(actor)
    ticket.confirmed_at = timezone.now()
    ticket.auto_confirmed = auto
    if rating not in (None, ""):
        ticket.rating = int(rating)
    ticket.rating_comment = (comment or "")[:300]
    message = _("Confirmed automatically (no answer in time)") if auto else _("Confirmed by the requester")
    notify_ticket(ticket, list(ticket.assignees.all()), title(ticket, message))
    return StepResult(message, {"rating": ticket.rating})


def reopen(ticket, actor, reason):
    """The requester reopens a completed ticket (not fixed), with a reason; it goes back to the workers
    (or to the queue when nobody was assigned)."""
    ticket.status_reason = _reason(reason)
    ticket.reopen_count += 1  # the row is locked
    ticket.done_at = None
    text = _("Reopened: %(reason)s") % {"reason": ticket.status_reason}
    notify_ticket(ticket, [*ticket.assignees.all(), *heads_of(ticket.school_id)], title(ticket, text), level="warning")
    return StepResult(text)


def _close(ticket, reason, message):
    ticket.status_reason = _reason(reason)
    text = message % {"reason": ticket.status_reason}
    notify_ticket(ticket, [ticket.requester, *ticket.assignees.all()], title(ticket, text))
    return StepResult(text)


def reject(ticket, actor, reason):
    """The head rejects a ticket (not a repair, a duplicate…), with a reason the requester sees."""
    return _close(ticket, reason, _("Rejected: %(reason)s"))


def cancel(ticket, actor, reason):
    """The requester (or the head) withdraws a ticket before work starts, with a reason."""
    return _close(ticket, reason, _("Cancelled: %(reason)s"))
