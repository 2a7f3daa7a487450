"""The district's schools (教育局): a district officer creates a school with its campuses and its first
principal and logistics head, and gives district roles. Recorded like every change."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event
from logistics.tenancy.models import Campus, District, Membership, School

from .. import phones
from . import acting
from .passwords import set_first_password


def districts_of(user):
    """Districts where ``user`` is an active district officer."""
    if not getattr(user, "is_authenticated", False):
        return District.objects.none()
    return District.objects.filter(
        memberships__user=user, memberships__role=Role.DISTRICT_OFFICER, memberships__active=True
    ).distinct()


def check_officer(actor, district):
    if not districts_of(actor).filter(pk=district.pk).exists():
        raise PermissionDenied(_("You are not an officer of this district."))


def _new_user(display_name, phone, username=""):
    User = get_user_model()
    number = phones.parse(phone)
    username = (username or "").strip() or phones.username_for(number)
    existing = User.objects.filter(username__iexact=username).first()
    if existing is not None:
        return existing, None
    user = User(username=username, display_name=display_name.strip(), phone=number)
    password = set_first_password(user)
    user.save()
    return user, password


@transaction.atomic
def create_school(*, district, actor, name, slug, code, campuses, people):
    """A school with ``campuses`` (names) and ``people`` = [(role, display name, phone, username)], each
    of principal / logistics head. Returns (school, [(user, role, first password or None)])."""
    check_officer(actor, district)
    if School.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This address is taken.")})
    created = []
    with acting(actor):
        school = School.objects.create(district=district, name=name, slug=slug, code=code)
        for campus in campuses or [_("Main campus")]:
            if campus.strip():
                Campus.objects.get_or_create(school=school, name=campus.strip())
        for role, display_name, phone, username in people:
            if role not in (Role.PRINCIPAL, Role.LOGISTICS_HEAD):
                raise ValidationError({"role": _("This role is not given here.")})
            user, password = _new_user(display_name, phone, username)
            Membership.objects.get_or_create(user=user, school=school, role=role)
            record_event(
                user,
                "staff.role_granted",
                _("Role given: %(role)s") % {"role": Role(role).label},
                {"role": str(role)},
                school=school,
            )
            created.append((user, role, password))
        record_event(school, "school.created", _("School created by %(actor)s") % {"actor": actor}, {})
    return school, created


@transaction.atomic
def grant_district_role(*, district, actor, display_name, phone, username=""):
    """Another district officer; returns (user, first password or None when the account existed)."""
    check_officer(actor, district)
    with acting(actor):
        user, password = _new_user(display_name, phone, username)
        membership, created = Membership.objects.get_or_create(user=user, district=district, role=Role.DISTRICT_OFFICER)
        if not created and not membership.active:
            membership.active = True
            membership.save()
    return user, password


@transaction.atomic
def revoke_district_role(*, district, actor, user):
    check_officer(actor, district)
    if user == actor:
        raise ValidationError(_("You cannot take your own district role away."))
    with acting(actor):
        for membership in Membership.objects.filter(user=user, district=district, active=True):
            membership.active = False
            membership.save()
