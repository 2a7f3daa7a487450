"""Pages: the shared list/detail cases per model, the workflow through the pages, QR codes, figures."""

import pytest
from django.urls import reverse

from logistics.accounts.roles import Role
from repairs import services
from repairs.choices import TicketStatus, Trade
from repairs.models import MaintenancePlan, Ticket

from ..mixins import ViewTestCases
from .factories import DutySlotFactory, MaintenancePlanFactory, TicketFactory, room_in

pytestmark = pytest.mark.django_db


class TestTicketViews(ViewTestCases):
    list_url = "/repairs/tickets/"
    list_queries = 12
    detail_queries = 9

    def make_object(self, school):
        ticket = TicketFactory(school=school)
        ticket.assignees.add(ticket.requester)
        return ticket

    def row_text(self, obj):
        return obj.reference


class TestMaintenancePlanViews(ViewTestCases):
    list_url = "/repairs/plans/"
    list_queries = 14
    detail_queries = 16

    def make_object(self, school):
        return MaintenancePlanFactory(school=school)

    def row_text(self, obj):
        return obj.name


class TestDutySlotViews(ViewTestCases):
    list_url = "/repairs/rota/"
    list_queries = 14
    detail_queries = 14

    def make_object(self, school):
        return DutySlotFactory(school=school)

    def row_text(self, obj):
        return obj.get_trade_display()


def step(client, ticket, step_name, **data):
    return client.post(
        reverse("repairs:ticket_step", args=[ticket.pk, step_name]), {f"{step_name}-{k}": v for k, v in data.items()}
    )


class TestTicketPages:
    def test_full_workflow_through_the_pages(self, school, room, people, login, photo):
        teacher, head, worker = login(people.teacher), login(people.head), login(people.worker)
        form = teacher.get(f"/repairs/r/{room.pk}/", follow=True)
        assert form.status_code == 200
        assert form.context["form"].initial["room"] == room
        response = teacher.post(
            "/repairs/tickets/new/",
            {
                "room": room.pk,
                "trade": Trade.PLUMBING,
                "urgency": "high",
                "description": "拖把池堵塞",
                "photos": [photo()],
            },
        )
        ticket = Ticket.objects.get()
        assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
        page = head.get(ticket.get_absolute_url()).content.decode()
        assert 'data-step="assign"' in page and "拖把池堵塞" in page
        assert step(head, ticket, "assign", assignees=[people.worker.pk]).status_code == 302
        assert ticket.assignees.get() == people.worker
        jobs = worker.get("/repairs/jobs/").content.decode()
        assert ticket.reference in jobs
        step(worker, ticket, "start")
        step(worker, ticket, "log_work", minutes=30, note="疏通")
        step(worker, ticket, "add_part", name="疏通剂", quantity="1", unit="瓶", unit_cost="12.5")
        step(worker, ticket, "complete", cause="wear", resolution="已疏通")
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.DONE and ticket.labour_minutes == 30
        page = teacher.get(ticket.get_absolute_url()).content.decode()
        assert 'data-step="confirm"' in page and 'data-step="reopen"' in page
        step(teacher, ticket, "confirm", rating="4", comment="好")
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CONFIRMED and ticket.rating == 4

    def test_step_not_allowed_shows_the_status_and_changes_nothing(self, school, room, people, login):
        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="plumbing", description="x"
        )
        teacher = login(people.teacher)
        response = step(teacher, ticket, "confirm", rating="5", comment="好")
        # the step's form comes back with the message naming the status, and what was typed kept
        assert response.status_code == 400
        page = response.content.decode()
        assert "Submitted" in page or "已提交" in page, page
        assert 'value="好"' in page
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SUBMITTED

    def test_forbidden_step_is_403(self, school, room, people, login):
        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="plumbing", description="x"
        )
        response = step(login(people.teacher), ticket, "assign", assignees=[people.worker.pk])
        assert response.status_code == 403
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SUBMITTED

    def test_other_peoples_ticket_is_404(self, school, room, people, login):
        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="plumbing", description="x"
        )
        assert login(people.teacher2).get(ticket.get_absolute_url()).status_code == 404
        assert step(login(people.teacher2), ticket, "cancel", reason="x").status_code == 404

    def test_scan_needs_login_first(self, client, room):
        response = client.get(f"/repairs/r/{room.pk}/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert f"/repairs/r/{room.pk}/" in response["Location"]

    def test_parent_cannot_file(self, room, people, login):
        assert login(people.parent).get("/repairs/tickets/new/").status_code == 403

    def test_invalid_form_shows_errors(self, room, people, login):
        response = login(people.teacher).post("/repairs/tickets/new/", {"room": room.pk, "trade": "plumbing"})
        assert response.status_code == 400 and Ticket.objects.count() == 0

    def test_preventive_checklist_ticks(self, school, people, login):
        plan = MaintenancePlanFactory(school=school, created_by=people.head)
        plan.assignees.add(people.worker)
        ticket, _created = services.open_preventive(plan, plan.next_due)
        worker = login(people.worker)
        step(worker, ticket, "start")
        step(worker, ticket, "complete", cause="wear")
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.IN_PROGRESS  # checklist not ticked
        for index in range(2):
            step(worker, ticket, "tick", index=index, done="on")
        step(worker, ticket, "complete", cause="wear")
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.DONE and all(i["done"] for i in ticket.checklist)


class TestMaintenancePlanPages:
    def test_head_adds_a_plan(self, school, people, login, room):
        head = login(people.head)
        response = head.post(
            "/repairs/plans/add/",
            {
                "name": "消防器材月检",
                "trade": "other",
                "urgency": "normal",
                "room": room.pk,
                "checklist": "灭火器\n消火栓",
                "recurrence": "nth_weekday",
                "interval": 1,
                "week_of_month": 1,
                "weekday": 0,
                "next_due": "2026-12-07",
                "lead_days": 3,
                "assignees": [people.worker.pk],
                "active": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        plan = MaintenancePlan.objects.get()
        assert plan.school == school and list(plan.assignees.all()) == [people.worker]

    def test_worker_cannot_add_a_plan(self, people, login):
        assert login(people.worker).get("/repairs/plans/add/").status_code == 403


class TestRepairFiguresPage:
    def test_head_sees_figures(self, school, room, people, login):
        services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="x")
        response = login(people.head).get("/repairs/stats/")
        assert response.status_code == 200
        assert response.context["figures"]["by_trade"]["plumbing"] == 1
        assert 'data-chart="chart-trade"' in response.content.decode()

    @pytest.mark.parametrize("who", ["teacher", "worker", "parent"])
    def test_others_do_not(self, who, people, login):
        assert login(getattr(people, who)).get("/repairs/stats/").status_code == 403

    def test_district_officer_sees_figures(self, people, login):
        assert login(people.officer).get("/repairs/stats/").status_code == 200


class TestRoomQRCodes:
    def test_sheet_and_poster_are_pdfs(self, school, people, login):
        room_in(school)
        room = room_in(school)
        head = login(people.head)
        sheet = head.get("/repairs/qr/rooms.pdf")
        assert sheet.status_code == 200 and sheet.content[:4] == b"%PDF"
        one = head.get(f"/repairs/qr/rooms.pdf?building={room.building_id}")
        assert one.status_code == 200 and one.content[:4] == b"%PDF"
        poster = head.get(f"/repairs/qr/rooms/{room.pk}/poster.pdf")
        assert poster.status_code == 200 and poster.content[:4] == b"%PDF"

    def test_qr_holds_the_scan_address(self, room):
        from repairs import qr

        assert qr.room_url(room).endswith(f"/repairs/r/{room.pk}/")

    def test_teacher_cannot_print_the_sheet(self, people, login):
        assert login(people.teacher).get("/repairs/qr/rooms.pdf").status_code == 403

    def test_other_schools_room_poster_is_404(self, other_room, people, login):
        assert login(people.head).get(f"/repairs/qr/rooms/{other_room.pk}/poster.pdf").status_code == 404


def test_menu_shows_repairs_for_a_teacher(people, login):
    body = login(people.teacher).get("/").content.decode()
    assert reverse("repairs:ticket_add") in body


def test_role_names():
    assert Role.REPAIR_WORKER == "repair_worker"


class TestWorkerHome:
    def test_the_worker_sees_their_open_jobs_and_the_queue_on_the_start_page(self, school, room, people, login):
        mine = services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="a")
        services.assign(mine, people.head, [people.worker])
        services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="b")
        page = login(people.worker).get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        widget = page.split('data-widget="repairs_my_jobs"')[1].split("</a>")[0]
        figures = [chunk.split("</div>")[0].split(">")[-1] for chunk in widget.split('class="display-6"')[1:]]
        assert figures[0] == "1"  # open jobs assigned to the worker
        assert figures[2] == "1"  # the unassigned plumbing ticket: the worker's trade
        assert "/repairs/jobs/" in widget
        assert "我的任务" in page


