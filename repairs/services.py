"""Services of the repairs app: filing tickets, the rules behind target times and the rota, preventive
plans and the periodic scans; and the ticket's steps, each a thin call of the workflow guard (the steps
are declared on ``Ticket``; what each does is in ``repairs.steps``).
Sources of the rules: DOMAIN.md § Repairs and the seeds' summaries ("有报即修").
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions
from logistics.attachments.models import Attachment
from logistics.attachments.validators import validate_image
from logistics.audit.context import change_context
from logistics.audit.context import current as change_current
from logistics.audit.recorder import record_event
from logistics.tenancy import rules
from logistics.workflow import StepNotAllowed, is_read_only
from logistics.workflow.guard import run, system_actor
from logistics.workflow.steps import read_only_label

from .choices import OPEN_STATUSES, TicketKind, TicketStatus, Urgency
from .models import DutySlot, MaintenancePlan, Ticket
from .people import heads_of, is_manager, managers_of, notify_ticket, title, worker_trades  # noqa: F401

S = TicketStatus
MAX_PHOTOS = 5

#: rule keys of the target hours per urgency
TARGET_RULES = {
    Urgency.EMERGENCY: "repairs.target_hours.emergency",
    Urgency.HIGH: "repairs.target_hours.high",
    Urgency.NORMAL: "repairs.target_hours.normal",
    Urgency.LOW: "repairs.target_hours.low",
}

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
            if is_read_only(asset):  # disposed / written off: off the ledger, not repaired any more
                raise ValidationError(
                    {
                        "asset": _("“%(asset)s” is “%(status)s”: it is no longer repaired.")
                        % {"asset": asset, "status": read_only_label(asset)}
                    }
                )
            ticket.asset = asset
        ticket.save()
        attach_photos(ticket, photos, user, "before")
        record_event(ticket, "ticket.submitted", _("Ticket filed"), {"trade": trade, "urgency": urgency})
        worker = on_duty(school, trade, now)
        if worker is not None:
            # the rota assigns, not the teacher who filed: recorded as the system actor's (same request)
            ctx = change_current()
            with change_context(user=system_actor(), request_id=getattr(ctx, "request_id", None)):
                ticket.assignees.add(worker)
                ticket.status, ticket.assigned_at = S.ASSIGNED, now
                ticket.save(update_fields=["status", "assigned_at", "updated", "updated_by"])
                record_event(ticket, "ticket.assigned", _("Assigned to %(names)s by the rota") % {"names": worker})
            notify_ticket(ticket, [worker], title(ticket, _("New job for you")))
        notify_ticket(ticket, managers_of(school.pk), title(ticket, _("New repair ticket")))
        notify_ticket(ticket, [user], title(ticket, _("Your ticket was received")))
    return ticket


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


# --- steps: each goes through the workflow guard (Ticket declares them; repairs.steps does the work) ---


def assign(ticket, user, assignees, urgency=None):
    """Assign repair workers (see ``repairs.steps.assign``)."""
    return run(ticket, "assign", user, assignees=assignees, urgency=urgency)


def change_urgency(ticket, user, urgency):
    return run(ticket, "change_urgency", user, urgency=urgency)


def start(ticket, user):
    return run(ticket, "start", user)


def hold(ticket, user, reason):
    return run(ticket, "hold", user, reason=reason)


def log_work(ticket, user, minutes, note="", work_date=None, worker=None):
    return run(ticket, "log_work", user, minutes=minutes, note=note, work_date=work_date, worker=worker)


def add_part(ticket, user, name, quantity=None, unit="", unit_cost=0, consumable=None, price_confirmed=False):
    return run(
        ticket,
        "add_part",
        user,
        name=name,
        quantity=quantity,
        unit=unit,
        unit_cost=unit_cost,
        consumable=consumable,
        price_confirmed=price_confirmed,
    )


def reverse_part(ticket, user, part, reason):
    """Reverse a part recorded by mistake (see ``repairs.steps.reverse_part``)."""
    return run(ticket, "reverse_part", user, part=part, reason=reason)


def tick(ticket, user, index, done=True, note=""):
    return run(ticket, "tick", user, index=index, done=done, note=note)


def complete(ticket, user, cause, **data):
    return run(ticket, "complete", user, cause=cause, **data)


def confirm(ticket, user, rating=None, comment=""):
    return run(ticket, "confirm", user, rating=rating, comment=comment)


def reopen(ticket, user, reason):
    return run(ticket, "reopen", user, reason=reason)


def reject(ticket, user, reason):
    return run(ticket, "reject", user, reason=reason)


def cancel(ticket, user, reason):
    return run(ticket, "cancel", user, reason=reason)


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
            notify_ticket(
                ticket,
                heads_of(ticket.school_id),
                title(ticket, f"{what} ({ticket.get_urgency_display()}, {ticket.get_status_display()})"),
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
            try:
                run(ticket, "confirm", system_actor())
            except StepNotAllowed:  # answered meanwhile
                continue
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
    notify_ticket(
        ticket,
        workers or managers_of(plan.school_id),
        title(ticket, _("Preventive maintenance due %(date)s") % {"date": due_date.isoformat()}),
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
