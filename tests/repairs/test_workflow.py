"""The ticket's workflow through the services: every step, who may take it, from which status."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assets.models import DamageRecord
from logistics.audit.models import ChangeRecord
from logistics.notifications.models import Notification
from logistics.workflow import StepNotAllowed, get_step, guard
from repairs import services
from repairs.choices import Cause, TicketStatus, Trade, Urgency
from repairs.models import DutySlot, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Notification titles are checked in the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield


def file(people, school, room, **kwargs):
    kwargs.setdefault("trade", Trade.PLUMBING)
    kwargs.setdefault("description", "水龙头关不紧")
    return services.create_ticket(school=school, user=people.teacher, room=room, **kwargs)


def notes(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


class TestTicketWorkflow:
    def test_full_workflow(self, school, room, people, photo):
        ticket = file(people, school, room, urgency=Urgency.HIGH, photos=[photo(), photo("b.png")])
        assert ticket.reference.startswith("REP-")
        assert ticket.status == TicketStatus.SUBMITTED
        assert (ticket.target_at - ticket.submitted_at).total_seconds() == 24 * 3600
        assert any("New repair ticket" in t for t in notes(people.head))
        assert notes(people.teacher)

        services.assign(ticket, people.head, [people.worker])
        assert ticket.status == TicketStatus.ASSIGNED
        assert any("New job" in t for t in notes(people.worker))

        services.start(ticket, people.worker)
        services.hold(ticket, people.worker, "等配件")
        assert ticket.status == TicketStatus.ON_HOLD and ticket.status_reason == "等配件"
        services.start(ticket, people.worker)
        services.log_work(ticket, people.worker, 40, note="换水龙头")
        services.add_part(ticket, people.worker, "水龙头", quantity=2, unit="只", unit_cost="35.00")
        ticket.refresh_from_db()
        assert ticket.labour_minutes == 40 and ticket.parts_cost == Decimal("70.00")

        services.complete(ticket, people.worker, Cause.WEAR, resolution="换新", photo=photo("after.png"))
        assert ticket.status == TicketStatus.DONE and ticket.done_at
        assert any("please confirm" in t for t in notes(people.teacher))

        services.confirm(ticket, people.teacher, rating=5, comment="很快")
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CONFIRMED and ticket.rating == 5 and not ticket.auto_confirmed
        events = list(ChangeRecord.objects.filter(object_id=ticket.pk, action="event").values_list("event", flat=True))
        for event in (
            "ticket.submitted",
            "ticket.assigned",
            "ticket.started",
            "ticket.on_hold",
            "ticket.done",
            "ticket.confirmed",
        ):
            assert event in events

    def test_reopen_goes_back_to_the_workers(self, school, room, people):
        ticket = file(people, school, room)
        services.assign(ticket, people.head, [people.worker, people.carpenter])
        services.start(ticket, people.carpenter)
        services.complete(ticket, people.carpenter, Cause.WEAR)
        services.reopen(ticket, people.teacher, "还是漏水")
        assert ticket.status == TicketStatus.ASSIGNED and ticket.reopen_count == 1 and ticket.done_at is None
        assert any("还是漏水" in t for t in notes(people.worker))

    def test_worker_takes_from_the_queue_of_their_trade(self, school, room, people):
        ticket = file(people, school, room, trade=Trade.ELECTRICAL)
        with pytest.raises(PermissionDenied):
            services.start(ticket, people.carpenter)
        services.start(ticket, people.worker)
        assert ticket.status == TicketStatus.IN_PROGRESS
        assert list(ticket.assignees.all()) == [people.worker]

    def test_rota_assigns_the_worker_on_duty(self, school, room, people):
        DutySlot.objects.create(school=school, trade=Trade.CARPENTRY, worker=people.carpenter)
        ticket = file(people, school, room, trade=Trade.CARPENTRY)
        assert ticket.status == TicketStatus.ASSIGNED
        assert list(ticket.assignees.all()) == [people.carpenter]
        other = file(people, school, room, trade=Trade.PLUMBING)
        assert other.status == TicketStatus.SUBMITTED

    def test_the_rota_not_the_teacher_is_recorded_as_assigning(self, school, room, people):
        from logistics.audit.context import change_context
        from logistics.workflow.guard import is_system

        DutySlot.objects.create(school=school, trade=Trade.CARPENTRY, worker=people.carpenter)
        with change_context(user=people.teacher) as ctx:
            ticket = file(people, school, room, trade=Trade.CARPENTRY)
        filed = ChangeRecord.objects.get(object_id=ticket.pk, event="ticket.submitted")
        assigned = ChangeRecord.objects.get(object_id=ticket.pk, event="ticket.assigned")
        assert filed.user == people.teacher
        assert is_system(assigned.user) and assigned.request_id == ctx.request_id

    def test_rota_can_be_switched_off(self, school, room, people):
        from logistics.tenancy import rules

        DutySlot.objects.create(school=school, trade=Trade.CARPENTRY, worker=people.carpenter)
        rules.set_value(school, "repairs.auto_assign", "false")
        school.save()
        assert file(people, school, room, trade=Trade.CARPENTRY).status == TicketStatus.SUBMITTED

    def test_human_damage_opens_a_damage_record(self, school, room, people):
        ticket = file(people, school, room, trade=Trade.CARPENTRY)
        services.assign(ticket, people.head, [people.carpenter])
        services.start(ticket, people.carpenter)
        services.complete(
            ticket, people.carpenter, Cause.HUMAN_DAMAGE, damage_amount="80", damage_responsible="七年级(1)班"
        )
        ticket.refresh_from_db()
        record = DamageRecord.objects.get(pk=ticket.damage_record_id)
        assert record.amount == Decimal("80") and record.school_id == school.pk
        assert record.source_id == ticket.pk and record.room_id == room.pk
        assert ticket.damage_responsible == "七年级(1)班"

    def test_change_urgency_moves_the_target(self, school, room, people):
        ticket = file(people, school, room)
        services.change_urgency(ticket, people.head, Urgency.EMERGENCY)
        assert (ticket.target_at - ticket.submitted_at).total_seconds() == 2 * 3600

    def test_assign_only_workers_of_the_school(self, school, room, people, other_people):
        ticket = file(people, school, room)
        with pytest.raises(ValidationError):
            services.assign(ticket, people.head, [people.teacher])
        with pytest.raises(ValidationError):
            services.assign(ticket, people.head, [other_people.worker])
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SUBMITTED

    def test_at_most_five_photos(self, school, room, people, photo):
        with pytest.raises(ValidationError):
            file(people, school, room, photos=[photo(f"{i}.png") for i in range(6)])
        assert not Ticket.objects.exists()

    def test_photo_must_be_an_image(self, school, room, people):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
        with pytest.raises(ValidationError):
            file(people, school, room, photos=[fake])

    def test_parent_cannot_file(self, school, room, people):
        with pytest.raises(PermissionDenied):
            services.create_ticket(school=school, user=people.parent, room=room, trade="plumbing", description="x")


def may(user, step, ticket):
    return guard.may(user, ticket, get_step(Ticket, step))


# step → who may take it (among the people fixture) when the status allows it
STEP_ACTORS = {
    "assign": {"head", "staff"},
    "reject": {"head", "staff"},
    "change_urgency": {"head", "staff"},
    "cancel": {"teacher", "head", "staff"},
    "confirm": {"teacher"},
    "reopen": {"teacher"},
}
ROLES = ["head", "staff", "principal", "worker", "carpenter", "teacher", "teacher2", "guard", "parent", "officer"]


class TestTicketForbiddenSteps:
    @pytest.mark.parametrize("step", sorted(STEP_ACTORS))
    def test_who_may(self, step, school, room, people):
        ticket = file(people, school, room)
        for name in ROLES:
            expected = name in STEP_ACTORS[step]
            assert may(getattr(people, name), step, ticket) is expected, (step, name)

    def test_work_steps_need_an_assignee(self, school, room, people):
        ticket = file(people, school, room, trade=Trade.CARPENTRY)
        services.assign(ticket, people.head, [people.carpenter])
        for step in ("start", "hold", "complete", "log_work", "add_part"):
            assert may(people.carpenter, step, ticket)
            assert not may(people.worker, step, ticket), step
            assert not may(people.teacher, step, ticket), step

    def test_forbidden_role_is_403_naming_the_status_and_changes_nothing(self, school, room, people):
        ticket = file(people, school, room)
        with pytest.raises(PermissionDenied) as exc:
            services.assign(ticket, people.teacher, [people.worker])
        assert "Submitted" in str(exc.value) or "已提交" in str(exc.value)
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.SUBMITTED and not ticket.assignees.exists()

    @pytest.mark.parametrize(
        "step,status",
        [
            ("confirm", TicketStatus.SUBMITTED),
            ("reopen", TicketStatus.ASSIGNED),
            ("hold", TicketStatus.ASSIGNED),
            ("complete", TicketStatus.ASSIGNED),
            ("reject", TicketStatus.IN_PROGRESS),
            ("cancel", TicketStatus.DONE),
            ("start", TicketStatus.CONFIRMED),
            ("assign", TicketStatus.DONE),
        ],
    )
    def test_wrong_status_is_409_and_changes_nothing(self, step, status, school, room, people):
        ticket = file(people, school, room)
        ticket.assignees.add(people.worker)
        Ticket.objects.filter(pk=ticket.pk).update(status=status)
        ticket.refresh_from_db()
        actor = {"confirm": people.teacher, "reopen": people.teacher, "cancel": people.teacher}.get(
            step, people.head if step in ("reject", "assign") else people.worker
        )
        args = {
            "confirm": (),
            "reopen": ("x",),
            "hold": ("x",),
            "complete": (Cause.WEAR,),
            "reject": ("x",),
            "cancel": ("x",),
            "start": (),
            "assign": ([people.worker],),
        }[step]
        before = ChangeRecord.objects.count()
        with pytest.raises(StepNotAllowed) as exc:
            getattr(services, step)(ticket, actor, *args)
        assert exc.value.status == status
        assert Ticket.objects.get(pk=ticket.pk).status == status
        assert ChangeRecord.objects.count() == before
