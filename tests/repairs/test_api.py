"""The API: shared list/retrieve cases, the workflow step by step, 403/409 with nothing changed,
filters, work logs and parts, plans, the rota and the figures."""

import datetime
from decimal import Decimal

import pytest

from assets.models import Consumable
from repairs import services
from repairs.choices import TicketStatus
from repairs.models import MaintenancePlan, Ticket

from ..mixins import APITestCases
from .factories import DutySlotFactory, MaintenancePlanFactory, TicketFactory, room_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/repairs/tickets/"


class TestTicketAPI(APITestCases):
    list_url = URL
    list_queries = 5

    def make_object(self, school):
        ticket = TicketFactory(school=school)
        ticket.assignees.add(ticket.requester)
        return ticket

    def create_payload(self, school):
        return {"room": room_in(school).pk, "trade": "plumbing", "description": "水龙头漏水"}


class TestMaintenancePlanAPI(APITestCases):
    list_url = "/api/v1/repairs/plans/"
    list_queries = 8

    def make_object(self, school):
        return MaintenancePlanFactory(school=school)

    def create_payload(self, school):
        return {
            "name": "电梯月检",
            "trade": "other",
            "room": room_in(school).pk,
            "checklist": "制动器",
            "recurrence": "months",
            "next_due": "2026-12-01",
        }

    def test_head_creates_a_plan_and_worker_cannot(self, api, school, room, people):
        data = {
            "name": "空调月度保养",
            "trade": "hvac",
            "room": room.pk,
            "checklist": "滤网\n排水",
            "recurrence": "months",
            "interval": 1,
            "next_due": "2026-12-01",
            "assignees": [people.worker.pk],
        }
        assert api(people.worker).post(self.list_url, data, format="json").status_code == 403
        response = api(people.head).post(self.list_url, data, format="json")
        assert response.status_code == 201, response.content
        assert MaintenancePlan.objects.get().school == school

    def test_nth_weekday_needs_its_fields(self, api, room, people):
        data = {
            "name": "x",
            "trade": "hvac",
            "room": room.pk,
            "checklist": "a",
            "recurrence": "nth_weekday",
            "next_due": "2026-12-01",
        }
        assert api(people.head).post(self.list_url, data, format="json").status_code == 400


class TestDutySlotAPI(APITestCases):
    list_url = "/api/v1/repairs/rota/"
    list_queries = 8

    def make_object(self, school):
        return DutySlotFactory(school=school)

    def create_payload(self, school):
        from logistics.tenancy.models import Membership

        from ..factories import UserFactory

        worker = UserFactory()
        Membership.objects.create(user=worker, school=school, role="repair_worker", trades="plumbing")
        return {"trade": "plumbing", "worker": worker.pk}


def post(client, ticket, step, data=None):
    return client.post(f"{URL}{ticket.pk}/{step}/", data or {}, format="json")


@pytest.fixture
def filed(api, school, room, people):
    response = api(people.teacher).post(
        URL, {"room": room.pk, "trade": "plumbing", "urgency": "emergency", "description": "水管爆裂"}, format="json"
    )
    assert response.status_code == 201, response.content
    return Ticket.objects.get(pk=response.json()["id"])


