"""The ticket list's fast path, shared by the page and the API.

A list is read far more than anything else, so it is built in constant queries whatever the size of
the table or the depth of the page: the capped count and the page's ids come from the index alone
(``ids_of``), then the page's rows by id with ``values()`` and their assignees (``fetch``). No model
instances; the skipped rows of a deep page are never joined to rooms and people.
"""

from .models import Ticket

#: the list's columns
LIST_VALUES = (
    "id",
    "school_id",
    "reference",
    "kind",
    "room_id",
    "room__name",
    "building_id",
    "room__building__name",
    "asset_id",
    "trade",
    "urgency",
    "status",
    "status_reason",
    "description",
    "requester_id",
    "requester__username",
    "requester__display_name",
    "requester__first_name",
    "requester__last_name",
    "plan_id",
    "due_date",
    "submitted_at",
    "target_at",
    "done_at",
    "escalated_at",
)


def ids_of(queryset):
    """The (ordered) queryset as ids only: what the paginator counts and slices."""
    return queryset.prefetch_related(None).select_related(None).values_list("pk", flat=True)


def user_name(display_name, first_name, last_name, username):
    """``str(user)`` from its columns (display name, else full name, else username)."""
    return display_name or f"{first_name} {last_name}".strip() or username


def fetch(ids):
    """([row dict in the order of ``ids``], {ticket id: [{"id", "username", "name"}]}) in two queries."""
    ids = list(ids)
    if not ids:
        return [], {}
    rows = {row["id"]: row for row in Ticket.objects.filter(pk__in=ids).order_by().values(*LIST_VALUES)}
    assignees = {}
    through = Ticket.assignees.through.objects.filter(ticket_id__in=ids).order_by("user_id")
    for ticket_id, user_id, username, display_name, first_name, last_name in through.values_list(
        "ticket_id", "user_id", "user__username", "user__display_name", "user__first_name", "user__last_name"
    ):
        assignees.setdefault(ticket_id, []).append(
            {"id": user_id, "username": username, "name": user_name(display_name, first_name, last_name, username)}
        )
    return [rows[pk] for pk in ids if pk in rows], assignees
