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


class EquipmentKind(models.TextChoices):
    """What is inspected: fire and safety equipment, and the rooms and points checked on a checklist
    (dormitories at fixed times, CCTV monitoring points reviewed daily)."""

    EXTINGUISHER = "extinguisher", pgettext_lazy("equipment kind", "Fire extinguisher")
    HYDRANT = "hydrant", pgettext_lazy("equipment kind", "Fire hydrant")
    EMERGENCY_LIGHT = "emergency_light", pgettext_lazy("equipment kind", "Emergency light")
    EXIT_SIGN = "exit_sign", pgettext_lazy("equipment kind", "Exit / evacuation sign")
    ALARM = "alarm", pgettext_lazy("equipment kind", "Fire alarm / smoke detector")
    ELECTRICAL = "electrical", pgettext_lazy("equipment kind", "Electrical line / distribution box")
    FENCE = "fence", pgettext_lazy("equipment kind", "Fence / wall")
    AED = "aed", pgettext_lazy("equipment kind", "AED (defibrillator)")
    DORMITORY = "dormitory", pgettext_lazy("equipment kind", "Dormitory check")
    CCTV = "cctv", pgettext_lazy("equipment kind", "CCTV monitoring point")
    OTHER = "other", pgettext_lazy("equipment kind", "Other")


#: kinds that are daily checks rather than equipment (shown on the due page, not reminded one by one)
DAILY_CHECK_KINDS = (EquipmentKind.DORMITORY, EquipmentKind.CCTV)


class InspectionResult(models.TextChoices):
    PASSED = "passed", pgettext_lazy("inspection result", "Passed")
    FAILED = "failed", pgettext_lazy("inspection result", "Failed")


RESULT_COLOURS = {InspectionResult.PASSED: "success", InspectionResult.FAILED: "danger"}


class DueState(models.TextChoices):
    OVERDUE = "overdue", pgettext_lazy("inspection due", "Overdue")
    DUE = "due", pgettext_lazy("inspection due", "Due")
    OK = "ok", pgettext_lazy("inspection due", "Up to date")


DUE_COLOURS = {DueState.OVERDUE: "danger", DueState.DUE: "warning", DueState.OK: "success"}


class DrillKind(models.TextChoices):
    """Safety education events and drills (安全教育与应急演练)."""

    FIRE_DRILL = "fire_drill", pgettext_lazy("drill kind", "Fire evacuation drill")
    EARTHQUAKE_DRILL = "earthquake_drill", pgettext_lazy("drill kind", "Earthquake evacuation drill")
    OTHER_DRILL = "other_drill", pgettext_lazy("drill kind", "Other emergency drill")
    TRAFFIC = "traffic", pgettext_lazy("drill kind", "Traffic safety lecture")
    DROWNING = "drowning", pgettext_lazy("drill kind", "Drowning prevention")
    FOOD_SAFETY = "food_safety", pgettext_lazy("drill kind", "Food safety education")
    FIRE_EDUCATION = "fire_education", pgettext_lazy("drill kind", "Fire safety education")
    ANTI_BULLYING = "anti_bullying", pgettext_lazy("drill kind", "Anti-bullying education")
    OTHER = "other", pgettext_lazy("drill kind", "Other safety education")


#: the kinds that count as emergency evacuation drills (the per-term rule)
DRILL_KINDS = (DrillKind.FIRE_DRILL, DrillKind.EARTHQUAKE_DRILL, DrillKind.OTHER_DRILL)