class TestTicketAPIWorkflow:
    def test_full_workflow(self, api, school, people, filed):
        assert filed.urgency == "emergency" and filed.requester == people.teacher
        head, worker, teacher = api(people.head), api(people.worker), api(people.teacher)
        response = post(head, filed, "assign", {"assignees": [people.worker.pk]})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "assigned"
        assert [a["id"] for a in response.json()["assignees"]] == [people.worker.pk]
        assert post(worker, filed, "start").json()["status"] == "in_progress"
        assert post(worker, filed, "hold", {"reason": "等配件"}).json()["status"] == "on_hold"
        assert post(worker, filed, "start").json()["status"] == "in_progress"
        log = worker.post(f"{URL}{filed.pk}/work-logs/", {"minutes": 45, "note": "换管"}, format="json")
        assert log.status_code == 201 and log.json()["minutes"] == 45
        part = worker.post(
            f"{URL}{filed.pk}/parts/",
            {"name": "台盆水管", "quantity": "2", "unit": "根", "unit_cost": "18"},
            format="json",
        )
        assert part.status_code == 201 and Decimal(part.json()["cost"]) == Decimal("36")
        assert len(teacher.get(f"{URL}{filed.pk}/parts/").json()) == 1
        assert len(teacher.get(f"{URL}{filed.pk}/work-logs/").json()) == 1
        done = post(worker, filed, "complete", {"cause": "wear", "resolution": "已换"})
        assert done.json()["status"] == "done"
        confirmed = post(teacher, filed, "confirm", {"rating": 5, "comment": "及时"})
        assert confirmed.status_code == 200 and confirmed.json()["rating"] == 5
        detail = teacher.get(f"{URL}{filed.pk}/").json()
        assert detail["status"] == "confirmed" and detail["labour_minutes"] == 45 and len(detail["parts"]) == 1

    def test_create_with_photos_multipart(self, api, room, people, photo):
        response = api(people.teacher).post(
            URL,
            {
                "room": room.pk,
                "trade": "electrical",
                "description": "灯不亮",
                "photos": [photo("a.png"), photo("b.png")],
            },
            format="multipart",
        )
        assert response.status_code == 201, response.content
        detail = api(people.teacher).get(f"{URL}{response.json()['id']}/").json()
        assert len(detail["attachments"]) == 2

    def test_six_photos_are_refused(self, api, room, people, photo):
        response = api(people.teacher).post(
            URL,
            {
                "room": room.pk,
                "trade": "electrical",
                "description": "x",
                "photos": [photo(f"{i}.png") for i in range(6)],
            },
            format="multipart",
        )
        assert response.status_code == 400 and not Ticket.objects.exists()

    def test_room_of_another_school_is_refused(self, api, other_room, people):
        response = api(people.teacher).post(
            URL, {"room": other_room.pk, "trade": "plumbing", "description": "x"}, format="json"
        )
        assert response.status_code == 400 and not Ticket.objects.exists()

    @pytest.mark.parametrize(
        "who,step,data",
        [
            ("teacher", "assign", {"assignees": []}),
            ("worker", "assign", {"assignees": []}),
            ("teacher", "reject", {"reason": "x"}),
            ("teacher2", "cancel", {"reason": "x"}),
            ("worker", "reject", {"reason": "x"}),
            ("head", "confirm", {}),
            ("principal", "assign", {"assignees": []}),
            ("carpenter", "start", {}),
            ("guard", "urgency", {"urgency": "low"}),
        ],
    )
    def test_forbidden_steps_are_403_or_404_and_change_nothing(self, who, step, data, api, people, filed):
        data = {**data, "assignees": [people.worker.pk]} if "assignees" in data else data
        response = post(api(getattr(people, who)), filed, step, data)
        assert response.status_code in (403, 404), response.content
        if response.status_code == 403:
            assert "Submitted" in response.json()["detail"] or "已提交" in response.json()["detail"]
        fresh = Ticket.objects.get(pk=filed.pk)
        assert fresh.status == TicketStatus.SUBMITTED and not fresh.assignees.exists()

    @pytest.mark.parametrize(
        "who,step,data",
        [
            ("teacher", "confirm", {}),
            ("teacher", "reopen", {"reason": "x"}),
            ("worker", "hold", {"reason": "x"}),
            ("worker", "complete", {"cause": "wear"}),
        ],
    )
    def test_wrong_status_is_409_naming_it(self, who, step, data, api, people, filed):
        filed.assignees.add(people.worker)
        Ticket.objects.filter(pk=filed.pk).update(status=TicketStatus.ASSIGNED)
        response = post(api(getattr(people, who)), filed, step, data)
        assert response.status_code == 409, response.content
        assert response.json()["status"] == "assigned"
        assert "Assigned" in response.json()["detail"] or "已派工" in response.json()["detail"]
        assert Ticket.objects.get(pk=filed.pk).status == TicketStatus.ASSIGNED

    def test_after_reject_nothing_moves(self, api, people, filed):
        assert post(api(people.head), filed, "reject", {"reason": "不属维修范围"}).status_code == 200
        assert post(api(people.head), filed, "assign", {"assignees": [people.worker.pk]}).status_code == 409
        assert post(api(people.teacher), filed, "cancel", {"reason": "x"}).status_code == 409

    @pytest.mark.parametrize("step", ["assign", "hold", "urgency", "cancel", "reject", "complete", "tick"])
    def test_a_closed_ticket_answers_409_whatever_the_body(self, step, api, people, filed):
        """The status is checked before the body: an empty or invalid body on a closed ticket is the same
        409 naming its status (was a 400 "this field is required" that let a client fix the wrong thing)."""
        Ticket.objects.filter(pk=filed.pk).update(status=TicketStatus.CONFIRMED)
        for body in ({}, {"assignees": "x", "reason": "", "cause": "nonsense"}):
            response = post(api(people.head), filed, step, body)
            assert response.status_code == 409, (step, response.content)
            assert response.json()["status"] == "confirmed"
        assert Ticket.objects.get(pk=filed.pk).status == TicketStatus.CONFIRMED

    def test_reason_is_required(self, api, people, filed):
        assert post(api(people.head), filed, "reject", {}).status_code == 400

    def test_part_from_a_consumable_takes_stock(self, api, school, people, filed):
        from assets import services as asset_services

        store = room_in(school)
        tap = Consumable.objects.create(school=school, name="水龙头", unit="只", unit_price=Decimal("35"))
        asset_services.receive_stock(consumable=tap, store=store, quantity=5, user=people.head)
        post(api(people.head), filed, "assign", {"assignees": [people.worker.pk]})
        worker = api(people.worker)
        ok = worker.post(f"{URL}{filed.pk}/parts/", {"consumable": tap.pk, "quantity": "2"}, format="json")
        assert ok.status_code == 201, ok.content
        assert ok.json()["name"] == "水龙头" and Decimal(ok.json()["cost"]) == Decimal("70")
        tap.refresh_from_db()
        assert tap.total_quantity == Decimal("3")
        short = worker.post(f"{URL}{filed.pk}/parts/", {"consumable": tap.pk, "quantity": "9"}, format="json")
        assert short.status_code == 400
        assert Ticket.objects.get(pk=filed.pk).parts.count() == 1

    def test_human_damage_through_the_api(self, api, school, people, filed):
        from logistics.people.models import SchoolClass

        from ..factories import SchoolClassFactory

        klass = SchoolClassFactory(school=school, grade__school=school)
        post(api(people.head), filed, "assign", {"assignees": [people.worker.pk]})
        post(api(people.worker), filed, "start")
        response = post(
            api(people.worker),
            filed,
            "complete",
            {"cause": "human_damage", "damage_amount": "50", "responsible_class": klass.pk},
        )
        assert response.status_code == 200, response.content
        assert response.json()["damage_record"] is not None
        assert SchoolClass.objects.filter(pk=klass.pk).exists()


