"""Choices of the repairs app (报修): value, label and colour in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trade(models.TextChoices):
    """The trades of the repair workers (工种); ``Membership.trades`` uses the same codes."""

    PLUMBING = "plumbing", _("Plumbing")
    ELECTRICAL = "electrical", _("Electrical")
    CARPENTRY = "carpentry", _("Carpentry")
    HVAC = "hvac", _("HVAC")
    IT = "it", _("IT / multimedia")
    OTHER = "other", _("Other")


TRADE_COLOURS = {
    Trade.PLUMBING: "primary",
    Trade.ELECTRICAL: "warning",
    Trade.CARPENTRY: "success",
    Trade.HVAC: "info",
    Trade.IT: "dark",
    Trade.OTHER: "secondary",
}


class Urgency(models.TextChoices):
    """How soon a ticket must be fixed; each has a target time (rules ``repairs.target_hours.*``)."""

    EMERGENCY = "emergency", _("Emergency")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


URGENCY_COLOURS = {
    Urgency.EMERGENCY: "danger",
    Urgency.HIGH: "warning",
    Urgency.NORMAL: "primary",
    Urgency.LOW: "secondary",
}


class TicketStatus(models.TextChoices):
    """Where a ticket stands (DOMAIN.md § Repairs: submitted → assigned → in progress → (on hold) →
    done → confirmed; rejected or cancelled with a reason)."""

    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    DONE = "done", _("Done")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


STATUS_COLOURS = {
    TicketStatus.SUBMITTED: "secondary",
    TicketStatus.ASSIGNED: "info",
    TicketStatus.IN_PROGRESS: "primary",
    TicketStatus.ON_HOLD: "warning",
    TicketStatus.DONE: "success",
    TicketStatus.CONFIRMED: "dark",
    TicketStatus.REJECTED: "danger",
    TicketStatus.CANCELLED: "light",
}

#: statuses in which the work is still owed (the target time runs)
OPEN_STATUSES = (
    TicketStatus.SUBMITTED,
    TicketStatus.ASSIGNED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.ON_HOLD,
)
#: statuses after the worker finished
COMPLETED_STATUSES = (TicketStatus.DONE, TicketStatus.CONFIRMED)


class Cause(models.TextChoices):
    """Why it broke; human damage opens a damage-compensation record (人为损坏必须赔偿)."""

    WEAR = "wear", _("Wear and tear")
    HUMAN_DAMAGE = "human_damage", _("Human damage")
    OTHER = "other", _("Other")


class TicketKind(models.TextChoices):
    REACTIVE = "reactive", _("Reported")
    PREVENTIVE = "preventive", _("Preventive maintenance")


class Recurrence(models.TextChoices):
    """How a maintenance plan repeats: every N days/weeks/months, or the n-th weekday of every N months."""

    DAYS = "days", _("Every N days")
    WEEKS = "weeks", _("Every N weeks")
    MONTHS = "months", _("Every N months")
    NTH_WEEKDAY = "nth_weekday", _("The n-th weekday of every N months")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = -1, _("Last")
