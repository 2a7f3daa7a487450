"""Who is concerned by the canteen's records: its managers, and the logistics head above them."""

from logistics.accounts.roles import Role


def members_of(school_ids, roles):
    """{school id: [users]} holding one of ``roles`` (active) in each school, in one query."""
    from logistics.tenancy.models import Membership

    found = {}

    for membership in Membership.objects.filter(school_id__in=school_ids, role__in=roles, active=True).select_related(
        "user"
    ):
        found.setdefault(membership.school_id, []).append(membership.user)
    return found


def managers_of(school_ids):
    return members_of(school_ids, [Role.CANTEEN_MANAGER])


def heads_of(school_ids):
    return members_of(school_ids, [Role.LOGISTICS_HEAD])