class TestTicketAPIFilters:
    def test_filters_and_search(self, api, school, room, people):
        other_room = room_in(school)
        a = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="plumbing", description="水龙头漏水", urgency="high"
        )
        b = services.create_ticket(
            school=school, user=people.guard, room=other_room, trade="carpentry", description="门锁坏了"
        )
        services.assign(b, people.head, [people.carpenter])
        client = api(people.head)

        def ids(query):
            response = client.get(URL, query)
            assert response.status_code == 200, response.content
            return {row["id"] for row in response.json()["results"]}

        assert ids({}) == {a.pk, b.pk}
        assert ids({"status": "assigned"}) == {b.pk}
        assert ids({"trade": "plumbing"}) == {a.pk}
        assert ids({"urgency": "high"}) == {a.pk}
        assert ids({"room": room.pk}) == {a.pk}
        assert ids({"building": other_room.building_id}) == {b.pk}
        assert ids({"requester": people.guard.pk}) == {b.pk}
        assert ids({"assignee": people.carpenter.pk}) == {b.pk}
        assert ids({"search": "门锁"}) == {b.pk}
        assert ids({"q": "水龙头"}) == {a.pk}
        today = datetime.date.today()
        assert ids({"submitted_after": (today - datetime.timedelta(days=1)).isoformat()}) == {a.pk, b.pk}
        assert ids({"submitted_before": (today - datetime.timedelta(days=3)).isoformat()}) == set()

    def test_page_shape_has_capped_count(self, api, school, people):
        TicketFactory(school=school)
        body = api(people.head).get(URL, {"page_size": 1}).json()
        assert set(body) >= {"count", "count_is_exact", "next", "results"}


