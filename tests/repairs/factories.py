"""Factories of the repairs models (direct rows; the workflow tests go through the services)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from repairs.choices import Recurrence, TicketStatus, Trade, Urgency
from repairs.models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog

from ..factories import RoomFactory, UserFactory


def room_in(school):
    return RoomFactory(school=school, building__school=school, building__campus__school=school)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    room = factory.LazyAttribute(lambda o: room_in(o.school))
    trade = Trade.PLUMBING
    urgency = Urgency.NORMAL
    status = TicketStatus.SUBMITTED
    description = factory.Sequence(lambda n: f"水龙头漏水 {n}")
    requester = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    target_at = factory.LazyAttribute(lambda o: o.submitted_at + datetime.timedelta(hours=72))


class MaintenancePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenancePlan

    name = factory.Sequence(lambda n: f"电梯月检 {n}")
    equipment = "1号电梯"
    trade = Trade.OTHER
    room = factory.LazyAttribute(lambda o: room_in(o.school))
    checklist = "制动器\n层门门锁"
    recurrence = Recurrence.MONTHS
    interval = 1
    next_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    lead_days = 3


class DutySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutySlot

    trade = Trade.PLUMBING
    worker = factory.SubFactory(UserFactory)


class WorkLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkLog

    ticket = factory.SubFactory(TicketFactory, school=factory.SelfAttribute("..school"))
    worker = factory.SubFactory(UserFactory)
    minutes = 30


class PartUsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartUsage

    ticket = factory.SubFactory(TicketFactory, school=factory.SelfAttribute("..school"))
    name = "水龙头"
    unit = "只"
    quantity = Decimal("1")
    unit_cost = Decimal("35.00")
