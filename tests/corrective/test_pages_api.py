"""The corrective-action pages and API: the register (query count pinned), reporting one, the step
panel, the API actions with their request bodies and refusals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.corrective import services
from logistics.corrective.choices import ActionStatus
from logistics.corrective.models import CorrectiveAction

from ..pages import page_text

pytestmark = pytest.mark.django_db

S = ActionStatus


def report(school, user, **kwargs):
    kwargs.setdefault("title", "消防通道堆放杂物")
    kwargs.setdefault("place", "教学楼一楼东侧")
    return services.open_action(school=school, actor=user, origin="corrective.report", **kwargs)


class TestCorrectiveActionPages:
    def test_list_query_count_does_not_grow(self, school, people, login, django_assert_max_num_queries):
        client = login(people.head)
        url = reverse("corrective:correctiveaction_list")
        report(school, people.guard)
        client.get(url)
        with django_assert_max_num_queries(20) as few:
            assert client.get(url).status_code == 200
        for n in range(6):
            report(school, people.guard, title=f"问题{n}", owner=people.staff, deadline=timezone.localdate())
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        text = response.content.decode()
        assert "问题5" in text and "消防通道堆放杂物" in text

    def test_report_from_the_phone_keeps_input_on_error(self, school, people, login, photo):
        client = login(people.guard)
        url = reverse("corrective:correctiveaction_add")
        assert client.get(url).status_code == 200
        response = client.post(url, {"origin": "corrective.report", "title": "灭火器过期", "level": "general"})
        assert response.status_code == 400
        assert "灭火器过期" in response.content.decode()  # kept
        assert not CorrectiveAction.objects.exists()
        response = client.post(
            url,
            {
                "origin": "corrective.report",
                "title": "灭火器过期",
                "spot": "宿舍楼二楼",
                "level": "general",
                "photo": photo(),
            },
        )
        action = CorrectiveAction.objects.get()
        assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
        assert action.found_by == people.guard and action.spot == "宿舍楼二楼"

    def test_parents_cannot_report(self, school, people, login):
        assert login(people.parent).get(reverse("corrective:correctiveaction_add")).status_code == 403

    def test_detail_panel_and_step_page(self, school, people, login):
        action = report(school, people.guard)
        client = login(people.head)
        page = client.get(action.get_absolute_url()).content.decode()
        assert reverse("corrective:correctiveaction_step", args=[action.pk, "assign"]) in page
        deadline = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        url = reverse("corrective:correctiveaction_step", args=[action.pk, "assign"])
        response = client.post(
            url, {"assign-owner": people.staff.pk, "assign-measures": "清理", "assign-deadline": deadline}
        )
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == S.ASSIGNED and action.owner == people.staff

    def test_the_assign_page_grades_the_hazard(self, school, people, login):
        """The level is on the assign page with the current one chosen; raised to major without a plan the
        page answers in words and nothing changes; with the plan it is major."""
        action = report(school, people.guard)
        client = login(people.head)
        url = reverse("corrective:correctiveaction_step", args=[action.pk, "assign"])
        page = page_text(client.get(url))
        assert 'name="assign-level"' in page and '<option value="general" selected>' in page
        deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
        body = {"assign-owner": people.staff.pk, "assign-measures": "加固", "assign-deadline": deadline}
        refused = client.post(url, {**body, "assign-level": "major"})
        assert refused.status_code == 400 and "应急预案" in page_text(refused)
        action.refresh_from_db()
        assert action.level == "general" and action.status == S.FOUND
        done = client.post(url, {**body, "assign-level": "major", "assign-contingency_plan": "设警戒线"})
        assert done.status_code == 302
        action.refresh_from_db()
        assert action.level == "major" and action.contingency_plan == "设警戒线"

    def test_the_rectifier_is_not_offered_verification(self, school, people, login):
        action = report(school, people.head, owner=people.head, deadline=timezone.localdate())
        from logistics.workflow import guard

        guard.run(action, "rectify", people.head, rectification="已清理")
        client = login(people.head)
        page = client.get(action.get_absolute_url()).content.decode()
        assert reverse("corrective:correctiveaction_step", args=[action.pk, "verify"]) not in page
        response = client.post(reverse("corrective:correctiveaction_step", args=[action.pk, "verify"]), {})
        assert response.status_code == 400
        action.refresh_from_db()
        assert action.status == S.RECTIFIED

    def test_other_school_is_404(self, school, other_school, people, login, make_user):
        from logistics.accounts.roles import Role

        action = report(school, people.guard)
        outsider = make_user(Role.LOGISTICS_HEAD, other_school)
        assert login(outsider).get(action.get_absolute_url()).status_code == 404


class TestCorrectiveActionApi:
    def test_report_and_walk_the_loop(self, school, people, api):
        base = "/api/v1/corrective/actions/"
        response = api(people.guard).post(
            base, {"origin": "corrective.report", "title": "配电房门锁损坏", "spot": "配电房"}, format="json"
        )
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        head = api(people.head)
        deadline = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
        response = head.post(f"{base}{pk}/assign/", {"owner": people.staff.pk, "deadline": deadline}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "assigned"
        assert response.json()["level"] == "general"
        graded = {"owner": people.staff.pk, "deadline": deadline, "level": "major", "contingency_plan": "设警戒线"}
        assert head.post(f"{base}{pk}/assign/", {**graded, "level": "huge"}, format="json").status_code == 400
        response = head.post(f"{base}{pk}/assign/", graded, format="json")
        assert response.status_code == 200 and response.json()["level"] == "major"
        staff = api(people.staff)
        assert staff.post(f"{base}{pk}/rectify/", {"rectification": "已换锁"}, format="json").status_code == 200
        refused = staff.post(f"{base}{pk}/verify/", {}, format="json")
        assert refused.status_code in (400, 403)
        response = head.post(f"{base}{pk}/reject-verification/", {"reason": "锁芯仍松"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "assigned"
        assert staff.post(f"{base}{pk}/rectify/", {"rectification": "已换整套锁"}, format="json").status_code == 200
        assert head.post(f"{base}{pk}/verify/", {"note": "ok"}, format="json").status_code == 200
        response = head.post(f"{base}{pk}/close/", {}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "closed"
        assert head.post(f"{base}{pk}/close/", {}, format="json").status_code == 409

    def test_owner_of_another_school_refused(self, school, other_school, people, api, make_user):
        from logistics.accounts.roles import Role

        action = report(school, people.guard)
        stranger = make_user(Role.TEACHER, other_school)
        deadline = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
        response = api(people.head).post(
            f"/api/v1/corrective/actions/{action.pk}/assign/",
            {"owner": stranger.pk, "deadline": deadline},
            format="json",
        )
        assert response.status_code == 400
        action.refresh_from_db()
        assert action.status == S.FOUND

    def test_list_is_scoped(self, school, people, api):
        report(school, people.guard)
        report(school, people.head)
        assert api(people.guard).get("/api/v1/corrective/actions/").json()["count"] == 1
        assert api(people.head).get("/api/v1/corrective/actions/").json()["count"] == 2
        assert api(people.parent).get("/api/v1/corrective/actions/").status_code in (200, 403)