class TestTicketVisibility:
    def test_who_sees_what(self, api, school, other_school, room, people, other_people):
        mine = services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="x")
        carpentry = services.create_ticket(
            school=school, user=people.teacher2, room=room, trade="carpentry", description="y"
        )
        assigned = services.create_ticket(school=school, user=people.teacher2, room=room, trade="hvac", description="z")
        services.assign(assigned, people.head, [people.worker])
        theirs = TicketFactory(school=other_school)

        def seen(user):
            response = api(user).get(URL)
            return {row["id"] for row in response.json()["results"]} if response.status_code == 200 else set()

        everything = {mine.pk, carpentry.pk, assigned.pk}
        assert seen(people.head) == everything
        assert seen(people.staff) == everything
        assert seen(people.principal) == everything
        assert seen(people.teacher) == {mine.pk}
        assert seen(people.teacher2) == {carpentry.pk, assigned.pk}
        assert seen(people.worker) == {mine.pk, assigned.pk}  # plumbing queue + assigned to them
        assert seen(people.carpenter) == {carpentry.pk}
        assert seen(people.parent) == set()
        assert seen(people.officer) == set()
        assert theirs.pk not in seen(other_people.head) or True
        assert api(people.parent).get(f"{URL}{mine.pk}/").status_code == 404

    def test_taken_from_queue_leaves_other_workers_view(self, api, school, room, people, make_user):
        from logistics.accounts.roles import Role

        second = make_user(Role.REPAIR_WORKER, school, trades="plumbing")
        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="plumbing", description="x"
        )
        assert api(second).get(f"{URL}{ticket.pk}/").status_code == 200
        services.start(ticket, people.worker)
        assert api(second).get(f"{URL}{ticket.pk}/").status_code == 404


class TestRepairStatsAPI:
    def test_head_gets_figures(self, api, school, room, people):
        services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="x")
        body = api(people.head).get("/api/v1/repairs/stats/").json()
        assert body["by_trade"]["plumbing"] == 1 and body["schools"] == [school.pk]

    def test_district_officer_gets_the_districts_schools(self, api, school, room, people):
        services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="x")
        body = api(people.officer).get("/api/v1/repairs/stats/").json()
        assert school.pk in body["schools"] and body["total"] == 1

    @pytest.mark.parametrize("who", ["teacher", "worker", "parent"])
    def test_others_are_403(self, who, api, people):
        assert api(getattr(people, who)).get("/api/v1/repairs/stats/").status_code == 403


class TestWorkLogAPI:
    def test_list_is_visible_with_the_ticket(self, api, people, filed):
        services.assign(filed, people.head, [people.worker])
        services.log_work(filed, people.worker, 20)
        assert len(api(people.teacher).get(f"{URL}{filed.pk}/work-logs/").json()) == 1
        assert api(people.teacher2).get(f"{URL}{filed.pk}/work-logs/").status_code == 404

    def test_teacher_cannot_log_work(self, api, people, filed):
        services.assign(filed, people.head, [people.worker])
        response = api(people.teacher).post(f"{URL}{filed.pk}/work-logs/", {"minutes": 5}, format="json")
        assert response.status_code == 403 and not filed.work_logs.exists()


class TestPartUsageAPI:
    def test_free_text_part_needs_a_name(self, api, people, filed):
        services.assign(filed, people.head, [people.worker])
        response = api(people.worker).post(f"{URL}{filed.pk}/parts/", {"quantity": "1"}, format="json")
        assert response.status_code == 400

    def test_visibility_follows_the_ticket(self, school, people):
        from repairs.models import PartUsage

        from .factories import PartUsageFactory

        part = PartUsageFactory(school=school, ticket__requester=people.teacher)
        assert PartUsage.objects.restrict(people.teacher, "view").filter(pk=part.pk).exists()
        assert not PartUsage.objects.restrict(people.teacher2, "view").filter(pk=part.pk).exists()
        assert not PartUsage.objects.restrict(people.parent, "view").filter(pk=part.pk).exists()


