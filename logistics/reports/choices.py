from django.db import models
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    """The monthly report: generated as a draft → the head completes the plan and makes it final → the
    principal marks it read."""

    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    FINAL = "final", pgettext_lazy("report status", "Final")
    READ = "read", pgettext_lazy("report status", "Read by the principal")
