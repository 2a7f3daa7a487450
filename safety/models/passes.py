"""Student leave passes (请假离校) and the duty leaders' rota (值周领导).

中小学幼儿园安全管理办法 (教育部令第23号) art. 24: a boarder leaves school only with a pass; the class
teacher and the duty leader of the day approve it; the gate checks it and records out and back; a
boarder not back by the expected time is followed up (the class teacher and the guardian are told)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.workflow import step

from ..choices import PassStatus

P = PassStatus

__all__ = ["DutyLeader", "LeavePass"]


def new_token():
    return secrets.token_urlsafe(12)


class DutyLeader(PrimaryModel):
    """The duty leader of a day (值周领导): approves that day's leave passes."""

    day = models.DateField(_("day"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("duty leader")
    )

    class Meta:
        verbose_name = _("duty leader")
        verbose_name_plural = _("duty leaders")
        ordering = ["-day", "pk"]
        indexes = [models.Index(fields=["school", "day"], name="safety_duty_school_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "day"],
                name="safety_duty_unique_day",
                violation_error_message=_("This day already has a duty leader."),
            )
        ]

    def __str__(self):
        return f"{self.day.isoformat()} {self.leader}"

    def get_absolute_url(self):
        return reverse("safety:dutyleader_list")


class LeavePass(PrimaryModel):
    """A student's leave pass (请假条): who, why, out and back, who picks up — approved by the class
    teacher and the duty leader of the day; the gate records out and back."""

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("student"))
    reason = models.CharField(_("reason"), max_length=200)
    leave_at = models.DateTimeField(_("leaves at"))
    return_by = models.DateTimeField(_("back by"))
    picked_up_by = models.CharField(_("picked up by"), max_length=50, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("requested by"),
    )
    status = FSMField(_("status"), max_length=20, choices=PassStatus.choices, default=P.REQUESTED, editable=False)
    teacher_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by the class teacher"),
    )
    leader_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by the duty leader"),
    )
    rejection_reason = models.CharField(_("reason refused"), max_length=300, blank=True, editable=False)
    out_at = models.DateTimeField(_("left"), null=True, blank=True, editable=False)
    back_at = models.DateTimeField(_("came back"), null=True, blank=True, editable=False)
    token = models.CharField(max_length=20, default=new_token, editable=False)
    overdue_told_at = models.DateTimeField(_("told: not back"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("leave pass")
        verbose_name_plural = _("leave passes")
        ordering = ["-leave_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-leave_at", "-id"], name="safety_pass_school_leave"),
            models.Index(fields=["school", "status", "-leave_at"], name="safety_pass_school_status"),
            models.Index(fields=["school", "student", "-leave_at"], name="safety_pass_school_student"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "token"],
                name="safety_pass_unique_token",
                violation_error_message=_("A leave pass with this code already exists in this school."),
            )
        ]
        permissions = [
            ("approve_leavepass", "Can approve or refuse leave passes"),
            ("gate_leavepass", "Can record students leaving and coming back"),
            ("cancel_leavepass", "Can withdraw leave passes"),
        ]

    def __str__(self):
        return f"{self.student.name} {timezone.localtime(self.leave_at):%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("safety:leavepass_detail", args=[self.pk])

    @property
    def missing_approvals(self):
        missing = []
        if self.teacher_approved_by_id is None:
            missing.append(_("the class teacher"))
        if self.leader_approved_by_id is None:
            missing.append(_("the duty leader"))
        return missing

    @step(
        status,
        source=[P.REQUESTED],
        target=RETURN_VALUE(P.REQUESTED, P.APPROVED),
        permission="approve",
        label=pgettext_lazy("leave pass step", "Approve"),
        description="The class teacher or the duty leader of the day approves; approved once both have.",
        service="safety.passes.approve",
        offered="safety.passes.offers_approval",
        event="leavepass.approved",
        order=10,
        primary=True,
    )
    def approve(self):
        return P.APPROVED if self.teacher_approved_by_id and self.leader_approved_by_id else P.REQUESTED

    @step(
        status,
        source=[P.REQUESTED],
        target=P.REJECTED,
        permission="approve",
        label=pgettext_lazy("leave pass step", "Refuse"),
        description="The class teacher or the duty leader refuses the pass with a reason.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="safety.passes.reject",
        event="leavepass.rejected",
        reason=True,
        danger=True,
        order=20,
    )
    def reject(self):
        pass

    @step(
        status,
        source=[P.APPROVED],
        target=P.OUT,
        permission="gate",
        label=pgettext_lazy("leave pass step", "Left school"),
        description="The guard records the student leaving; the guardians are told.",
        service="safety.passes.check_out",
        event="leavepass.out",
        url_name="check-out",
        order=30,
        primary=True,
    )
    def check_out(self):
        pass

    @step(
        status,
        source=[P.OUT],
        target=P.BACK,
        permission="gate",
        label=pgettext_lazy("leave pass step", "Came back"),
        description="The guard records the student coming back; the guardians are told.",
        service="safety.passes.check_in",
        event="leavepass.back",
        url_name="check-in",
        order=40,
        primary=True,
    )
    def check_in(self):
        pass

    @step(
        status,
        source=[P.REQUESTED, P.APPROVED],
        target=P.CANCELLED,
        permission="cancel",
        label=pgettext_lazy("leave pass step", "Withdraw"),
        description="The requester withdraws the pass before the student leaves.",
        service="safety.passes.cancel",
        event="leavepass.withdrawn",
        danger=True,
        confirm=pgettext_lazy("leave pass step", "The pass can no longer be used at the gate."),
        order=90,
    )
    def cancel(self):
        pass

    @classmethod
    def scope_q(cls, scope, user):
        """Row rules: ``approver`` — passes of the classes the user heads and of the days the user is the
        duty leader; ``staff`` — those and the passes the user asked for; ``family`` — the user's
        children's passes (and those they asked for); ``own`` — the passes the user asked for;
        ``gate`` — the guard's: today's passes but the withdrawn (the guard sees why one cannot be used)
        and those still out. "Today" is the local date when the condition is built (``restriction_sql``
        keys its compiled rules by it; kept pages by their date)."""
        from logistics.people.models import GuardianLink

        class_teacher = Q(student__school_class__head_teacher=user)
        duty = Q(leave_at__date__in=DutyLeader.objects.filter(leader=user).values("day"))
        own = Q(requested_by=user)
        if scope == "approver":
            return class_teacher | duty
        if scope == "staff":
            return class_teacher | duty | own
        if scope == "family":
            return Q(student_id__in=GuardianLink.objects.filter(guardian=user).values("student_id")) | own
        if scope == "own":
            return own
        if scope == "gate":
            from django.utils import timezone

            return Q(status=P.OUT) | (Q(leave_at__date=timezone.localdate()) & ~Q(status=P.CANCELLED))
        return Q(pk__in=[])
