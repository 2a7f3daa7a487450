"""Leave passes: asked for by the class teacher or a guardian, approved by the class teacher and the
duty leader of the day, refused at the gate when not approved (with the reason), out and back with
the guardians told, a boarder not back told once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.notifications.models import Notification
from logistics.workflow import StepNotAllowed, guard
from safety import passes
from safety.choices import PassStatus
from safety.models import DutyLeader, LeavePass

from ..factories import GuardianLinkFactory, SchoolClassFactory, StudentFactory

pytestmark = pytest.mark.django_db
P = PassStatus


@pytest.fixture
def family(school, people, make_user):
    teacher = people.teacher
    school_class = SchoolClassFactory(grade__school=school, head_teacher=teacher, name="初二(3)班")
    student = StudentFactory(school=school, school_class=school_class, name="李小明", boarding=True)
    parent = make_user(Role.PARENT, school, username="mum")
    GuardianLinkFactory(school=school, student=student, guardian=parent)
    leader = make_user(Role.TEACHER, school, username="leader")
    DutyLeader.objects.create(school=school, day=timezone.localdate(), leader=leader)
    return student, parent, leader


def ask(student, actor, hours=2):
    now = timezone.now()
    return passes.request_pass(
        student=student,
        actor=actor,
        reason="发烧去医院",
        leave_at=now,
        return_by=now + datetime.timedelta(hours=hours),
        picked_up_by="母亲",
    )


class TestLeavePass:
    def test_both_approve_then_out_and_back_with_the_guardian_told(self, school, people, family):
        student, parent, leader = family
        leave_pass = ask(student, parent)
        assert Notification.objects.filter(recipient=people.teacher, object_id=leave_pass.pk).exists()
        guard.run(leave_pass, "approve", people.teacher)
        assert leave_pass.status == P.REQUESTED and "duty leader" in str(passes.why_not_usable(leave_pass))
        with pytest.raises(StepNotAllowed):
            guard.run(leave_pass, "check_out", people.guard)  # not approved: refused at the gate
        guard.run(leave_pass, "approve", leader)
        assert leave_pass.status == P.APPROVED and passes.why_not_usable(leave_pass) == ""
        guard.run(leave_pass, "check_out", people.guard)
        guard.run(leave_pass, "check_in", people.guard)
        assert leave_pass.status == P.BACK
        titles = list(Notification.objects.filter(recipient=parent).values_list("title", flat=True))
        assert any("left school" in t for t in titles) and any("back at school" in t for t in titles)

    def test_only_the_class_teacher_or_a_guardian_asks(self, school, people, family):
        student, parent, leader = family
        with pytest.raises(PermissionDenied):
            ask(student, leader)  # another teacher
        assert ask(student, people.teacher).requested_by == people.teacher

    def test_someone_else_cannot_approve(self, school, people, family, make_user):
        student, parent, leader = family
        leave_pass = ask(student, parent)
        with pytest.raises(PermissionDenied):
            guard.run(leave_pass, "approve", make_user(Role.TEACHER, school))
        with pytest.raises(PermissionDenied):
            guard.run(leave_pass, "approve", parent)

    def test_refused_pass_says_why_at_the_gate(self, school, people, family, login):
        student, parent, leader = family
        leave_pass = ask(student, parent)
        guard.run(leave_pass, "reject", leader, reason="家长未到校")
        page = login(people.guard).get(reverse("safety:pass_gate") + "?q=李").content.decode()
        assert "李小明" in page and "家长未到校" in page
        detail = login(people.guard).get(leave_pass.get_absolute_url()).content.decode()
        assert 'data-testid="refusal"' in detail and "check-out" not in detail

    def test_a_boarder_not_back_is_told_once(self, school, people, family):
        student, parent, leader = family
        leave_pass = ask(student, parent, hours=1)
        guard.run(leave_pass, "approve", people.teacher)
        guard.run(leave_pass, "approve", leader)
        guard.run(leave_pass, "check_out", people.guard)
        later = timezone.now() + datetime.timedelta(hours=3)
        assert passes.tell_not_back(later) == 1
        assert passes.tell_not_back(later) == 0
        for user in (people.teacher, parent):
            assert Notification.objects.filter(recipient=user, title__contains="not back").count() == 1

    def test_who_sees_which(self, school, people, family, make_user):
        student, parent, leader = family
        leave_pass = ask(student, parent)
        seen = lambda user: set(LeavePass.objects.restrict(user, "view").values_list("pk", flat=True))  # noqa: E731
        for user in (people.teacher, parent, leader, people.guard, people.head, people.principal):
            assert seen(user) == {leave_pass.pk}, user.username
        assert seen(make_user(Role.TEACHER, school)) == set()
        assert seen(make_user(Role.PARENT, school)) == set()

    def test_the_guardian_sees_the_qr_once_approved(self, school, people, family, login):
        student, parent, leader = family
        leave_pass = ask(student, parent)
        assert 'data-testid="pass-qr"' not in login(parent).get(leave_pass.get_absolute_url()).content.decode()
        guard.run(leave_pass, "approve", people.teacher)
        guard.run(leave_pass, "approve", leader)
        assert 'data-testid="pass-qr"' in login(parent).get(leave_pass.get_absolute_url()).content.decode()
        response = login(people.guard).get(reverse("safety:pass_scan", args=[leave_pass.token]))
        assert response.status_code == 302 and response["Location"] == leave_pass.get_absolute_url()

    def test_api_actions(self, school, people, family, api):
        student, parent, leader = family
        now = timezone.now()
        response = api(parent).post(
            "/api/v1/safety/leave-passes/",
            {
                "student": student.pk,
                "reason": "看病",
                "leave_at": now.isoformat(),
                "return_by": (now + datetime.timedelta(hours=3)).isoformat(),
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        assert (
            api(people.guard).post(f"/api/v1/safety/leave-passes/{pk}/check-out/", {}, format="json").status_code == 409
        )
        api(people.teacher).post(f"/api/v1/safety/leave-passes/{pk}/approve/", {}, format="json")
        response = api(leader).post(f"/api/v1/safety/leave-passes/{pk}/approve/", {}, format="json")
        assert response.json()["status"] == "approved" and response.json()["usable_at_gate"] is True
        assert (
            api(people.guard).post(f"/api/v1/safety/leave-passes/{pk}/check-out/", {}, format="json").json()["status"]
            == "out"
        )


class TestDutyLeader:
    def test_one_leader_a_day(self, school, people, family):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            DutyLeader.objects.create(school=school, day=timezone.localdate(), leader=people.head)
