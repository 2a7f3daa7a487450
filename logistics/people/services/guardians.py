"""Guardians (监护人): invitations printed per class, accepted once on a phone; guardians added by staff;
links ended when custody changes — each step on the student's history.

Rules (issue 8 § Classes, students and guardians): a code is single-use and valid only at its own
school's address; a guardian's username is their phone number, so a second child links to the same
account (the guardian proves it is theirs with its password).
"""

import datetime

from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions, throttle
from logistics.accounts.roles import Role
from logistics.audit.recorder import record_event
from logistics.tenancy.models import Membership

from .. import phones
from ..models import GuardianLink, Invitation, Student
from . import acting
from .passwords import set_first_password

INVITATION_DAYS = 60


def may_invite(actor, school_class):
    """The principal and logistics head print any class's sheet; a class teacher their own class's."""
    scopes = permissions.scopes_for(actor, "people.add_invitation")
    if school_class.school_id in scopes.get("all", set()):
        return True
    return school_class.head_teacher_id == actor.pk and school_class.school_id in scopes.get("own_class", set())


@transaction.atomic
def class_invitations(school_class, actor):
    """One usable invitation per enrolled student of the class (existing usable ones are reused)."""
    if not may_invite(actor, school_class):
        raise PermissionDenied(_("You may not print invitations for this class."))
    now = timezone.now()
    result = []
    with acting(actor):
        for student in school_class.students.filter(active=True).order_by("student_number"):
            invitation = student.invitations.filter(used_at__isnull=True, expires__gt=now).first()
            if invitation is None:
                invitation = Invitation.objects.create(
                    school=student.school,
                    student=student,
                    expires=now + datetime.timedelta(days=INVITATION_DAYS),
                )
            result.append((student, invitation))
        record_event(
            school_class,
            "invitations.printed",
            _("Guardian invitations printed (%(n)s students)") % {"n": len(result)},
            {"students": len(result)},
        )
    return result


def normalise_code(code):
    """As printed (``ABCDE-FGHJK``) or typed in lower case with spaces: the stored code."""
    return (code or "").strip().upper().replace(" ", "").replace("-", "")


def find_invitation(school, code):
    """The usable invitation with ``code`` at ``school`` — or ValidationError (also for another school's code)."""
    code = normalise_code(code)
    invitation = (
        Invitation.objects.select_for_update().filter(school=school, code=code).select_related("student").first()
        if code
        else None
    )
    if invitation is None or not invitation.usable:
        raise ValidationError({"code": _("This invitation code is not valid here, or it has been used.")})
    return invitation


def _link(student, guardian, relation):
    Membership.objects.update_or_create(
        user=guardian, school=student.school, role=Role.PARENT, defaults={"active": True}
    )
    link, created = GuardianLink.objects.get_or_create(
        school=student.school, student=student, guardian=guardian, defaults={"relation": relation}
    )
    if created:
        record_event(
            student,
            "guardian.linked",
            _("Guardian linked: %(guardian)s") % {"guardian": guardian},
            {"guardian_id": guardian.pk, "relation": relation},
        )
    return link


def _guardian_password(request, username, password):
    """The account of ``username`` if ``password`` is its password. The sign-in lockout (django-axes)
    covers this door too — a valid code must not allow guessing passwords — so this runs outside any
    transaction: a failure is counted even though the request then fails."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise ValidationError({"password": throttle.locked_message()})
    if user is None:
        raise ValidationError(
            {"password": _("This phone number already has an account: enter its password to add this child.")}
        )
    return user


def _claimable(account, invitation):
    """An account the school made for this child's guardian (an import: that phone, linked to this very
    student) and never used: accepting the child's invitation sets its first password."""
    return (
        not account.has_usable_password()
        and account.last_login is None
        and GuardianLink.objects.filter(student_id=invitation.student_id, guardian=account).exists()
    )


def accept_invitation(*, school, code, relation, user=None, phone="", name="", password="", request=None):
    """Link the invitation's student to a guardian account and use the code up.

    Signed in (``user``): that account. Otherwise by phone number: a new account with ``password``, or the
    existing one of that number if ``password`` is its password. Returns the guardian."""
    with transaction.atomic():  # a valid code first (locked again below, where it is used up)
        invitation = find_invitation(school, code)
    User = get_user_model()
    new_user = None
    if user is None or not user.is_authenticated:
        number = phones.parse(phone)
        username = phones.username_for(number)
        existing = User.objects.filter(username=username).first()
        if existing is not None and _claimable(existing, invitation):
            from django.contrib.auth.password_validation import validate_password

            validate_password(password, existing)
            existing.set_password(password)
            new_user = existing  # saved below, with the code used up
        elif existing is not None:
            user = _guardian_password(request, username, password)
        else:
            from django.contrib.auth.password_validation import validate_password

            new_user = User(username=username, phone=number, display_name=(name or "").strip() or username)
            validate_password(password, new_user)
            new_user.set_password(password)
    with transaction.atomic():
        if new_user is not None:
            with acting(None):
                new_user.save()
            user = new_user
        invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise ValidationError({"code": _("This invitation code is not valid here, or it has been used.")})
        with acting(user):
            _link(invitation.student, user, relation)
            invitation.used_at = timezone.now()
            invitation.used_by = user
            invitation.save()
    return user


@transaction.atomic
def add_guardian(*, student, actor, name, phone, relation):
    """Staff link a guardian to ``student``: the account of that phone number, or a new one with a first
    password (returned, shown once; changed at the first sign-in). Returns (guardian, password or None)."""
    if not permissions.has_perm(actor, "people.add_guardianlink", student.school):
        raise PermissionDenied(_("You may not add guardians here."))
    User = get_user_model()
    number = phones.parse(phone)
    username = phones.username_for(number)
    password = None
    with acting(actor):
        guardian = User.objects.filter(username=username).first()
        if guardian is None:
            guardian = User(username=username, phone=number, display_name=name.strip() or username)
            password = set_first_password(guardian)
            guardian.save()
        _link(student, guardian, relation)
    return guardian, password


@transaction.atomic
def end_link(link, actor, reason=""):
    """End a guardian link (custody changes): the guardian no longer sees the child; the student's history
    keeps who ended it and why. A parent with no child left at the school loses the parent role there."""
    if not GuardianLink.objects.restrict(actor, "delete").filter(pk=link.pk).exists():
        raise PermissionDenied(_("You may not end this link."))
    student, guardian = link.student, link.guardian
    with acting(actor):
        record_event(
            student,
            "guardian.unlinked",
            _("Guardian link ended: %(guardian)s") % {"guardian": guardian} + (f" — {reason}" if reason else ""),
            {"guardian_id": guardian.pk, "relation": link.relation, "reason": reason},
        )
        link.delete()
        if not GuardianLink.objects.filter(school=student.school, guardian=guardian).exists():
            for membership in Membership.objects.filter(
                user=guardian, school=student.school, role=Role.PARENT, active=True
            ):
                membership.active = False
                membership.save()


def children_of(user, school):
    return Student.objects.restrict(user, "view").in_school(school).filter(guardian_links__guardian=user)
