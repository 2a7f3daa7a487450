"""Leave passes: asked for by the class teacher or a guardian, approved by the class teacher and the
duty leader of the day, refused at the gate when not approved (with the reason), out and back with
the guardians told, a boarder not back told once."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from logistics.accounts.roles import Role
from logistics.notifications.models import Notification
from logistics.workflow import StepNotAllowed, guard
from safety import passes
from safety.choices import PassStatus
from safety.models import DutyLeader, LeavePass

from ..factories import GuardianLinkFactory, SchoolClassFactory, StudentFactory
from ..pages import page_text

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

    def test_the_approve_button_is_offered_only_while_an_approval_is_left(self, school, people, family):
        from logistics.workflow.guard import allowed_steps

        student, parent, leader = family
        leave_pass = ask(student, parent)
        assert "approve" in [s.name for s in allowed_steps(people.teacher, leave_pass)]
        guard.run(leave_pass, "approve", people.teacher)
        assert "approve" not in [s.name for s in allowed_steps(people.teacher, leave_pass)]
        assert "approve" in [s.name for s in allowed_steps(leader, leave_pass)]

    def test_only_the_class_teacher_or_a_guardian_asks(self, school, people, family):
        student, parent, leader = family
        with pytest.raises(PermissionDenied):
            ask(student, leader)  # another teacher
        assert ask(student, people.teacher).requested_by == people.teacher

    def test_the_form_lists_only_the_students_one_may_ask_for(self, school, people, family, login):
        """A subject teacher sees the roll of a class they teach, but the pass form offers only the
        classes they head; a parent is offered their own child; a student who left is offered to none."""
        student, parent, leader = family
        other = SchoolClassFactory(grade__school=school, head_teacher=leader, name="初一(1)班")
        other.teachers.add(people.teacher)  # 任课, not 班主任
        StudentFactory(school=school, school_class=other, name="王小红")
        StudentFactory(school=school, school_class=other, name="赵小刚", active=False)
        url = reverse("safety:leavepass_add")
        offered = {who.username: page_text(login(who).get(url)) for who in (people.teacher, parent, leader)}
        assert "李小明" in offered["teacher"] and "王小红" not in offered["teacher"]
        assert "李小明" in offered["mum"] and "王小红" not in offered["mum"]
        assert "王小红" in offered["leader"] and "李小明" not in offered["leader"] and "赵小刚" not in offered["leader"]
        # and a student not offered is refused when posted all the same
        client = login(people.teacher)
        now = timezone.localtime()
        refused = client.post(
            url,
            {
                "student": other.students.get(name="王小红").pk,
                "reason": "看病",
                "leave_at": now.strftime("%Y-%m-%dT%H:%M"),
                "return_by": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert refused.status_code == 400 and not LeavePass.objects.filter(student__name="王小红").exists()

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


class TestPassAtTheGate:
    """An approved pass is good on its own day, until its expected return; the guard's list holds today's."""

    def approved_for(self, school, people, family, make_user, leave_at, hours=2):
        student, parent, leader = family
        DutyLeader.objects.get_or_create(
            school=school, day=timezone.localdate(leave_at), defaults={"leader": make_user(Role.TEACHER, school)}
        )
        leave_pass = passes.request_pass(
            student=student,
            actor=parent,
            reason="复诊",
            leave_at=leave_at,
            return_by=leave_at + datetime.timedelta(hours=hours),
        )
        duty = DutyLeader.objects.get(school=school, day=timezone.localdate(leave_at)).leader
        guard.run(leave_pass, "approve", people.teacher)
        guard.run(leave_pass, "approve", duty)
        assert leave_pass.status == P.APPROVED
        return leave_pass

    def test_a_pass_for_another_day_is_refused_with_its_date(self, school, people, family, make_user, login):
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        leave_pass = self.approved_for(school, people, family, make_user, tomorrow)
        day = f"{timezone.localtime(tomorrow).date():%Y-%m-%d}"
        assert day in passes.why_not_usable(leave_pass)
        with pytest.raises(PermissionDenied):  # not one of the guard's passes today
            guard.run(leave_pass, "check_out", people.guard)
        leave_pass.refresh_from_db()
        assert leave_pass.status == P.APPROVED and leave_pass.out_at is None
        client = login(people.guard)
        listing = client.get(reverse("safety:pass_gate")).content.decode()
        assert "李小明" not in listing  # not today's
        scanned = client.get(reverse("safety:pass_gate") + f"?code={leave_pass.token}").content.decode()
        assert 'data-testid="pass-other-day"' in scanned and day in scanned
        opened = client.get(f"/safety/p/{leave_pass.token}/")
        assert opened.status_code == 302 and f"code={leave_pass.token}" in opened["Location"]
        assert login(people.guard).get(leave_pass.get_absolute_url()).status_code == 404

    def test_a_pass_past_its_return_time_is_refused_on_the_page_and_the_api(
        self, school, people, family, make_user, api, login
    ):
        noon = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
        with time_machine.travel(noon - datetime.timedelta(hours=3), tick=False):
            leave_pass = self.approved_for(school, people, family, make_user, timezone.now(), hours=1)
        with time_machine.travel(noon, tick=False):
            assert "expected back by 10:00" in passes.why_not_usable(leave_pass)
            page = login(people.guard).get(leave_pass.get_absolute_url()).content.decode()
            assert 'data-testid="refusal"' in page and "10:00" in page
            response = api(people.guard).post(
                f"/api/v1/safety/leave-passes/{leave_pass.pk}/check-out/", {}, format="json"
            )
        assert response.status_code == 400, response.content
        assert "10:00" in response.json()["detail"]  # 此请假单已过期：学生应在 10:00 前返校
        leave_pass.refresh_from_db()
        assert leave_pass.status == P.APPROVED and leave_pass.out_at is None

    def test_no_duty_leader_that_day_tells_the_head_once(self, school, people, family):
        student, parent, leader = family
        later = timezone.now() + datetime.timedelta(days=5)
        for _n in range(2):
            passes.request_pass(
                student=student,
                actor=parent,
                reason="看病",
                leave_at=later,
                return_by=later + datetime.timedelta(hours=1),
            )
        told = Notification.objects.filter(recipient=people.head, title__contains="No duty leader")
        assert told.count() == 1 and told.get().url == reverse("safety:dutyleader_list")


def test_a_pass_for_a_day_that_has_passed_is_refused(school, people, family):
    student, parent, leader = family
    yesterday = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        passes.request_pass(
            student=student,
            actor=parent,
            reason="看病",
            leave_at=yesterday,
            return_by=yesterday + datetime.timedelta(hours=1),
        )
    assert "leave_at" in refused.value.message_dict and not LeavePass.objects.exists()
