"""The day's on-duty roster (上岗安排): who works which meal.

Rule (食品安全法 art. 45): a food worker without a valid health certificate may not work, and one with a
condition that hinders food safety (here: sent off duty by the day's morning check, 晨检) is taken off the
work that day. The roster refuses both, naming the reason.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event

from . import health
from .models import DutyAssignment, MorningCheck


def refusal(school, person, day):
    """Why ``person`` may not be on duty on ``day`` (text), or ``""``."""
    if person.pk not in {p.pk for p in health.team_of(school)}:
        return _("%(person)s is not on the canteen's staff of this school.") % {"person": person}
    if person.pk not in health.valid_certificates(school, [person], day):
        return _("%(person)s has no valid health certificate on %(date)s (食品安全法 art. 45).") % {
            "person": person,
            "date": day.strftime("%Y-%m-%d"),
        }
    check = MorningCheck.objects.filter(school=school, person=person, date=day).first()
    if check is not None and not check.on_duty:
        return _("%(person)s is off duty on %(date)s after the morning check: %(reason)s (食品安全法 art. 45).") % {
            "person": person,
            "date": day.strftime("%Y-%m-%d"),
            "reason": check.off_duty_reason,
        }
    return ""


def assign(*, school, person, day, meal, actor, post=""):
    """Put ``person`` on the roster of ``day``'s ``meal``; refused with the reason (see :func:`refusal`)."""
    reason = refusal(school, person, day)
    if reason:
        raise ValidationError({"person": reason})
    duty = DutyAssignment(
        school=school, person=person, date=day, meal=meal, post=(post or "").strip()[:50], created_by=actor
    )
    try:
        duty.validate_constraints()
    except ValidationError as exc:
        raise ValidationError({"person": exc.messages}) from exc
    try:
        with transaction.atomic():
            duty.save()
            record_event(duty, "canteen.duty.assigned", _("On duty: %(duty)s") % {"duty": duty}, {})
    except IntegrityError as exc:
        raise ValidationError({"person": _("This person is already on the roster of that meal.")}) from exc
    return duty


def withdrawal_refusal(duty, today=None):
    """Why ``duty`` may not be withdrawn (text), or ``""``: a past day's roster is the record of who
    worked and stays as it is; a withdrawn entry is not withdrawn twice."""
    today = today or timezone.localdate()
    if duty.withdrawn_at is not None:
        return _("This roster entry was already withdrawn.")
    if duty.date < today:
        return _("The roster of %(date)s is past: it is the record of who worked that day and cannot be withdrawn.") % {
            "date": duty.date.strftime("%Y-%m-%d")
        }
    return ""


def withdraw(duty, *, actor, reason):
    """Withdraw a roster entry made by mistake (today's or a future day's), with ``reason``: it stays on
    record — who, when, why — and is struck through on the roster; the person may be put on again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the roster entry is withdrawn.")})
    with transaction.atomic():
        locked = DutyAssignment.objects.select_for_update().select_related("person").get(pk=duty.pk)
        refused = withdrawal_refusal(locked)
        if refused:
            raise ValidationError({"reason": refused})
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawal_reason = reason[:200]
        locked.updated_by = actor
        locked.save()
        record_event(
            locked,
            "canteen.duty.withdrawn",
            _("Withdrawn from the roster: %(duty)s (%(reason)s)")
            % {"duty": locked, "reason": locked.withdrawal_reason},
            {"reason": locked.withdrawal_reason},
        )
    for field in ("withdrawn_at", "withdrawn_by_id", "withdrawal_reason"):
        setattr(duty, field, getattr(locked, field))
    return locked


def day_roster(school, day):
    """[(assignment, warning)] of ``day`` (entries in force; withdrawn ones: :func:`withdrawn_of`): a
    warning when the person has since lost their certificate or been sent off duty by the morning check."""
    duties = list(
        DutyAssignment.objects.filter(school=school, date=day, withdrawn_at__isnull=True)
        .select_related("person")
        .order_by("meal", "pk")
    )
    people = [d.person for d in duties]
    certs = health.valid_certificates(school, people, day) if people else {}
    checks = {c.person_id: c for c in MorningCheck.objects.filter(school=school, date=day, person__in=people)}
    rows = []
    for duty in duties:
        warning = ""
        if duty.person_id not in certs:
            warning = _("no valid health certificate (食品安全法 art. 45)")
        elif duty.person_id in checks and not checks[duty.person_id].on_duty:
            warning = _("off duty after the morning check: %(reason)s") % {
                "reason": checks[duty.person_id].off_duty_reason
            }
        rows.append((duty, warning))
    return rows


def withdrawn_of(school, day):
    """The withdrawn entries of ``day``'s roster, with who withdrew them (one query)."""
    return list(
        DutyAssignment.objects.filter(school=school, date=day, withdrawn_at__isnull=False)
        .select_related("person", "withdrawn_by")
        .order_by("meal", "pk")
    )
