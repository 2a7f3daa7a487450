"""Reads compiled once (``logistics.tenancy.compiled``): the ticket page's one read, its relations and the
timeline give exactly what the ORM gives, only the user's rows, and are built once per key."""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from logistics.tenancy import compiled
from logistics.ui.views import timeline_for
from repairs.models import PartUsage, Ticket
from repairs.views import TicketDetailView

from .factories import PartUsageFactory, TicketFactory, WorkLogFactory, room_in

pytestmark = pytest.mark.django_db


def values(obj):
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def joined(ticket):
    return [values(x) for x in (ticket.school, ticket.room, ticket.room.building, ticket.requester)]


@pytest.fixture
def tickets(school, people):
    first = TicketFactory(school=school, room=room_in(school), requester=people.teacher)
    second = TicketFactory(school=school, room=room_in(school), requester=people.teacher2)
    first.assignees.set([people.worker, people.carpenter])
    WorkLogFactory(ticket=first, school=school, worker=people.worker, minutes=20, note="检查水管")
    WorkLogFactory(ticket=first, school=school, worker=people.carpenter, minutes=5, note="换门锁")
    PartUsageFactory(ticket=first, school=school, name="水龙头")
    return first, second


def read(user, pk, action="view"):
    def build():
        return Ticket.objects.restrict(user, action).select_related("room__building", "requester", "school")

    from logistics.tenancy.querysets import restriction_sql

    restriction = restriction_sql(Ticket, user, action)
    return compiled.read_one(("test", restriction[0], repr(restriction[1])), build, pk)


class TestReadOne:
    def test_the_object_its_joined_rows_and_annotations_are_the_orms(self, tickets, people):
        first, second = tickets
        for ticket in (first, second):
            got = read(people.head, ticket.pk)
            orm = Ticket.objects.select_related("room__building", "requester", "school").get(pk=ticket.pk)
            assert values(got) == values(orm) and joined(got) == joined(orm)
            with CaptureQueriesContext(connection) as queries:
                assert str(got.room.building) and str(got.requester)  # joined: no query
            assert not queries.captured_queries

    def test_only_rows_the_user_may_see_and_none_for_a_missing_key(self, tickets, people, other_people):
        first, second = tickets
        assert read(people.teacher, first.pk) == first  # the teacher's own request
        assert read(people.teacher, second.pk) is None  # another teacher's
        assert read(people.teacher2, second.pk) == second
        assert read(other_people.head, first.pk) is None  # another school's head
        assert read(people.head, 10**9) is None

    def test_built_and_compiled_once_per_key(self, tickets, people):
        first, second = tickets
        built = []

        def build():
            built.append(1)
            return Ticket.objects.all()

        assert compiled.read_one("once", build, first.pk) == first
        assert compiled.read_one("once", build, second.pk) == second
        assert len(built) == 1

    def test_a_queryset_that_uses_its_value_twice_is_read_as_usual(self, tickets):
        first, _second = tickets
        found = compiled.rows("twice", lambda mark: Ticket.objects.filter(pk=mark, id=mark), first.pk)
        assert found == [first] and compiled._kept["twice"] is False


class TestPrefetch:
    def test_the_relations_are_the_orms_in_its_order_with_their_joins(self, tickets, people):
        first, _second = tickets
        lookups = [
            "assignees",
            "work_logs__worker",
            Prefetch("parts", queryset=PartUsage.objects.select_related("reversed_by")),
        ]
        orm = Ticket.objects.prefetch_related(*lookups).get(pk=first.pk)
        got = Ticket.objects.get(pk=first.pk)
        for lookup in lookups:
            assert compiled.prefetch(got, lookup, "test-prefetch")
        with CaptureQueriesContext(connection) as queries:
            assert list(got.assignees.all()) == list(orm.assignees.all()) == [people.carpenter, people.worker]
            assert [values(log) for log in got.work_logs.all()] == [values(log) for log in orm.work_logs.all()]
            assert [log.worker for log in got.work_logs.all()] == [people.worker, people.carpenter]
            assert [log.ticket for log in got.work_logs.all()] == [first, first]
            assert [values(part) for part in got.parts.all()] == [values(part) for part in orm.parts.all()]
            assert [part.reversed_by for part in got.parts.all()] == [None]
        assert not queries.captured_queries  # everything was read with the relation

    def test_other_shapes_are_left_to_the_orm(self, tickets):
        first, _second = tickets
        ticket = Ticket.objects.get(pk=first.pk)
        assert not compiled.prefetch(ticket, "room", "test")  # a forward foreign key
        assert not compiled.prefetch(ticket, "work_logs__ticket__assignees", "test")  # a relation behind a join


