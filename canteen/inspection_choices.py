"""Choices of the hygiene self-inspections and their schedules (value, label, colour in one place)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class TemplateKind(models.TextChoices):
    """What a checklist is for (检查表类别)."""

    CLOSE_DOWN = "close_down", pgettext_lazy("checklist kind", "Daily close-down check (收市检查)")
    WEEKLY = "weekly", pgettext_lazy("checklist kind", "Weekly self-inspection")
    FOUR_PESTS = "four_pests", pgettext_lazy("checklist kind", "Monthly 四防 check (dust, damp, rodents, flies)")
    CLEANING = "cleaning", pgettext_lazy("checklist kind", "Cleaning check")
    OTHER = "other", pgettext_lazy("checklist kind", "Other")


class Frequency(models.TextChoices):
    DAILY = "daily", pgettext_lazy("inspection frequency", "Daily")
    WEEKLY = "weekly", pgettext_lazy("inspection frequency", "Weekly")
    MONTHLY = "monthly", pgettext_lazy("inspection frequency", "Monthly")


#: the frequency a new checklist of each kind starts with (the weekday / day of the month are Rules)
DEFAULT_FREQUENCY = {
    TemplateKind.CLOSE_DOWN: Frequency.DAILY,
    TemplateKind.WEEKLY: Frequency.WEEKLY,
    TemplateKind.FOUR_PESTS: Frequency.MONTHLY,
    TemplateKind.CLEANING: Frequency.WEEKLY,
    TemplateKind.OTHER: Frequency.MONTHLY,
}


class ItemResult(models.TextChoices):
    PASS = "pass", pgettext_lazy("inspection item result", "Pass")
    FAIL = "fail", pgettext_lazy("inspection item result", "Fail")
    NOT_APPLICABLE = "na", pgettext_lazy("inspection item result", "Not applicable")


class Grade(models.TextChoices):
    A = "A", pgettext_lazy("inspection grade", "A (good)")
    B = "B", pgettext_lazy("inspection grade", "B (fair)")
    C = "C", pgettext_lazy("inspection grade", "C (poor)")


GRADE_COLOURS = {Grade.A: "success", Grade.B: "warning", Grade.C: "danger"}
RESULT_COLOURS = {ItemResult.PASS: "success", ItemResult.FAIL: "danger", ItemResult.NOT_APPLICABLE: "secondary"}


class PeriodState(models.TextChoices):
    DONE = "done", pgettext_lazy("inspection period", "Done")
    DUE = "due", pgettext_lazy("inspection period", "Due")
    UPCOMING = "upcoming", pgettext_lazy("inspection period", "Not yet due")
    MISSED = "missed", pgettext_lazy("inspection period", "Missed")


PERIOD_COLOURS = {
    PeriodState.DONE: "success",
    PeriodState.DUE: "warning",
    PeriodState.UPCOMING: "secondary",
    PeriodState.MISSED: "danger",
}
