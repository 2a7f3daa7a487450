"""Staff of a school (教职工) and their roles: add a person, grant and revoke roles, reset a password,
deactivate. Every step is recorded (who, when) on the person's history in that school.

Rules (issue 8 § Staff and roles): the principal and logistics head manage staff (``people.manage_staff``);
a logistics head does not change the principal's roles or password; nobody deactivates themself;
people are never deleted — deactivated users keep their names on everything they did.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from logistics.accounts import permissions
from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event
from logistics.tenancy.models import Membership

from .. import phones
from ..models import SchoolClass
from . import acting
from .passwords import set_first_password

#: roles a school gives (district officers are given by the district, parents by invitations)
SCHOOL_STAFF_ROLES = [r for r in Role if r not in (Role.DISTRICT_OFFICER, Role.PARENT)]


def check_manager(actor, school, target=None):
    """``actor`` manages staff in ``school``; a logistics head leaves the principal's account alone."""
    if not permissions.has_perm(actor, "people.manage_staff", school):
        raise PermissionDenied(_("You may not manage the staff of this school."))
    if target is not None and target != actor:
        target_roles = {m.role for m in Membership.objects.filter(user=target, school=school)}
        if Role.PRINCIPAL in target_roles and Role.PRINCIPAL not in permissions.roles_in(actor, school):
            raise PermissionDenied(_("Only a principal changes a principal's account."))


def staff_of(school):
    """Users with a staff membership (active or not) in ``school``."""
    User = get_user_model()
    ids = Membership.objects.filter(school=school, role__in=SCHOOL_STAFF_ROLES).values("user_id")
    return User.objects.filter(pk__in=ids)


def member_of(user, school):
    return Membership.objects.filter(user=user, school=school).exists()


def _role_label(role):
    return str(Role(role).label)


@transaction.atomic
def add_person(*, school, actor, display_name, phone, username="", email="", role=None, **role_options):
    """A new staff member with a first password (returned, shown once; changed at the first sign-in)."""
    check_manager(actor, school)
    User = get_user_model()
    number = phones.parse(phone)
    username = (username or "").strip() or phones.username_for(number)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    with acting(actor):
        user = User(username=username, display_name=display_name.strip(), phone=number, email=email or "")
        password = set_first_password(user)
        user.save()
        record_event(
            user,
            "staff.added",
            _("Account created by %(actor)s") % {"actor": actor},
            {"username": username},
            school=school,
        )
        if role:
            grant_role(school=school, actor=actor, user=user, role=role, **role_options)
    return user, password


@transaction.atomic
def grant_role(*, school, actor, user, role, trades="", post="", head_of=(), teaches=()):
    """Give ``user`` ``role`` in ``school`` (again, if it was revoked); a repair worker's trades, a guard's
    post and a teacher's classes (head teacher of ``head_of``, subject teacher of ``teaches``) go with it."""
    check_manager(actor, school, user)
    if role not in SCHOOL_STAFF_ROLES:
        raise ValidationError({"role": _("This role is not given here.")})
    if role == Role.PRINCIPAL and Role.PRINCIPAL not in permissions.roles_in(actor, school):
        raise PermissionDenied(_("Only a principal or the district makes someone principal."))
    if isinstance(trades, (list, tuple)):
        trades = ",".join(trades)
    with acting(actor):
        membership, created = Membership.objects.get_or_create(
            user=user, school=school, role=role, defaults={"trades": trades, "post": post}
        )
        if not created:
            membership.active = True
            membership.trades = trades if role == Role.REPAIR_WORKER else ""
            membership.post = post if role == Role.GUARD else ""
            membership.save()
        if role == Role.TEACHER:
            for school_class in SchoolClass.objects.filter(school=school, pk__in=[c.pk for c in head_of]):
                school_class.head_teacher = user
                school_class.save()
            for school_class in SchoolClass.objects.filter(school=school, pk__in=[c.pk for c in teaches]):
                school_class.teachers.add(user)
        record_event(
            user,
            "staff.role_granted",
            _("Role given: %(role)s") % {"role": _role_label(role)},
            {"role": str(role), "trades": membership.trades, "post": membership.post},
            school=school,
        )
    return membership


@transaction.atomic
def revoke_role(*, school, actor, user, role):
    """Take ``role`` away (the membership stays, inactive: its history stays); a teacher's classes are
    released. Takes effect on the user's next request."""
    check_manager(actor, school, user)
    if user == actor and role in (Role.PRINCIPAL, Role.LOGISTICS_HEAD):
        raise ValidationError({"role": _("You cannot take your own management role away.")})
    membership = Membership.objects.filter(user=user, school=school, role=role, active=True).first()
    if membership is None:
        raise ValidationError({"role": _("This person does not hold that role here.")})
    with acting(actor):
        membership.active = False
        membership.save()
        if role == Role.TEACHER:
            for school_class in SchoolClass.objects.filter(school=school, head_teacher=user):
                school_class.head_teacher = None
                school_class.save()
            for school_class in SchoolClass.objects.filter(school=school, teachers=user):
                school_class.teachers.remove(user)
        record_event(
            user,
            "staff.role_revoked",
            _("Role taken away: %(role)s") % {"role": _role_label(role)},
            {"role": str(role)},
            school=school,
        )
    return membership


@transaction.atomic
def reset_password(*, school, actor, user):
    """A new first password (returned, shown once); the user must change it at the next sign-in.
    Their API token stops working."""
    check_manager(actor, school, user)
    if not member_of(user, school):
        raise PermissionDenied(_("This person is not a member of this school."))
    with acting(actor):
        password = set_first_password(user)
        user.save()
        Token.objects.filter(user=user).delete()
        record_event(user, "staff.password_reset", _("Password reset"), {}, school=school)
    return password


def awaiting_first_password(school):
    """Staff of ``school`` who have never signed in and have no usable password — the accounts a staff
    import made (an import creates accounts without passwords); in name order."""
    return (
        staff_of(school)
        .filter(last_login__isnull=True, password__startswith="!", is_active=True)
        .order_by("display_name", "username")
    )


@transaction.atomic
def issue_first_passwords(*, school, actor):
    """A first password for each person :func:`awaiting_first_password` (to be changed at the first
    sign-in): ``[(user, password), …]``, shown once on the sheet the manager prints. Recorded per person."""
    check_manager(actor, school)
    issued = []
    with acting(actor):
        for user in awaiting_first_password(school).select_for_update():
            check_manager(actor, school, user)
            password = set_first_password(user)
            user.save()
            record_event(user, "staff.first_password", _("First password issued"), {}, school=school)
            issued.append((user, password))
    return issued


@transaction.atomic
def deactivate(*, school, actor, user):
    """End all of the user's roles in ``school``; with no role left anywhere the account is closed
    (cannot sign in or get a token). Nothing is deleted: their records keep their name."""
    check_manager(actor, school, user)
    if user == actor:
        raise ValidationError(_("You cannot deactivate yourself."))
    if not member_of(user, school):
        raise PermissionDenied(_("This person is not a member of this school."))
    with acting(actor):
        for membership in Membership.objects.filter(user=user, school=school, active=True):
            membership.active = False
            membership.save()
        for school_class in SchoolClass.objects.filter(school=school, head_teacher=user):
            school_class.head_teacher = None
            school_class.save()
        if not Membership.objects.filter(user=user, active=True).exists():
            user.is_active = False
            user.save()
            Token.objects.filter(user=user).delete()
        record_event(user, "staff.deactivated", _("Deactivated"), {}, school=school)
    return user
