"""Hazards: the platform's closed loop under the safety app — reported by anyone on staff, verified by
someone other than the rectifier, major ones to the district, a repair ticket opened through the
repairs service, the register as XLSX."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from logistics.corrective.models import CorrectiveAction
from logistics.workflow import guard
from safety import hazards
from safety.models import Hazard

pytestmark = pytest.mark.django_db


def report(school, user, **kwargs):
    kwargs.setdefault("title", "配电房门锁损坏")
    kwargs.setdefault("place", "配电房")
    return hazards.report_hazard(school=school, actor=user, **kwargs)


def soon(days=3):
    return timezone.localdate() + datetime.timedelta(days=days)


class TestHazard:
    def test_the_loop_through_the_hazard(self, school, people):
        hazard = report(school, people.guard)
        assert isinstance(hazard, Hazard) and hazard.origin == "safety.hazard"
        guard.run(hazard, "assign", people.head, owner=people.staff, deadline=soon(), measures="更换门锁")
        guard.run(hazard, "rectify", people.staff, rectification="已更换")
        with pytest.raises(ValidationError):
            guard.run(hazard, "verify", people.staff)  # the rectifier (staff may verify, but not their own)
        guard.run(hazard, "verify", people.head)
        guard.run(hazard, "close", people.head)
        assert hazard.status == "closed"

    def test_only_safety_origins_are_hazards(self, school, people):
        from logistics.corrective.services import open_action

        open_action(school=school, actor=people.head, origin="corrective.report", title="别的事", place="x")
        report(school, people.guard)
        assert Hazard.objects.count() == 1 and CorrectiveAction.objects.count() == 2

    def test_who_sees_which(self, school, other_school, people, make_user):
        general = report(school, people.guard)
        major = report(school, people.head, level="major")
        seen = lambda user: set(Hazard.objects.restrict(user, "view").values_list("pk", flat=True))  # noqa: E731
        assert seen(people.head) == seen(people.principal) == {general.pk, major.pk}
        assert seen(people.guard) == {general.pk}
        assert seen(people.officer) == {major.pk}  # 挂牌督办: the district follows the major ones
        assert seen(people.parent) == seen(people.teacher) == set()
        from logistics.accounts.roles import Role

        assert seen(make_user(Role.LOGISTICS_HEAD, other_school)) == set()

    def test_people_filters_list_staff_only_and_nobody_to_a_parent(self, school, people, login):
        """The lists' person filters (responsible person, guard): the school's staff, never its parents;
        a parent gets no names at all (PIPL)."""
        from safety.filtersets import HazardFilterSet, PatrolRoundFilterSet

        def names(user, filterset, field):
            request = login(user).get(reverse("safety:hazard_list")).wsgi_request
            request.user, request.school = user, school
            return set(filterset(request=request).form.fields[field].queryset)

        for filterset, field in ((HazardFilterSet, "owner"), (PatrolRoundFilterSet, "guard")):
            seen = names(people.head, filterset, field)
            assert people.staff in seen and people.guard in seen and people.parent not in seen
            assert names(people.parent, filterset, field) == set()
        page = login(people.parent).get(reverse("safety:patrolround_list"))
        assert people.staff.display_name not in page.content.decode()

    def test_parents_cannot_report(self, school, people):
        with pytest.raises(PermissionDenied):
            report(school, people.parent)

    def test_a_repair_ticket_from_a_hazard(self, school, room, people):
        hazard = report(school, people.guard, place=room)
        ticket = hazards.open_repair_ticket(hazard, people.head, room=room, trade="electrical")
        assert ticket.description.startswith(hazard.reference)
        assert [link.ticket for link in hazards.tickets_of(hazard)] == [ticket]
        with pytest.raises(PermissionDenied):
            hazards.open_repair_ticket(hazard, people.guard, room=room, trade="electrical")

    def test_the_register_xlsx(self, school, people, login):
        hazard = report(school, people.guard, description="锁芯松动")
        guard.run(hazard, "assign", people.head, owner=people.staff, deadline=soon(), measures="更换门锁")
        report(school, people.guard, title="消防通道堆物")
        response = login(people.head).get(reverse("safety:hazard_list") + "?export=register")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert school.name in rows[0][0]
        body = [r for r in rows[3:] if r[0]]
        assert len(body) == 2 and body[0][1] == hazard.reference and "锁芯松动" in body[0][4]
        assert body[0][7] == "更换门锁" and body[0][8] == str(people.staff)


class TestHazardPages:
    def test_list_query_count_does_not_grow(self, school, people, login, django_assert_max_num_queries):
        client = login(people.head)
        url = reverse("safety:hazard_list")
        report(school, people.guard)
        client.get(url)
        with django_assert_max_num_queries(25) as few:
            assert client.get(url).status_code == 200
        for n in range(5):
            report(school, people.guard, title=f"隐患{n}", owner=people.staff, deadline=soon())
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert "隐患4" in client.get(url).content.decode()

    def test_report_page_and_detail(self, school, room, people, login, photo):
        client = login(people.guard)
        response = client.post(
            reverse("safety:hazard_add"), {"title": "围墙裂缝", "spot": "东围墙", "level": "general", "photo": photo()}
        )
        hazard = Hazard.objects.get()
        assert response.status_code == 302 and response["Location"] == hazard.get_absolute_url()
        page = login(people.head).get(hazard.get_absolute_url()).content.decode()
        assert "围墙裂缝" in page and reverse("safety:hazard_step", args=[hazard.pk, "assign"]) in page
        assert reverse("safety:hazard_repair_ticket", args=[hazard.pk]) in page


class TestHazardApi:
    def test_report_and_steps(self, school, people, api):
        base = "/api/v1/safety/hazards/"
        response = api(people.guard).post(base, {"title": "灭火器过期", "spot": "宿舍楼二楼"}, format="json")
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        assert response.json()["origin"] == "safety.hazard"
        head = api(people.head)
        response = head.post(
            f"{base}{pk}/assign/", {"owner": people.staff.pk, "deadline": soon().isoformat()}, format="json"
        )
        assert response.status_code == 200 and response.json()["status"] == "assigned"
        assert (
            api(people.staff).post(f"{base}{pk}/rectify/", {"rectification": "已更换"}, format="json").status_code
            == 200
        )
        assert (
            head.post(f"{base}{pk}/reject-verification/", {"reason": "型号不对"}, format="json").json()["status"]
            == "assigned"
        )
        assert api(people.guard).get(f"{base}{pk}/").status_code == 200
        assert api(people.parent).get(f"{base}{pk}/").status_code in (403, 404)

    def test_repair_ticket_action(self, school, room, people, api):
        hazard = report(school, people.guard, place=room)
        url = f"/api/v1/safety/hazards/{hazard.pk}/repair-ticket/"
        assert api(people.guard).post(url, {"room": room.pk, "trade": "electrical"}, format="json").status_code in (
            403,
            404,
        )
        response = api(people.head).post(url, {"room": room.pk, "trade": "electrical"}, format="json")
        assert response.status_code == 201 and response.json()["repair_tickets"][0]["status"] == "submitted"


class TestHazardTicket:
    def test_one_ticket_links_one_hazard(self, school, room, people):
        from django.db import IntegrityError, transaction

        from safety.models import HazardTicket

        hazard = report(school, people.guard, place=room)
        ticket = hazards.open_repair_ticket(hazard, people.head, room=room, trade="electrical")
        other = report(school, people.guard, title="另一个", place=room)
        with pytest.raises(IntegrityError), transaction.atomic():
            HazardTicket.objects.create(school=school, hazard_id=other.pk, ticket=ticket)
