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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_by_version")]


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


def _page_reads(client, path):
    """(html, the SQL run) of one GET."""
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(path).content.decode()
    return html, [q["sql"] for q in ctx.captured_queries]


class TestKeptPages:
    """The queue and the ticket page are kept whole (``keep_page``): a second view renders nothing, and
    whatever the page shows that changed is a new page at once."""

    def test_the_queue_is_served_whole_the_second_time(self, school, people, login):
        _tickets(school)
        client = login(people.head)
        first, _ = _page_reads(client, "/repairs/tickets/")
        second, sql = _page_reads(client, "/repairs/tickets/")
        assert second == first  # the same page, token and all (the same CSRF secret)
        assert not [q for q in sql if "repairs_building" in q or "repairs_ticket_assignees" in q]  # no context built
        assert len(sql) <= 7

    def test_a_waiting_message_is_shown_once_on_a_page_rendered_now(self, school, people, login):
        from django.contrib.messages import constants
        from django.contrib.messages.storage.base import Message
        from django.contrib.messages.storage.cookie import MessageEncoder
        from django.contrib.messages.storage.session import SessionStorage

        _tickets(school)
        client = login(people.head)
        client.get("/repairs/tickets/")  # kept
        session = client.session  # a message left by the last POST, as a step or a save leaves one
        session[SessionStorage.session_key] = MessageEncoder().encode([Message(constants.SUCCESS, "已保存。")])
        session.save()
        assert "已保存。" in client.get("/repairs/tickets/").content.decode()
        assert "已保存。" not in client.get("/repairs/tickets/").content.decode()

    def test_another_browser_of_the_same_user_gets_its_own_token(self, school, people, login):
        _tickets(school)
        first = login(people.head)
        first.get("/repairs/tickets/")
        second = login(people.head)  # another session, another CSRF secret
        page = second.get("/repairs/tickets/").content.decode()  # rendered for it, not the first one's page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        from django.middleware.csrf import _unmask_cipher_token

        assert _unmask_cipher_token(token) == second.cookies["csrftoken"].value

    def test_the_ticket_page_follows_a_step_a_work_log_and_a_part(self, school, people, login):
        from .factories import PartUsageFactory, WorkLogFactory
        from .test_views import step

        ticket = _tickets(school, 1)[0]
        head = login(people.head)
        url = ticket.get_absolute_url()
        first, _ = _page_reads(head, url)
        again, sql = _page_reads(head, url)
        assert again == first and len(sql) <= 5  # kept: session, user, memberships, the stamps
        assert step(head, ticket, "assign", assignees=[people.worker.pk]).status_code == 302
        head.get(url)  # the step's "saved" message is shown on a page rendered now
        page = head.get(url).content.decode()
        with translation.override("zh-hans"):
            assert str(TicketStatus.ASSIGNED.label) in page
        WorkLogFactory(ticket=ticket, school=school, worker=people.worker, minutes=47, note="更换阀芯")
        assert "更换阀芯" in head.get(url).content.decode()
        PartUsageFactory(ticket=ticket, school=school, name="三角阀")
        assert "三角阀" in head.get(url).content.decode()

    def test_a_kept_ticket_page_is_not_served_to_whoever_may_no_longer_see_it(self, school, people, login):
        ticket = TicketFactory(school=school, room=room_in(school), requester=people.teacher)
        teacher = login(people.teacher)
        url = ticket.get_absolute_url()
        assert teacher.get(url).status_code == 200
        assert teacher.get(url).status_code == 200  # kept
        ticket.requester = people.teacher2
        ticket.save()
        assert login(people.teacher).get(url).status_code == 404
        assert teacher.get(url).status_code == 404


class TestKeptApiRows:
    def test_a_second_list_builds_no_row_and_a_change_shows_at_once(self, school, people, api):
        tickets = _tickets(school)
        client = api(people.head)
        first = client.get("/api/v1/repairs/tickets/").json()
        with CaptureQueriesContext(connection) as ctx:
            second = client.get("/api/v1/repairs/tickets/").json()
        assert second == first
        assert not [q for q in ctx.captured_queries if "json_build_object" in q["sql"].lower() or "EXECUTE" in q["sql"]]
        tickets[0].description = "改过的描述：三楼男厕水箱漏水"
        tickets[0].save()
        rows = {row["id"]: row for row in client.get("/api/v1/repairs/tickets/").json()["results"]}
        assert rows[tickets[0].pk]["description"] == "改过的描述：三楼男厕水箱漏水"


class TestTicketPageReadsWhatItShows:
    def test_a_ticket_with_no_work_log_part_or_photo_reads_none_of_them(self, school, people, login):
        from .factories import WorkLogFactory

        ticket = _tickets(school, 1)[0]
        head = login(people.head)
        html, sql = _page_reads(head, ticket.get_absolute_url())
        reads = lambda table: [q for q in sql if q.startswith(f'SELECT "{table}".')]  # noqa: E731 — not the stamps' subqueries
        assert not reads("repairs_worklog") and not reads("repairs_partusage") and not reads("attachments_attachment")
        WorkLogFactory(ticket=ticket, school=school, worker=people.worker, minutes=20, note="检查水管")
        html, sql = _page_reads(head, ticket.get_absolute_url())
        assert "检查水管" in html
        assert reads("repairs_worklog")
