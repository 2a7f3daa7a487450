"""The platform's closed loop (闭环整改): a corrective action from finding to closing (销号).

One mechanism for every app that finds something wrong and must see it put right: a hazard found on
a patrol or a safety inspection (安全隐患), a failed item of a canteen hygiene self-inspection, a
cold-chain episode. found → assigned (owner, measures, deadline) → rectified (what was done, photo) →
verified by someone other than the rectifier → closed; a refused verification goes back to
rectification; past the deadline the action escalates once to the logistics head and once more to
the principal. Sources: 中小学幼儿园安全管理办法 (教育部令第23号) art. 31 (隐患排查、整改); the
canteen's 学校食品安全与营养健康管理规定 art. 36 (自查发现问题立即整改).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from . import registry
from .choices import OPEN_STATUSES, ActionLevel, ActionStatus, Escalation

S = ActionStatus

__all__ = ["CorrectiveAction"]


class CorrectiveAction(ReferenceMixin, PrimaryModel):
    """A corrective action (整改事项 / 隐患): what is wrong, where, who puts it right by when, and the
    proof it was put right and checked — every step recorded with its person and time."""

    reference_prefix = "ZG"

    origin = models.CharField(_("origin"), max_length=40)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room")
    )
    spot = models.CharField(
        _("spot"), max_length=200, blank=True, help_text=_("Where, when it is not a room: fence line, gate, yard…")
    )
    level = models.CharField(_("level"), max_length=10, choices=ActionLevel.choices, default=ActionLevel.GENERAL)
    status = FSMField(_("status"), max_length=20, choices=ActionStatus.choices, default=S.FOUND, editable=False)

    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("found by"),
    )
    found_at = models.DateTimeField(_("found"), default=timezone.now, editable=False)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("responsible person"),
    )
    measures = models.TextField(_("measures"), blank=True, editable=False)
    deadline = models.DateField(_("deadline"), null=True, blank=True, editable=False)
    #: 挂牌督办 of a major hazard: money set aside and what is done meanwhile
    funding = models.DecimalField(
        _("funding (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    contingency_plan = models.TextField(_("contingency plan"), blank=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True, editable=False)

    rectification = models.TextField(_("what was done"), blank=True, editable=False)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("rectified by"),
    )
    rectified_at = models.DateTimeField(_("rectified"), null=True, blank=True, editable=False)
    rejections = models.PositiveSmallIntegerField(_("times sent back"), default=0, editable=False)
    rejection_reason = models.CharField(_("reason sent back"), max_length=300, blank=True, editable=False)

    verification = models.TextField(_("verification note"), blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason withdrawn"), max_length=300, blank=True, editable=False)

    escalation = models.PositiveSmallIntegerField(
        _("escalation"), choices=Escalation.choices, default=Escalation.NONE, editable=False
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-found_at", "-id"], name="corrective_school_found"),
            models.Index(fields=["school", "status", "-found_at", "-id"], name="corrective_school_status"),
            models.Index(fields=["school", "origin", "-found_at", "-id"], name="corrective_school_origin"),
            models.Index(fields=["school", "owner", "-found_at", "-id"], name="corrective_school_owner"),
            models.Index(fields=["school", "source_type", "source_id"], name="corrective_school_source"),
            models.Index(
                fields=["school", "deadline"],
                name="corrective_open_deadline",
                condition=Q(status__in=["found", "assigned"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="corrective_unique_school_reference",
                violation_error_message=_(
                    "A corrective action with this reference number already exists in this school."
                ),
            ),
        ]
        permissions = [
            ("assign_correctiveaction", "Can assign corrective actions (owner, measures, deadline)"),
            ("rectify_correctiveaction", "Can record the rectification of corrective actions"),
            ("verify_correctiveaction", "Can verify, send back and close corrective actions"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        return reverse("corrective:correctiveaction_detail", args=[self.pk])

    @property
    def origin_label(self):
        return registry.label(self.origin)

    @property
    def place(self):
        """The room (building and name) or the free-text spot."""
        if self.room_id:
            return f"{self.room.building.name} {self.room.name}" if self.room.building_id else self.room.name
        return self.spot

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.deadline is not None and self.deadline < today

    # --- steps: found → assigned → rectified → verified → closed; rectified → assigned when the
    # verification is refused; found/assigned → withdrawn. Side effects in ``logistics.corrective.steps``.

    @step(
        status,
        source=[S.FOUND, S.ASSIGNED],
        target=S.ASSIGNED,
        permission="assign",
        label=pgettext_lazy("corrective step", "Assign"),
        description="Name the responsible person, the measures and the deadline "
        "(again on an assigned action: a new owner or deadline); `level` re-grades the action.",
        form="logistics.corrective.forms.AssignForm",
        serializer="logistics.corrective.api.serializers.CorrectiveAssignSerializer",
        service="logistics.corrective.steps.assign",
        event="corrective.assigned",
        done_message=pgettext_lazy("corrective step", "Assigned: the responsible person has been told."),
        order=10,
        primary=True,
    )
    def assign(self):
        pass

    @step(
        status,
        source=[S.ASSIGNED],
        target=S.RECTIFIED,
        permission="rectify",
        label=pgettext_lazy("corrective step", "Record the rectification"),
        description="Say what was done, with a photo of the result (multipart `photo`).",
        form="logistics.corrective.forms.RectifyForm",
        serializer="logistics.corrective.api.serializers.RectifySerializer",
        service="logistics.corrective.steps.rectify",
        event="corrective.rectified",
        done_message=pgettext_lazy("corrective step", "Rectification recorded: it now waits for verification."),
        order=20,
        primary=True,
    )
    def rectify(self):
        pass

    @step(
        status,
        source=[S.RECTIFIED],
        target=S.VERIFIED,
        permission="verify",
        label=pgettext_lazy("corrective step", "Verify"),
        description="Someone other than the person who rectified checks the result on the spot.",
        form="logistics.corrective.forms.VerifyForm",
        serializer="logistics.corrective.api.serializers.VerifySerializer",
        service="logistics.corrective.steps.verify",
        event="corrective.verified",
        order=30,
        primary=True,
    )
    def verify(self):
        pass

    @step(
        status,
        source=[S.RECTIFIED],
        target=S.ASSIGNED,
        permission="verify",
        label=pgettext_lazy("corrective step", "Not put right: send back"),
        description="The verifier refuses the rectification with a reason; it goes back to the responsible person.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="logistics.corrective.steps.reject_verification",
        event="corrective.sent_back",
        reason=True,
        order=35,
    )
    def reject_verification(self):
        pass

    @step(
        status,
        source=[S.VERIFIED],
        target=S.CLOSED,
        permission="verify",
        label=pgettext_lazy("corrective step", "Close (销号)"),
        description="Close the verified action: it leaves the open register.",
        form="logistics.corrective.forms.CloseForm",
        serializer="logistics.corrective.api.serializers.CloseSerializer",
        service="logistics.corrective.steps.close",
        event="corrective.closed",
        order=40,
        primary=True,
    )
    def close(self):
        pass

    @step(
        status,
        source=[S.FOUND, S.ASSIGNED],
        target=S.CANCELLED,
        permission="assign",
        label=pgettext_lazy("corrective step", "Withdraw"),
        description="Withdraw an action opened by mistake or twice, with a reason.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="logistics.corrective.steps.cancel",
        event="corrective.withdrawn",
        reason=True,
        danger=True,
        confirm=pgettext_lazy("corrective step", "The action will be closed without a rectification."),
        order=90,
    )
    def cancel(self):
        pass

    @classmethod
    def scope_q(cls, scope, user):
        """Row rules: ``involved`` — actions the user found, owns or rectified; ``owner`` — those they
        are responsible for; ``major`` — major ones (the district's 挂牌督办); ``origins:<app>`` — the
        actions of one app's origins (``origins:canteen`` for the canteen manager)."""
        if scope == "involved":
            return Q(found_by=user) | Q(owner=user) | Q(rectified_by=user)
        if scope == "owner":
            return Q(owner=user)
        if scope == "major":
            return Q(level=ActionLevel.MAJOR)
        if isinstance(scope, str) and scope.startswith("origins:"):
            prefix = scope.split(":", 1)[1]
            return Q(origin__startswith=f"{prefix}.") if prefix else Q(pk__in=[])
        return Q(pk__in=[])
