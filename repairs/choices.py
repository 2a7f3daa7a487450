"""Choices of the repairs app (报修): value, label and colour in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Trade(models.TextChoices):
    """The trades of the repair workers (工种); ``Membership.trades`` uses the same codes."""

    PLUMBING = "plumbing", pgettext_lazy("repair trade", "Plumbing")
    ELECTRICAL = "electrical", pgettext_lazy("repair trade", "Electrical")
    CARPENTRY = "carpentry", pgettext_lazy("repair trade", "Carpentry")
    HVAC = "hvac", pgettext_lazy("repair trade", "HVAC")
    IT = "it", pgettext_lazy("repair trade", "IT / multimedia")
    OTHER = "other", pgettext_lazy("repair trade", "Other")


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

    EMERGENCY = "emergency", pgettext_lazy("repair urgency", "Emergency")
    HIGH = "high", pgettext_lazy("repair urgency", "High")
    NORMAL = "normal", pgettext_lazy("repair urgency", "Normal")
    LOW = "low", pgettext_lazy("repair urgency", "Low")


URGENCY_COLOURS = {
    Urgency.EMERGENCY: "danger",
    Urgency.HIGH: "warning",
    Urgency.NORMAL: "primary",
    Urgency.LOW: "secondary",
}


class TicketStatus(models.TextChoices):
    """Where a ticket stands (DOMAIN.md § Repairs: submitted → assigned → in progress → (on hold) →
    done → confirmed; rejected or cancelled with a reason)."""

    SUBMITTED = "submitted", pgettext_lazy("repair ticket status", "Submitted")
    ASSIGNED = "assigned", pgettext_lazy("repair ticket status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("repair ticket status", "In progress")
    ON_HOLD = "on_hold", pgettext_lazy("repair ticket status", "On hold")
    DONE = "done", pgettext_lazy("repair ticket status", "Done")
    CONFIRMED = "confirmed", pgettext_lazy("repair ticket status", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("repair ticket status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("repair ticket status", "Cancelled")


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

    WEAR = "wear", pgettext_lazy("repair cause", "Wear and tear")
    HUMAN_DAMAGE = "human_damage", pgettext_lazy("repair cause", "Human damage")
    OTHER = "other", pgettext_lazy("repair cause", "Other")


class TicketKind(models.TextChoices):
    REACTIVE = "reactive", pgettext_lazy("repair ticket kind", "Reported")
    PREVENTIVE = "preventive", pgettext_lazy("repair ticket kind", "Preventive maintenance")


class Recurrence(models.TextChoices):
    """How a maintenance plan repeats: every N days/weeks/months, or the n-th weekday of every N months."""

    DAYS = "days", pgettext_lazy("maintenance plan recurrence", "Every N days")
    WEEKS = "weeks", pgettext_lazy("maintenance plan recurrence", "Every N weeks")
    MONTHS = "months", pgettext_lazy("maintenance plan recurrence", "Every N months")
    NTH_WEEKDAY = "nth_weekday", pgettext_lazy("maintenance plan recurrence", "The n-th weekday of every N months")


class Weekday(models.IntegerChoices):
    MONDAY = 0, pgettext_lazy("maintenance plan weekday", "Monday")
    TUESDAY = 1, pgettext_lazy("maintenance plan weekday", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("maintenance plan weekday", "Wednesday")
    THURSDAY = 3, pgettext_lazy("maintenance plan weekday", "Thursday")
    FRIDAY = 4, pgettext_lazy("maintenance plan weekday", "Friday")
    SATURDAY = 5, pgettext_lazy("maintenance plan weekday", "Saturday")
    SUNDAY = 6, pgettext_lazy("maintenance plan weekday", "Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, pgettext_lazy("maintenance plan week of month", "First")
    SECOND = 2, pgettext_lazy("maintenance plan week of month", "Second")
    THIRD = 3, pgettext_lazy("maintenance plan week of month", "Third")
    FOURTH = 4, pgettext_lazy("maintenance plan week of month", "Fourth")
    LAST = -1, pgettext_lazy("maintenance plan week of month", "Last")
