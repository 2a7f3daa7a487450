"""Who is concerned by a ticket: the school's logistics managers, its workers — and the notices they get."""

from django.contrib.auth import get_user_model

from logistics.accounts import permissions
from logistics.accounts.roles import Role
from logistics.notifications.services import notify
from logistics.tenancy.models import Membership


def is_manager(user, ticket):
    """The logistics head or staff (or principal) of the ticket's school: assigns, rejects, escalations."""
    return permissions.has_perm(user, "repairs.assign_ticket", ticket.school_id)


def worker_trades(user, school_id):
    return [
        trade
        for membership in Membership.objects.filter(
            user=user, school_id=school_id, role=Role.REPAIR_WORKER, active=True
        )
        for trade in membership.trade_list
    ]


def managers_of(school_id, roles=(Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF)):
    """The logistics head (and staff) of a school: they see the queue and get escalations."""
    return list(
        get_user_model()
        .objects.filter(memberships__school_id=school_id, memberships__role__in=roles, memberships__active=True)
        .distinct()
    )


def heads_of(school_id):
    return managers_of(school_id, roles=(Role.LOGISTICS_HEAD,))


def notify_ticket(ticket, recipients, title_text, body="", key="", level="info"):
    return notify(recipients, title_text, body or ticket.description[:200], obj=ticket, key=key, level=level)


def title(ticket, what):
    return f"{ticket.reference} {what}"
