"""The API's ``LazyFilterBackend`` builds the FilterSet only with the filters a request names: same
results as the whole FilterSet, without copying and binding the others."""

import pytest

from logistics.accounts.roles import Role
from logistics.api.filters import _named, _narrowed
from repairs.filtersets import TicketFilterSet

pytestmark = pytest.mark.django_db


def test_only_the_named_filters_are_built():
    names = _named(TicketFilterSet, {"status": "confirmed", "submitted_after": "2026-01-01", "page": "2"})
    assert names == {"status", "submitted_after"}
    narrowed = _narrowed(TicketFilterSet, names)
    assert set(narrowed.base_filters) == {"status", "submitted_after"}
    assert _narrowed(TicketFilterSet, names) is narrowed  # built once
    assert set(TicketFilterSet.base_filters) > names  # the declared class is untouched


def test_filtered_api_list_equals_the_whole_filterset(school, room, make_user, api):
    from repairs import services
    from repairs.models import Ticket

    teacher = make_user(Role.TEACHER, school)
    head = make_user(Role.LOGISTICS_HEAD, school)
    for trade in ("plumbing", "carpentry", "carpentry", "electrical"):
        services.create_ticket(school=school, user=teacher, room=room, trade=trade, description="坏了")
    params = {"trade": ["carpentry", "plumbing"], "requester": str(teacher.pk)}
    body = api(head).get("/api/v1/repairs/tickets/", params).json()
    expected = TicketFilterSet(
        {"trade": ["carpentry", "plumbing"], "requester": str(teacher.pk)}, queryset=Ticket.objects.all()
    ).qs
    assert sorted(r["id"] for r in body["results"]) == sorted(expected.values_list("pk", flat=True))
    assert body["count"] == 3
    refused = api(head).get("/api/v1/repairs/tickets/", {"status": "nonsense"})
    assert refused.status_code == 400
