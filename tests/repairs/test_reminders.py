"""Escalation, auto-confirmation and preventive plans, with frozen time, through the platform's scan."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from logistics.notifications.models import Notification
from logistics.reminders import services as reminder_scan
from logistics.tenancy import rules
from repairs import services
from repairs.choices import Recurrence, TicketKind, TicketStatus, Urgency
from repairs.models import MaintenancePlan, Ticket
from repairs.models.plans import nth_weekday

from .factories import MaintenancePlanFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def escalations(user):
    return Notification.objects.filter(recipient=user, dedupe_key__startswith="repairs:escalated:").count()


class TestTicketEscalation:
    def test_overdue_ticket_is_flagged_and_escalated_once(self, school, room, people):
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school,
                user=people.teacher,
                room=room,
                trade="plumbing",
                description="爆管",
                urgency=Urgency.EMERGENCY,
            )
        with time_machine.travel(START + datetime.timedelta(hours=1, minutes=59), tick=False):
            reminder_scan.scan()
            assert Ticket.objects.get(pk=ticket.pk).escalated_at is None
        with time_machine.travel(START + datetime.timedelta(hours=2, minutes=15), tick=False):
            reminder_scan.scan()
            reminder_scan.scan()
        ticket.refresh_from_db()
        assert ticket.escalated_at is not None and ticket.is_open
        assert escalations(people.head) == 1
        assert escalations(people.teacher) == 0
        with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
            reminder_scan.scan()
        assert escalations(people.head) == 1

    def test_targets_follow_the_rules(self, school, room, people):
        rules.set_value(school, "repairs.target_hours.normal", "10")
        school.save()
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x"
            )
        assert ticket.target_at == START + datetime.timedelta(hours=10)

    @pytest.mark.parametrize("urgency,hours", [("emergency", 2), ("high", 24), ("normal", 72), ("low", 168)])
    def test_default_targets(self, urgency, hours, school, room, people):
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x", urgency=urgency
            )
        assert ticket.target_at - ticket.submitted_at == datetime.timedelta(hours=hours)

    def test_done_ticket_is_not_escalated(self, school, room, people):
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x", urgency="emergency"
            )
            services.start(ticket, people.worker)
            services.complete(ticket, people.worker, "wear")
        with time_machine.travel(START + datetime.timedelta(hours=5), tick=False):
            reminder_scan.scan()
        assert escalations(people.head) == 0


class TestTicketAutoConfirm:
    def test_confirms_itself_after_three_days(self, school, room, people):
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x"
            )
            services.start(ticket, people.worker)
            services.complete(ticket, people.worker, "wear")
        with time_machine.travel(START + datetime.timedelta(days=2, hours=23), tick=False):
            reminder_scan.scan()
            assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.DONE
        with time_machine.travel(START + datetime.timedelta(days=3, minutes=1), tick=False):
            reminder_scan.scan()
            reminder_scan.scan()
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CONFIRMED and ticket.auto_confirmed and ticket.rating is None

    def test_rule_changes_the_days(self, school, room, people):
        rules.set_value(school, "repairs.auto_confirm_days", "1")
        school.save()
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x"
            )
            services.start(ticket, people.worker)
            services.complete(ticket, people.worker, "wear")
        with time_machine.travel(START + datetime.timedelta(days=1, minutes=1), tick=False):
            reminder_scan.scan()
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CONFIRMED

    def test_reopened_ticket_is_not_auto_confirmed(self, school, room, people):
        with time_machine.travel(START, tick=False):
            ticket = services.create_ticket(
                school=school, user=people.teacher, room=room, trade="plumbing", description="x"
            )
            services.start(ticket, people.worker)
            services.complete(ticket, people.worker, "wear")
            services.reopen(ticket, people.teacher, "没修好")
        with time_machine.travel(START + datetime.timedelta(days=4), tick=False):
            reminder_scan.scan()
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ASSIGNED


class TestMaintenancePlanScan:
    def make_plan(self, school, people, **kwargs):
        plan = MaintenancePlanFactory(school=school, created_by=people.head, **kwargs)
        plan.assignees.add(people.worker)
        return plan

    def test_opens_one_ticket_once_across_repeated_scans(self, school, people):
        plan = self.make_plan(school, people, next_due=datetime.date(2026, 11, 10), lead_days=3)
        with time_machine.travel(datetime.datetime(2026, 11, 6, 9, tzinfo=START.tzinfo), tick=False):
            reminder_scan.scan()
            assert not Ticket.objects.filter(plan=plan).exists()
        with time_machine.travel(datetime.datetime(2026, 11, 7, 9, tzinfo=START.tzinfo), tick=False):
            for _ in range(4):
                reminder_scan.scan()
        tickets = list(Ticket.objects.filter(plan=plan))
        assert len(tickets) == 1
        ticket = tickets[0]
        assert ticket.kind == TicketKind.PREVENTIVE and ticket.due_date == datetime.date(2026, 11, 10)
        assert ticket.status == TicketStatus.ASSIGNED and list(ticket.assignees.all()) == [people.worker]
        assert [i["text"] for i in ticket.checklist] == ["制动器", "层门门锁"]
        plan.refresh_from_db()
        assert plan.next_due == datetime.date(2026, 12, 10)
        # opening directly for the same date again does nothing
        again, created = services.open_preventive(plan, datetime.date(2026, 11, 10))
        assert again == ticket and not created

    def test_a_missed_plan_escalates_once(self, school, people):
        plan = self.make_plan(school, people, next_due=datetime.date(2026, 11, 10), lead_days=3)
        with time_machine.travel(datetime.datetime(2026, 11, 8, 9, tzinfo=START.tzinfo), tick=False):
            reminder_scan.scan()
        with time_machine.travel(datetime.datetime(2026, 11, 11, 9, tzinfo=START.tzinfo), tick=False):
            reminder_scan.scan()
            reminder_scan.scan()
        ticket = Ticket.objects.get(plan=plan)
        assert ticket.escalated_at is not None
        assert escalations(people.head) == 1
        reminders = Notification.objects.filter(recipient=people.worker, dedupe_key__startswith="rem:repairs.plans")
        assert reminders.count() == 1

    def test_skipped_scans_lose_nothing(self, school, people):
        plan = self.make_plan(
            school, people, next_due=datetime.date(2026, 9, 10), lead_days=0, recurrence=Recurrence.MONTHS
        )
        with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=START.tzinfo), tick=False):
            reminder_scan.scan()
            reminder_scan.scan()
        dates = sorted(Ticket.objects.filter(plan=plan).values_list("due_date", flat=True))
        assert dates == [datetime.date(2026, 9, 10), datetime.date(2026, 10, 10), datetime.date(2026, 11, 10)]
        assert MaintenancePlan.objects.get(pk=plan.pk).next_due == datetime.date(2026, 12, 10)

    def test_inactive_plan_opens_nothing(self, school, people):
        plan = self.make_plan(school, people, next_due=timezone.localdate(), active=False)
        reminder_scan.scan()
        assert not Ticket.objects.filter(plan=plan).exists()

    @pytest.mark.parametrize(
        "recurrence,interval,start,expected",
        [
            ("days", 10, datetime.date(2026, 11, 25), datetime.date(2026, 12, 5)),
            ("weeks", 2, datetime.date(2026, 11, 25), datetime.date(2026, 12, 9)),
            ("months", 1, datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
            ("months", 3, datetime.date(2026, 11, 5), datetime.date(2027, 2, 5)),
        ],
    )
    def test_recurrence(self, recurrence, interval, start, expected):
        plan = MaintenancePlan(recurrence=recurrence, interval=interval, next_due=start)
        assert plan.following(start) == expected

    def test_nth_weekday(self):
        plan = MaintenancePlan(recurrence="nth_weekday", interval=1, week_of_month=1, weekday=0)
        assert plan.following(datetime.date(2026, 11, 2)) == datetime.date(2026, 12, 7)
        assert nth_weekday(2026, 11, 4, -1) == datetime.date(2026, 11, 27)  # last Friday
        assert nth_weekday(2026, 12, 2, 2) == datetime.date(2026, 12, 9)  # second Wednesday


class TestTicketTasks:
    def test_tasks_run_the_scans_idempotently(self, school, people):
        from repairs import tasks

        plan = MaintenancePlanFactory(school=school, created_by=people.head, next_due=timezone.localdate(), lead_days=0)
        assert tasks.open_due_plans.delay().get() == 1
        assert tasks.open_due_plans.delay().get() == 0
        assert Ticket.objects.filter(plan=plan).count() == 1
        # the scans cover every school: what matters is that this plan's ticket (due today) is not overdue and
        # that a second run finds nothing new
        tasks.escalate_overdue.delay().get()
        assert tasks.escalate_overdue.delay().get() == 0
        assert not Ticket.objects.filter(plan=plan).exclude(escalated_at=None).exists()
        tasks.auto_confirm.delay().get()
        assert tasks.auto_confirm.delay().get() == 0
