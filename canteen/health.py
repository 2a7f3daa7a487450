"""Staff health services: the morning check of a team (晨检) and who may be on duty."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.tenancy import rules
from logistics.tenancy.models import Membership

from .models import HealthCertificate, MorningCheck
from .models.health import SYMPTOMS
from .settings_rules import FEVER_CELSIUS


def team_of(school):
    """The canteen's people (manager and staff) of ``school``, by name."""
    users = {
        m.user_id: m.user
        for m in Membership.objects.filter(
            school=school, role__in=[Role.CANTEEN_STAFF, Role.CANTEEN_MANAGER], active=True
        ).select_related("user")
    }
    return sorted(users.values(), key=lambda u: (str(u), u.pk))


def valid_certificates(school, people, day):
    """{user id: certificate} of a certificate valid on ``day`` (the latest)."""
    found = {}
    for cert in HealthCertificate.objects.filter(
        school=school, person__in=people, issued_on__lte=day, valid_until__gte=day
    ).order_by("valid_until"):
        found[cert.person_id] = cert
    return found


def assess(check):
    """Set ``check``'s ``on_duty`` and ``off_duty_reason`` from its answers: off duty with any yes, a
    temperature ≥ the rule (37.3 °C), or without a valid health certificate on its day (食品安全法 art. 45).
    The same for a new check and for a corrected one (``canteen.corrections``)."""
    school = check.school
    reasons = []
    threshold = Decimal(str(rules.value(school, FEVER_CELSIUS)))
    if check.temperature >= threshold:
        reasons.append(_("temperature %(t)s °C (≥ %(limit)s °C)") % {"t": check.temperature, "limit": threshold})
    reasons += [str(s) for s in check.symptoms]
    if check.person_id not in valid_certificates(school, [check.person_id], check.date):
        reasons.append(_("no valid health certificate (食品安全法 art. 45)"))
    check.on_duty = not reasons
    check.off_duty_reason = "；".join(reasons)[:200]
    return check


def record_check(*, school, person, checked_by, temperature, day=None, note="", **answers):
    """Record ``person``'s morning check of ``day``: off duty with any yes, a temperature ≥ the rule
    (37.3 °C), or without a valid health certificate (食品安全法 art. 45)."""
    day = day or timezone.localdate()
    check = MorningCheck(
        school=school,
        person=person,
        date=day,
        temperature=Decimal(str(temperature)),
        note=note or "",
        checked_by=checked_by,
        created_by=checked_by,
        **{name: bool(answers.get(name)) for name in SYMPTOMS},
    )
    assess(check)
    try:
        check.validate_constraints()
    except ValidationError as exc:
        raise ValidationError(exc.messages) from exc
    with transaction.atomic():
        check.save()
    return check


def expiring(school, today, days):
    return HealthCertificate.objects.filter(
        school=school, valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days)
    )
