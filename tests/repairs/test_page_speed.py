"""What the ticket pages leave out to be fast, and that it changes nothing a user sees: the list keeps
its rendered rows per page (keyed by the rows' ``updated`` times), the ticket page renders only the
first step's form (the others load when opened), the bell's count and the current school are kept."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from logistics.notifications.services import notify
from repairs.choices import TicketStatus

from .factories import TicketFactory, room_in

pytestmark = pytest.mark.django_db


def _tickets(school, n=3):
    return [TicketFactory(school=school, room=room_in(school)) for _ in range(n)]


class TestListRowsKept:
    def test_a_second_view_reads_no_rows_and_shows_the_same_page(self, school, people, login):
        _tickets(school)
        client = login(people.head)
        first = client.get("/repairs/tickets/").content.decode()
        with CaptureQueriesContext(connection) as again:
            second = client.get("/repairs/tickets/").content.decode()
        assert not [q for q in again.captured_queries if "repairs_ticket_assignees" in q["sql"]]
        strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731 — tokens differ
        assert strip(first.split('id="object-table"')[1]) == strip(second.split('id="object-table"')[1])

    def test_a_changed_ticket_shows_at_once(self, school, people, login):
        ticket = _tickets(school, 1)[0]
        client = login(people.head)
        with translation.override("zh-hans"):
            cancelled = str(TicketStatus.CANCELLED.label)
        assert cancelled not in client.get("/repairs/tickets/").content.decode().split('id="object-table"')[1]
        ticket.status = TicketStatus.CANCELLED
        ticket.status_reason = "重复报修"
        ticket.save()
        rows = client.get("/repairs/tickets/").content.decode().split('id="object-table"')[1]
        assert cancelled in rows

    def test_another_user_and_another_language_are_other_pages(self, school, people, login):
        _tickets(school, 1)
        head = login(people.head)
        head.get("/repairs/tickets/")
        english = head.get("/repairs/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "reference" in english.split('id="object-table"')[1]
        staff = login(people.staff)
        with CaptureQueriesContext(connection) as ctx:
            staff.get("/repairs/tickets/")
        assert [q for q in ctx.captured_queries if "repairs_ticket_assignees" in q["sql"]]  # read, not kept


class TestTicketPageForms:
    def test_only_the_first_steps_form_is_rendered_and_the_others_load_on_opening(self, school, people, login):
        ticket = _tickets(school, 1)[0]
        client = login(people.head)
        page = client.get(ticket.get_absolute_url()).content.decode()
        steps = re.findall(r'data-step="([a-z_]+)"', page)
        assert len(steps) > 2 and steps.index("assign") > 0
        assert 'name="assign-assignees"' not in page  # assign is not the first step: loaded when opened
        assert f'hx-get="/repairs/tickets/{ticket.pk}/assign/"' in page
        assert f'data-testid="step-{steps[0]}"' in page  # the first one is there, open
        fragment = client.get(f"/repairs/tickets/{ticket.pk}/assign/", HTTP_HX_REQUEST="true").content.decode()
        assert 'name="assign-assignees"' in fragment and "<html" not in fragment
        assert f'action="/repairs/tickets/{ticket.pk}/assign/"' in fragment
        full = client.get(f"/repairs/tickets/{ticket.pk}/assign/").content.decode()
        assert "<html" in full and 'name="assign-assignees"' in full  # without JavaScript: the step's page

    def test_the_fragment_keeps_the_steps_permission(self, school, people, login):
        ticket = _tickets(school, 1)[0]
        client = login(people.teacher)
        assert client.get(f"/repairs/tickets/{ticket.pk}/assign/", HTTP_HX_REQUEST="true").status_code in (403, 404)


class TestKeptHeader:
    def test_the_bell_follows_a_new_and_a_read_notification(self, school, people, login):
        client = login(people.head)
        assert 'data-testid="unread-count"' not in client.get("/").content.decode()
        notify([people.head], "测试通知", body="", school=school)
        assert 'data-testid="unread-count">1<' in client.get("/").content.decode()
        client.post("/notifications/read/")
        assert 'data-testid="unread-count"' not in client.get("/").content.decode()

    def test_a_renamed_school_is_read_again_at_once(self, school, people, login):
        from django.core.cache import cache

        from logistics.tenancy.middleware import _school_key, school_row

        client = login(people.head)
        client.get("/repairs/tickets/")
        assert cache.get(_school_key(school.pk)) is not None  # kept by the page
        with CaptureQueriesContext(connection) as ctx:
            assert school_row(school.pk).name == school.name
        assert not ctx.captured_queries
        school.name = "改名后的学校"
        school.save()
        assert school_row(school.pk).name == "改名后的学校"
        school.district.name = "改名后的区"
        school.district.save()
        assert school_row(school.pk).district.name == "改名后的区"
