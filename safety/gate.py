"""Gate register services: check a visitor in (the host told; during lessons the host approves first),
check out, reveal a whole ID number (the logistics head only, recorded), purge old entries.

Rules: no visitors during lessons without approval (DOMAIN.md § Safety; lesson hours per school,
rules ``safety.lessons.*``); personal data kept ``safety.gate_retention_days`` (default 180) days."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions
from logistics.audit.context import change_context
from logistics.audit.recorder import record_event
from logistics.notifications.services import notify
from logistics.people import phones
from logistics.tenancy import rules
from logistics.workflow.guard import StepResult

from . import settings_rules as keys
from .choices import VisitStatus
from .models import VehicleEntry, Visitor


def _hhmm(value):
    value = int(value)
    return datetime.time(min(23, value // 100), min(59, value % 100))


def in_lesson_time(school, moment=None):
    """Whether ``moment`` (local) falls in the school's lesson hours on a school day (Mon–Fri)."""
    moment = timezone.localtime(moment or timezone.now())
    if moment.isoweekday() > 5:
        return False
    ms, me, as_, ae = (_hhmm(rules.value(school, key)) for key in keys.LESSON_HOURS)
    now = moment.time()
    return ms <= now < me or as_ <= now < ae


def check_in(*, school, guard, name, reason, id_number="", phone="", organisation="", host=None, now=None):
    """Register a visitor at the gate. The host is told; during lessons the visit waits for the host's
    approval (and needs a host). Returns the visitor."""
    if not permissions.has_perm(guard, "safety.add_visitor", school):
        raise PermissionDenied(_("You may not register visitors in this school."))
    now = now or timezone.now()
    lessons = in_lesson_time(school, now)
    if lessons and host is None:
        raise ValidationError({"host": _("During lessons a visit needs a host who approves it.")})
    if host is not None and not host.memberships.filter(school=school, active=True).exists():
        raise ValidationError({"host": _("This person is not a member of this school.")})
    phone = (phone or "").strip()
    if phone:  # "12345" was kept as a visitor's phone: a number the host could not call back
        try:
            phone = phones.username_for(phones.parse(phone))  # 13800138000 for a mainland number
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    with transaction.atomic():
        visitor = Visitor(
            school=school,
            name=name.strip(),
            id_number=id_number,
            phone=phone,
            organisation=(organisation or "").strip(),
            reason=reason.strip(),
            host=host,
            in_lesson_time=lessons,
            status=VisitStatus.WAITING if lessons else VisitStatus.INSIDE,
            checked_in_at=now,
        )
        visitor.full_clean(exclude=["school", "host"])
        visitor.save()
        if host is not None:
            what = (
                _("A visitor is waiting at the gate for your approval")
                if lessons
                else _("A visitor is coming to see you")
            )
            notify(
                [host],
                f"{what}: {visitor.name}",
                f"{visitor.organisation} · {visitor.reason}".strip(" ·"),
                obj=visitor,
                key=f"safety:visitor:{visitor.pk}:host",
                level="warning" if lessons else "info",
            )
    return visitor


def approve(visitor, actor):
    visitor.approved_by = actor
    return StepResult(_("Approved by %(person)s") % {"person": actor})


def refuse(visitor, actor, reason):
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give a reason.")})
    visitor.checked_out_at = timezone.now()
    return StepResult(_("Refused: %(reason)s") % {"reason": text[:200]})


def check_out(visitor, actor):
    visitor.checked_out_at = timezone.now()
    return StepResult(_("Left at %(time)s") % {"time": f"{timezone.localtime(visitor.checked_out_at):%H:%M}"})


def may_reveal(user, visitor):
    return permissions.has_perm(user, "safety.reveal_visitor", visitor.school_id)


def reveal_id_number(visitor, actor):
    """The whole ID number — for the logistics head only; every look is recorded on the visitor."""
    if not may_reveal(actor, visitor):
        raise PermissionDenied(_("You may not see ID numbers."))
    with change_context(user=actor):
        record_event(visitor, "visitor.id_number_revealed", _("ID number shown"), {})
    return visitor.id_number


def check_out_vehicle(entry, actor):
    if entry.out_at is not None:
        raise ValidationError(_("This vehicle has already left."))
    entry.out_at = timezone.now()
    entry.save()
    return entry


#: rows purged per school and kind in one run (the rest the next day): a first run over years of entries
#: stays short
PURGE_BATCH = 5000


def purge_old(now=None):
    """Remove the personal data (name, ID number, phone, driver) of gate entries older than the
    retention period, keeping each row (and so the counts). Idempotent. Returns the rows purged.

    School by school, each with its own retention: the oldest entries across schools are not what is
    due (a school keeping a year would hold back one keeping 180 days)."""
    from logistics.tenancy.models import School

    now = now or timezone.now()
    purged = 0
    for model, fields, time_field in (
        (Visitor, {"name": "", "id_number": "", "phone": ""}, "checked_in_at"),
        (VehicleEntry, {"driver": "", "plate": "—"}, "in_at"),
    ):
        pending = model.objects.filter(purged_at__isnull=True).values("school_id")
        for school in School.objects.filter(pk__in=pending).order_by("pk"):
            cutoff = now - datetime.timedelta(days=rules.value(school, keys.GATE_RETENTION_DAYS))
            due = model.objects.filter(school=school, purged_at__isnull=True, **{f"{time_field}__lt": cutoff})
            for row in due.order_by(time_field, "pk")[:PURGE_BATCH]:
                for name, value in fields.items():
                    setattr(row, name, value)
                row.purged_at = now
                row.save()  # a change record per row (the history keeps no personal data: audit_exclude)
                purged += 1
    return purged