class TestTimeline:
    def test_the_timeline_is_the_orms(self, tickets, people):
        from logistics.audit.recorder import record_event

        first, second = tickets
        record_event(first, "ticket.assigned", "派给水工")
        record_event(second, "ticket.assigned", "派给木工")
        for ticket, text in ((first, "派给水工"), (second, "派给木工")):
            shown = timeline_for(ticket, full=True)
            assert text in [record.message for record in shown]
            assert all(record.object_id == ticket.pk for record in shown)
            assert [r.pk for r in shown] == [r.pk for r in timeline_for(Ticket.objects.get(pk=ticket.pk), full=True)]


class TestTicketPage:
    def test_the_page_of_a_ticket_is_the_same_compiled_or_not(self, tickets, people, login, settings, monkeypatch):
        first, _second = tickets
        client = login(people.head)
        strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731 — tokens differ
        compiled_page = client.get(first.get_absolute_url() + "?a=1").content.decode()
        monkeypatch.setattr(TicketDetailView, "compile_read", False)
        orm_page = client.get(first.get_absolute_url() + "?a=1&b=2").content.decode()
        for text in ("检查水管", "换门锁", "水龙头", str(people.carpenter)):
            assert text in compiled_page
        assert strip(compiled_page.split("<main")[1]) == strip(orm_page.split("<main")[1])

    def test_another_teachers_ticket_is_not_found(self, tickets, people, login):
        first, second = tickets
        teacher = login(people.teacher)
        assert teacher.get(first.get_absolute_url()).status_code == 200
        assert teacher.get(second.get_absolute_url()).status_code == 404


class TestApiDetail:
    """An API detail's look-up: one prepared statement over the user's compiled restriction when there is no
    query string; the filtered queryset when there is one — the same objects found either way."""

    def test_the_user_s_rows_only_by_either_path(self, tickets, people, other_people, api):
        first, second = tickets
        url = "/api/v1/repairs/tickets/{}/"
        assert api(people.head).get(url.format(first.pk)).json()["id"] == first.pk
        assert api(people.teacher).get(url.format(first.pk)).status_code == 200  # the teacher's own
        assert api(people.teacher).get(url.format(second.pk)).status_code == 404  # another teacher's
        assert api(other_people.head).get(url.format(first.pk)).status_code == 404  # another school's
        assert api(people.head).get(url.format(10**9)).status_code == 404
        status = first.status
        assert api(people.head).get(url.format(first.pk) + f"?status={status}").status_code == 200
        other = "done" if status != "done" else "submitted"
        assert api(people.head).get(url.format(first.pk) + f"?status={other}").status_code == 404  # filtered

    def test_no_query_string_is_one_prepared_look_up(self, tickets, people, api):
        first, _second = tickets
        client = api(people.head)
        client.get(f"/api/v1/repairs/tickets/{first.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/repairs/tickets/{first.pk}/").status_code == 200
        looked_up = [q["sql"] for q in queries.captured_queries if 'FROM "repairs_ticket"' in q["sql"]]
        assert not looked_up  # no ORM look-up of the ticket: the prepared statements run instead
        assert [q["sql"].split()[0] for q in queries.captured_queries].count("EXECUTE") == 2

    def test_a_key_that_is_no_number_or_beyond_the_column_is_not_found(self, tickets, people, api):
        client = api(people.head)
        for key in ("abc", "1.5", str(2**63), str(-(2**63) - 1), "99999999999999999999999"):
            assert client.get(f"/api/v1/repairs/tickets/{key}/").status_code == 404, key


def test_a_ticket_page_beyond_every_id_is_not_found(tickets, people, login):
    assert login(people.head).get(f"/repairs/tickets/{2**70}/").status_code == 404


def test_a_queryset_with_no_sql_is_read_as_usual(tickets):
    first, _second = tickets
    assert compiled.rows("empty", lambda mark: Ticket.objects.none().filter(pk=mark), first.pk) == []
    assert compiled._kept["empty"] is False
