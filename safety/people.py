"""Who the safety app tells: the school's logistics heads, a route's supervisor."""

from django.contrib.auth import get_user_model

from logistics.accounts.roles import Role


def heads_of(school_id):
    return list(
        get_user_model()
        .objects.filter(
            memberships__school_id=school_id, memberships__role=Role.LOGISTICS_HEAD, memberships__active=True
        )
        .distinct()
        .order_by("pk")
    )


def staff_of(school_id):
    """The school's logistics staff (who inspect the equipment)."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__school_id=school_id, memberships__role=Role.LOGISTICS_STAFF, memberships__active=True
        )
        .distinct()
        .order_by("pk")
    )
