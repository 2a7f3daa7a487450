"""Kinds of meter and reading statuses: value, label, colour in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy


class MeterKind(models.TextChoices):
    """What a meter measures (水、电、气)."""

    WATER = "water", pgettext_lazy("utility kind", "Water")
    ELECTRICITY = "electricity", pgettext_lazy("utility kind", "Electricity")
    GAS = "gas", pgettext_lazy("utility kind", "Gas")


#: the unit of each kind: one unit per kind, so the school's totals per kind add up (a water bill's
#: 吨 is the same quantity as m³)
UNITS = {
    MeterKind.WATER: "m³",
    MeterKind.ELECTRICITY: "kWh",
    MeterKind.GAS: "m³",
}

KIND_COLOURS = {
    MeterKind.WATER: "primary",
    MeterKind.ELECTRICITY: "warning",
    MeterKind.GAS: "danger",
}


class ReadingStatus(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("meter reading status", "Recorded")
    CORRECTED = "corrected", pgettext_lazy("meter reading status", "Corrected")


STATUS_COLOURS = {ReadingStatus.RECORDED: "secondary", ReadingStatus.CORRECTED: "info"}
