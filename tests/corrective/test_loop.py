"""The platform's closed loop: found → assigned → rectified → verified (not by the rectifier) →
closed; sent back to rectification; escalations once per level; who sees and does what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from logistics.audit.models import ChangeRecord
from logistics.corrective import services
from logistics.corrective.choices import ActionStatus, Escalation
from logistics.corrective.models import CorrectiveAction
from logistics.corrective.photos import photos_of
from logistics.notifications.models import Notification
from logistics.reminders.services import scan
from logistics.tenancy import rules
from logistics.workflow import StepNotAllowed, guard

pytestmark = pytest.mark.django_db

S = ActionStatus
TODAY = timezone.localdate


def report(school, user, **kwargs):
    kwargs.setdefault("title", "围墙东侧铁丝网破损")
    kwargs.setdefault("place", "东侧围墙")
    return services.open_action(school=school, actor=user, origin="corrective.report", **kwargs)


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def assigned(school, people, **kwargs):
    return report(school, people.guard, owner=people.staff, deadline=TODAY() + datetime.timedelta(days=3), **kwargs)


class TestCorrectiveActionLoop:
    def test_the_whole_loop(self, school, room, people, photo):
        action = report(school, people.guard, place=room, photos=[photo()])
        assert action.reference.startswith("ZG-") and action.status == S.FOUND
        assert action.room == room and action.found_by == people.guard
        assert any("please assign" in t for t in titles(people.head))

        deadline = TODAY() + datetime.timedelta(days=5)
        guard.run(action, "assign", people.head, owner=people.staff, deadline=deadline, measures="更换铁丝网")
        assert action.status == S.ASSIGNED and action.owner == people.staff and action.deadline == deadline
        assert any("is yours" in t for t in titles(people.staff))

        guard.run(action, "rectify", people.staff, rectification="已更换", photo=photo("after.png"))
        assert action.status == S.RECTIFIED and action.rectified_by == people.staff
        guard.run(action, "verify", people.head, note="现场查看合格")
        assert action.status == S.VERIFIED and action.verified_by == people.head
        guard.run(action, "close", people.head)
        assert action.status == S.CLOSED and action.closed_at is not None
        events = list(
            ChangeRecord.objects.filter(object_id=action.pk, event__startswith="corrective.").values_list(
                "event", flat=True
            )
        )
        for event in ("corrective.found", "corrective.assigned", "corrective.rectified", "corrective.verified"):
            assert event in events
        assert {a.kind for a in photos_of(action)} == {"found", "rectified"}

    def test_assigned_straight_away_with_owner_and_deadline(self, school, people):
        action = assigned(school, people, measures="先拉警戒线")
        assert action.status == S.ASSIGNED and action.assigned_by == people.guard
        assert action.measures == "先拉警戒线"

    def test_the_rectifier_cannot_verify(self, school, people):
        action = assigned(school, people)
        action.owner = people.head  # the head rectifies it himself
        guard.run(action, "assign", people.head, owner=people.head, deadline=action.deadline)
        guard.run(action, "rectify", people.head, rectification="已修好")
        with pytest.raises(ValidationError, match="someone else"):
            guard.run(action, "verify", people.head)
        action.refresh_from_db()
        assert action.status == S.RECTIFIED and action.verified_by is None
        guard.run(action, "verify", people.staff)  # another person may
        assert action.status == S.VERIFIED

    def test_sent_back_goes_to_rectification_again(self, school, people):
        action = assigned(school, people)
        guard.run(action, "rectify", people.staff, rectification="临时绑扎")
        guard.run(action, "reject_verification", people.head, reason="只是临时处理，需更换")
        assert action.status == S.ASSIGNED and action.rejections == 1
        assert any("sent back" in t for t in titles(people.staff))
        guard.run(action, "rectify", people.staff, rectification="已整体更换")
        guard.run(action, "verify", people.head)
        assert action.status == S.VERIFIED

    def test_steps_out_of_order_are_refused(self, school, people):
        action = report(school, people.guard)
        with pytest.raises(StepNotAllowed):
            guard.run(action, "close", people.head)
        with pytest.raises(StepNotAllowed):
            guard.run(action, "rectify", people.head, rectification="x")

    def test_who_may_take_which_step(self, school, people):
        action = assigned(school, people)
        with pytest.raises(PermissionDenied):
            guard.run(action, "assign", people.teacher, owner=people.teacher, deadline=action.deadline)
        with pytest.raises(PermissionDenied):  # the guard found it but is not the owner
            guard.run(action, "rectify", people.guard, rectification="x")
        guard.run(action, "rectify", people.staff, rectification="done")
        with pytest.raises(PermissionDenied):
            guard.run(action, "verify", people.teacher)

    def test_the_owner_is_on_the_staff_and_the_form_offers_no_parent(self, school, people):
        from logistics.corrective.forms import AssignForm

        action = report(school, people.guard)
        with pytest.raises(ValidationError) as refused:
            guard.run(action, "assign", people.head, owner=people.parent, deadline=TODAY())
        assert "owner" in refused.value.message_dict
        action.refresh_from_db()
        assert action.status == S.FOUND and action.owner_id is None
        choices = AssignForm(obj=action, user=people.head, prefix="assign").fields["owner"].queryset
        assert people.staff in choices and people.parent not in choices and people.officer not in choices

    def test_the_owner_cannot_withdraw_it(self, school, people):
        action = report(school, people.guard, owner=people.staff, deadline=TODAY() + datetime.timedelta(days=3))
        with pytest.raises(PermissionDenied):  # staff may assign, but not withdraw what they must put right
            guard.run(action, "cancel", people.staff, reason="不想整改")
        action.refresh_from_db()
        assert action.status == S.ASSIGNED
        guard.run(action, "cancel", people.head, reason="重复上报")
        assert action.status == S.CANCELLED

    def test_an_owner_rectifies_only_their_own(self, school, people):
        action = report(school, people.head, owner=people.teacher, deadline=TODAY() + datetime.timedelta(days=2))
        other = report(school, people.head, owner=people.teacher2, deadline=TODAY() + datetime.timedelta(days=2))
        guard.run(action, "rectify", people.teacher, rectification="已清理")
        with pytest.raises(PermissionDenied):
            guard.run(other, "rectify", people.teacher, rectification="x")

    def test_major_needs_a_contingency_plan(self, school, people):
        action = report(school, people.head, level="major")
        assert any("major hazard" in t for t in titles(people.principal))
        deadline = TODAY() + datetime.timedelta(days=30)
        with pytest.raises(ValidationError, match="contingency"):
            guard.run(action, "assign", people.head, owner=people.staff, deadline=deadline)
        guard.run(
            action,
            "assign",
            people.head,
            owner=people.staff,
            deadline=deadline,
            measures="加固挡土墙",
            funding="12000.00",
            contingency_plan="设置警戒区，禁止学生靠近",
        )
        assert action.status == S.ASSIGNED and action.contingency_plan

    def test_assessed_as_major_at_assignment(self, school, people):
        """Found as general, graded major when assigned: it needs the plan, the principal is told once, the
        timeline says so; graded back to general by mistake, no one is told again."""
        action = report(school, people.guard)
        assert not any("major hazard" in t for t in titles(people.principal))
        deadline = TODAY() + datetime.timedelta(days=30)
        with pytest.raises(ValidationError, match="contingency"):
            guard.run(action, "assign", people.head, owner=people.staff, deadline=deadline, level="major")
        action.refresh_from_db()
        assert action.level == "general" and action.status == S.FOUND
        with pytest.raises(ValidationError, match="general or major"):
            guard.run(action, "assign", people.head, owner=people.staff, deadline=deadline, level="huge")
        plan = "设置警戒区，禁止学生靠近"
        guard.run(
            action, "assign", people.head, owner=people.staff, deadline=deadline, level="major", contingency_plan=plan
        )
        action.refresh_from_db()
        assert action.level == "major" and action.status == S.ASSIGNED
        assert sum("major hazard" in t for t in titles(people.principal)) == 1
        record = ChangeRecord.objects.filter(object_id=action.pk, event="corrective.assigned").latest("pk")
        assert "level: General → Major" in record.message and record.after["level"] == "major"
        assert CorrectiveAction.objects.filter(level="major", pk=action.pk).exists()
        # re-assigned without a level: it stays major (and still needs its plan)
        with pytest.raises(ValidationError, match="contingency"):
            guard.run(action, "assign", people.head, owner=people.staff, deadline=deadline)
        guard.run(action, "assign", people.head, owner=people.staff, deadline=deadline, level="general")
        action.refresh_from_db()
        assert action.level == "general"
        assert sum("major hazard" in t for t in titles(people.principal)) == 1

    def test_a_past_deadline_is_refused(self, school, people):
        action = report(school, people.guard)
        with pytest.raises(ValidationError, match="past"):
            guard.run(action, "assign", people.head, owner=people.staff, deadline=TODAY() - datetime.timedelta(days=1))

    def test_open_action_refuses_what_does_not_belong(self, school, other_school, other_room, people):
        with pytest.raises(ValidationError):
            report(school, people.guard, place=other_room)
        with pytest.raises(ValidationError):
            services.open_action(school=school, actor=people.guard, origin="nobody.knows", title="x")
        with pytest.raises(ValidationError):
            report(school, people.guard, title="  ")

    def test_actions_for_a_source(self, school, room, people):
        action = report(school, people.guard, source=room, title="插座松动")
        report(school, people.guard, title="别的")
        assert [a.pk for a in services.actions_for(room)] == [action.pk]
        assert services.actions_for(room, people.parent) == []


class TestCorrectiveActionEscalation:
    def overdue_action(self, school, people, days_late):
        action = assigned(school, people)
        action.deadline = TODAY() - datetime.timedelta(days=days_late)
        action.save()
        return action

    def test_once_to_the_head_then_once_to_the_principal(self, school, people):
        action = self.overdue_action(school, people, 1)
        scan()
        scan()
        action.refresh_from_db()
        assert action.escalation == Escalation.HEAD
        assert sum("past its deadline" in t for t in titles(people.head)) == 1
        assert not any("past its deadline" in t for t in titles(people.principal))

        days = rules.value(school, services.PRINCIPAL_AFTER_DAYS)
        later = timezone.now() + datetime.timedelta(days=days + 1)
        scan(later)
        scan(later)
        action.refresh_from_db()
        assert action.escalation == Escalation.PRINCIPAL
        assert sum("past its deadline" in t for t in titles(people.principal)) == 1
        assert sum("past its deadline" in t for t in titles(people.head)) == 1

    def test_not_escalated_before_the_deadline_has_passed_or_once_rectified(self, school, people):
        today = self.overdue_action(school, people, 0)
        late = self.overdue_action(school, people, 3)
        guard.run(late, "rectify", people.staff, rectification="done")
        assert services.escalate_overdue() == 0
        today.refresh_from_db()
        assert today.escalation == Escalation.NONE

    def test_a_new_deadline_starts_afresh(self, school, people):
        action = self.overdue_action(school, people, 2)
        services.escalate_overdue()
        action.refresh_from_db()
        assert action.escalation == Escalation.HEAD
        guard.run(action, "assign", people.head, owner=people.staff, deadline=TODAY() + datetime.timedelta(days=2))
        assert action.escalation == Escalation.NONE

    def test_the_owner_is_reminded_on_the_deadline_day(self, school, people):
        action = self.overdue_action(school, people, 0)
        scan()
        scan()
        assert sum(action.reference in t and "due today" in t for t in titles(people.staff)) == 1


class TestCorrectiveActionVisibility:
    def test_rows(self, school, other_school, people, make_user):
        general = report(school, people.guard)
        major = report(school, people.head, level="major")
        visible = lambda user: set(CorrectiveAction.objects.restrict(user, "view").values_list("pk", flat=True))  # noqa: E731
        assert visible(people.head) == {general.pk, major.pk}
        assert visible(people.principal) == {general.pk, major.pk}
        assert visible(people.guard) == {general.pk}  # what they found
        assert visible(people.teacher) == set()
        assert visible(people.parent) == set()
        assert visible(people.officer) == {major.pk}  # the district follows the major ones
        from logistics.accounts.roles import Role

        assert visible(make_user(Role.LOGISTICS_HEAD, other_school)) == set()