class TestRoomPosters:
    def test_the_posters_page_warns_about_a_loopback_address_and_lists_every_room(self, settings, room, people, login):
        settings.SITE_URL = ""
        settings.ALLOWED_HOSTS = ["*"]
        head = login(people.head)
        page = head.get("/repairs/qr/", HTTP_HOST="127.0.0.1:8000").content.decode()
        assert 'data-testid="loopback-warning"' in page and f"/repairs/qr/rooms/{room.pk}/poster.pdf" in page
        page = head.get("/repairs/qr/", HTTP_HOST="192.168.1.20:8801").content.decode()
        assert 'data-testid="loopback-warning"' not in page and "http://192.168.1.20:8801" in page

    def test_the_code_holds_the_public_address(self, settings, room, rf):
        from repairs import qr

        settings.ALLOWED_HOSTS = ["*"]
        settings.SITE_URL = "https://houqin.school.example"
        assert qr.room_url(room) == f"https://houqin.school.example/repairs/r/{room.pk}/"
        settings.SITE_URL = ""
        request = rf.get("/", HTTP_HOST="10.0.0.5:8801")
        assert qr.room_url(room, request) == f"http://10.0.0.5:8801/repairs/r/{room.pk}/"

    def test_rooms_and_buildings_pages_link_to_the_posters(self, room, people, login):
        for url in ("/school/rooms/", "/school/buildings/"):
            assert "/repairs/qr/" in login(people.head).get(url).content.decode()
        assert "/repairs/qr/" not in login(people.teacher).get("/school/rooms/").content.decode()


def test_the_phone_cards_show_each_tickets_reference_status_place_and_workers(school, make_user, login):
    """The list's phone cards read the row's cells by column name: each named cell is on the card."""
    head = make_user(Role.LOGISTICS_HEAD, school)
    ticket = TicketFactory(school=school)
    worker = make_user(Role.REPAIR_WORKER, school)
    worker.display_name = "王师傅"
    worker.save()
    ticket.assignees.add(worker)
    response = login(head).get("/repairs/tickets/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    cards = html[html.index('data-testid="ticket-cards"') : html.index('class="d-none d-md-block"')]
    assert ticket.reference in cards
    assert ticket.get_status_display() in cards and ticket.get_trade_display() in cards
    assert ticket.room.name in cards and ticket.room.building.name in cards
    assert "王师傅" in cards
