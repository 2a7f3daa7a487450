"""Reminder providers of the repairs app, run by the platform's scan every 15 minutes."""

from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.reminders.registry import DueItem, Provider

from . import services
from .choices import OPEN_STATUSES, TicketKind


class OverdueTicketProvider(Provider):
    """Tickets past their target time are flagged and escalated to the logistics head once
    (rules ``repairs.target_hours.*``)."""

    code = "repairs.overdue"

    def process(self, now):
        services.escalate_overdue(now)


class AutoConfirmProvider(Provider):
    """Done tickets confirm themselves after ``repairs.auto_confirm_days`` without an answer."""

    code = "repairs.auto_confirm"

    def process(self, now):
        services.auto_confirm_due(now)


class MaintenancePlanProvider(Provider):
    """Plans falling due open one preventive ticket each (``process``); open preventive tickets remind
    their workers on the due date. A missed one (past the end of its date) is escalated to the head
    once by :class:`OverdueTicketProvider` like any ticket past its target."""

    code = "repairs.plans"

    def process(self, now):
        services.open_due_plans(now)

    def due_items(self, now):
        from .models import Ticket

        today = timezone.localdate(now)
        tickets = (
            Ticket.objects.filter(kind=TicketKind.PREVENTIVE, status__in=OPEN_STATUSES, due_date__lte=today)
            .select_related("plan")
            .prefetch_related("assignees")
            .order_by("due_date", "pk")[:500]
        )
        for ticket in tickets:
            yield DueItem(
                obj=ticket,
                due_at=ticket.due_date,
                title=_("Preventive maintenance due: %(plan)s") % {"plan": ticket.plan or ticket.description},
                recipients=list(ticket.assignees.all()),
            )


class FiguresProvider(Provider):
    """Keeps the precomputed monthly figures up to date (``repairs.figures.refresh_changed``): the
    figures page and API read them, so they are at most one scan (15 minutes) old."""

    code = "repairs.figures"

    def process(self, now):
        from . import figures

        figures.refresh_changed(now)
