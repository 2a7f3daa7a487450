"""Choices of the safety app (安全巡查): value, label and colour in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy


class CheckpointKind(models.TextChoices):
    GATE = "gate", pgettext_lazy("checkpoint kind", "Gate / gatehouse")
    DORMITORY = "dormitory", pgettext_lazy("checkpoint kind", "Dormitory")
    LAB = "lab", pgettext_lazy("checkpoint kind", "Laboratory")
    POWER = "power", pgettext_lazy("checkpoint kind", "Power room")
    FENCE = "fence", pgettext_lazy("checkpoint kind", "Fence line")
    FIRE_PUMP = "fire_pump", pgettext_lazy("checkpoint kind", "Fire pump room")
    CANTEEN = "canteen", pgettext_lazy("checkpoint kind", "Canteen")
    CCTV = "cctv", pgettext_lazy("checkpoint kind", "Monitoring point")
    TEACHING = "teaching", pgettext_lazy("checkpoint kind", "Teaching building")
    OTHER = "other", pgettext_lazy("checkpoint kind", "Other")


class Proof(models.TextChoices):
    """How a scan proves the guard was there (docs/safety.md § Proof of presence)."""

    STATIC = "static", pgettext_lazy("proof of presence", "Printed QR code (weakest)")
    ROTATING = "rotating", pgettext_lazy("proof of presence", "Rotating code")
    NFC = "nfc", pgettext_lazy("proof of presence", "NFC tag")


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("patrol round status", "Scheduled")
    IN_PROGRESS = "in_progress", pgettext_lazy("patrol round status", "In progress")
    COMPLETE = "complete", pgettext_lazy("patrol round status", "Complete")
    INCOMPLETE = "incomplete", pgettext_lazy("patrol round status", "Incomplete")
    MISSED = "missed", pgettext_lazy("patrol round status", "Missed")
    EXPLAINED = "explained", pgettext_lazy("patrol round status", "Explained")


ROUND_COLOURS = {
    RoundStatus.SCHEDULED: "secondary",
    RoundStatus.IN_PROGRESS: "primary",
    RoundStatus.COMPLETE: "success",
    RoundStatus.INCOMPLETE: "warning",
    RoundStatus.MISSED: "danger",
    RoundStatus.EXPLAINED: "info",
}

#: the outcome a round ended with (kept when it is explained)
OUTCOMES = (RoundStatus.COMPLETE, RoundStatus.INCOMPLETE, RoundStatus.MISSED)

WEEKDAYS = [
    ("1", pgettext_lazy("weekday", "Mon")),
    ("2", pgettext_lazy("weekday", "Tue")),
    ("3", pgettext_lazy("weekday", "Wed")),
    ("4", pgettext_lazy("weekday", "Thu")),
    ("5", pgettext_lazy("weekday", "Fri")),
    ("6", pgettext_lazy("weekday", "Sat")),
    ("7", pgettext_lazy("weekday", "Sun")),
]


class VisitStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("visit status", "Waiting for the host")
    INSIDE = "inside", pgettext_lazy("visit status", "Inside")
    LEFT = "left", pgettext_lazy("visit status", "Left")
    REFUSED = "refused", pgettext_lazy("visit status", "Refused")


VISIT_COLOURS = {
    VisitStatus.WAITING: "warning",
    VisitStatus.INSIDE: "primary",
    VisitStatus.LEFT: "secondary",
    VisitStatus.REFUSED: "danger",
}


class GateGoodsKind(models.TextChoices):
    DELIVERY = "delivery", pgettext_lazy("gate goods", "Delivery")
    SCRAP = "scrap", pgettext_lazy("gate goods", "Scrap sale (废品外卖)")


class PassStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("leave pass status", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("leave pass status", "Approved")
    OUT = "out", pgettext_lazy("leave pass status", "Out of school")
    BACK = "back", pgettext_lazy("leave pass status", "Back")
    REJECTED = "rejected", pgettext_lazy("leave pass status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("leave pass status", "Withdrawn")


PASS_COLOURS = {
    PassStatus.REQUESTED: "warning",
    PassStatus.APPROVED: "success",
    PassStatus.OUT: "primary",
    PassStatus.BACK: "secondary",
    PassStatus.REJECTED: "danger",
    PassStatus.CANCELLED: "secondary",
}