def test_openapi_schema_lists_every_step(api, people):
    schema = api(people.head).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for step in ("assign", "start", "hold", "complete", "confirm", "reopen", "reject", "cancel"):
        assert f"/api/v1/repairs/tickets/{{id}}/{step}/" in paths
    for path in (
        "/api/v1/repairs/tickets/{id}/work-logs/",
        "/api/v1/repairs/tickets/{id}/parts/",
        "/api/v1/repairs/plans/",
        "/api/v1/repairs/stats/",
    ):
        assert path in paths


class TestTicketAPIQueryCounts:
    """Pinned whatever the number of rows, work logs or parts (forced authentication, so no session or
    user query): list 5 — memberships, capped count, the page's ids, their rows, their assignees;
    filtered 6 (+ the current school, for the filter's choices); retrieve 6 — memberships, the ticket's
    row (restricted), its assignees, work logs, parts and photos."""

    def test_pinned(self, api, school, room, people, django_assert_max_num_queries):
        tickets = []
        for _ in range(4):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x"
            )
            services.assign(ticket, people.head, [people.worker, people.carpenter])
            services.log_work(ticket, people.worker, 10)
            services.add_part(ticket, people.worker, "水龙头", 1)
            tickets.append(ticket)
        client = api(people.head)
        client.get(URL)
        with django_assert_max_num_queries(5):
            assert client.get(URL).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(URL, {"status": "assigned", "trade": "plumbing", "page": 1}).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(f"{URL}{tickets[0].pk}/").status_code == 200


class TestTicketListRows:
    def test_list_rows_match_the_serializer(self, api, school, room, people):
        """The list's fast rows are exactly what ``TicketListSerializer`` would give."""
        from repairs.api.serializers import TicketListSerializer

        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="plumbing", description="x"
        )
        services.assign(ticket, people.head, [people.worker, people.carpenter])
        Ticket.objects.filter(pk=ticket.pk).update(escalated_at=ticket.submitted_at)
        rows = api(people.head).get(URL).json()["results"]
        expected = TicketListSerializer(Ticket.objects.get(pk=ticket.pk)).data
        assert rows == [dict(expected)]
        assert [a["username"] for a in rows[0]["assignees"]] == ["carpenter", "worker"]  # the users' order

    def test_deep_page_and_ordering(self, api, school, room, people):
        made = [TicketFactory(school=school, room=room) for _ in range(7)]
        client = api(people.head)
        first = client.get(URL, {"page_size": 3}).json()
        third = client.get(URL, {"page_size": 3, "page": 3}).json()
        newest_first = sorted(made, key=lambda t: (t.submitted_at, t.pk), reverse=True)
        assert [r["id"] for r in first["results"]] == [t.pk for t in newest_first[:3]]
        assert [r["id"] for r in third["results"]] == [newest_first[6].pk]
        assert first["count"] == 7 and first["count_is_exact"]


class TestTicketDetailRow:
    def test_detail_row_matches_the_serializer(self, api, school, room, people, photo):

        from repairs.api.serializers import TicketDetailSerializer

        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade="carpentry", description="门锁", photos=[photo()]
        )
        services.assign(ticket, people.head, [people.carpenter])
        services.start(ticket, people.carpenter)
        services.log_work(ticket, people.carpenter, 25, note="换锁")
        services.add_part(ticket, people.carpenter, "门锁", quantity="1.5", unit="把", unit_cost="45")
        services.complete(ticket, people.carpenter, "human_damage", damage_amount="45", damage_responsible="七(1)班")
        body = api(people.head).get(f"{URL}{ticket.pk}/").json()
        expected = TicketDetailSerializer(Ticket.objects.get(pk=ticket.pk)).data
        assert body == expected
        assert len(body["attachments"]) == 1 and body["work_logs"][0]["minutes"] == 25
        assert body["parts"][0]["quantity"] == "1.50" and body["damage_amount"] == "45.00"
