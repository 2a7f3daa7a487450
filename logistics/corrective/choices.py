"""Statuses and levels of a corrective action (整改事项): value, label and colour in one place."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    FOUND = "found", pgettext_lazy("corrective status", "Found")
    ASSIGNED = "assigned", pgettext_lazy("corrective status", "Being rectified")
    RECTIFIED = "rectified", pgettext_lazy("corrective status", "Awaiting verification")
    VERIFIED = "verified", pgettext_lazy("corrective status", "Verified")
    CLOSED = "closed", pgettext_lazy("corrective status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("corrective status", "Withdrawn")


#: still to be done by someone (the deadline counts, escalations run)
OPEN_STATUSES = (ActionStatus.FOUND, ActionStatus.ASSIGNED)
#: not yet closed or withdrawn
ACTIVE_STATUSES = (ActionStatus.FOUND, ActionStatus.ASSIGNED, ActionStatus.RECTIFIED, ActionStatus.VERIFIED)

STATUS_COLOURS = {
    ActionStatus.FOUND: "danger",
    ActionStatus.ASSIGNED: "warning",
    ActionStatus.RECTIFIED: "info",
    ActionStatus.VERIFIED: "primary",
    ActionStatus.CLOSED: "success",
    ActionStatus.CANCELLED: "secondary",
}


class ActionLevel(models.TextChoices):
    GENERAL = "general", pgettext_lazy("hazard level", "General")
    MAJOR = "major", pgettext_lazy("hazard level", "Major")


LEVEL_COLOURS = {ActionLevel.GENERAL: "secondary", ActionLevel.MAJOR: "danger"}


class Escalation(models.IntegerChoices):
    NONE = 0, pgettext_lazy("corrective escalation", "Not escalated")
    HEAD = 1, pgettext_lazy("corrective escalation", "Escalated to the logistics head")
    PRINCIPAL = 2, pgettext_lazy("corrective escalation", "Escalated to the principal")
