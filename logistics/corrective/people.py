"""Who a corrective action concerns: the school's logistics heads and principals (escalations), the
people on it — and the notices they get."""

from django.contrib.auth import get_user_model

from logistics.accounts.roles import STAFF_ROLES, Role
from logistics.notifications.services import notify


def members_query(school_id, roles):
    """The users who are active members of the school in one of ``roles`` (a queryset)."""
    return (
        get_user_model()
        .objects.filter(
            memberships__school_id=school_id, memberships__role__in=[str(r) for r in roles], memberships__active=True
        )
        .distinct()
    )


def members_of(school_id, roles):
    """Active members of the school holding one of ``roles``."""
    return list(members_query(school_id, roles).order_by("pk"))


def staff_users(school_id):
    """The users who are on the school's staff (any role but parent), for the choice of an owner."""
    return members_query(school_id, STAFF_ROLES)


def is_staff_of(school_id, user):
    return staff_users(school_id).filter(pk=user.pk).exists()


def heads_of(school_id):
    return members_of(school_id, (Role.LOGISTICS_HEAD,))


def principals_of(school_id):
    return members_of(school_id, (Role.PRINCIPAL,))


def tell(action, recipients, what, key="", level="info"):
    """Notify ``recipients`` (those who may see the action) of ``what`` happened to it."""
    people = [p for p in recipients if p is not None]
    return notify(
        people,
        f"{action.reference} {what}",
        f"{action.title}\n{action.place or ''}".strip(),
        obj=action,
        url=action.get_absolute_url(),
        key=key,
        level=level,
    )
