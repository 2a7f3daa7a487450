"""The day's on-duty roster (上岗安排): who works which meal.

Rule (食品安全法 art. 45): a food worker without a valid health certificate may not work, and one with a
condition that hinders food safety (here: sent off duty by the day's morning check, 晨检) is taken off the
work that day. The roster refuses both, naming the reason.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


def day_roster(school, day):
    """[(assignment, warning)] of ``day``: a warning when the person has since lost their certificate or
    been sent off duty by the morning check."""
    duties = list(
        DutyAssignment.objects.filter(school=school, date=day).select_related("person").order_by("meal", "pk")
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
