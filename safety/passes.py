"""Leave-pass services: request (class teacher or guardian), approve (class teacher and duty leader
of the day), the gate's out and back (guardians told), boarders not back told once, the guard's
check of a pass (why it cannot be used).

Source: 中小学幼儿园安全管理办法 (教育部令第23号) art. 24; DOMAIN.md § Safety (student leave)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions
from logistics.notifications.services import notify
from logistics.people.models import GuardianLink, Student
from logistics.workflow.guard import StepResult

from .choices import PassStatus
from .models import DutyLeader, LeavePass
from .people import heads_of

P = PassStatus


def guardians_of(student):
    return list(get_user_model().objects.filter(guardian_links__student=student, is_active=True).distinct())


def duty_leader_on(school_id, day):
    row = DutyLeader.objects.filter(school_id=school_id, day=day).select_related("leader").first()
    return row.leader if row else None


def is_class_teacher(user, student):
    return student.school_class.head_teacher_id == user.pk


def is_guardian(user, student):
    return GuardianLink.objects.filter(student=student, guardian=user).exists()


def may_ask_for_all(user, school_id):
    """The school's management may ask for any student's pass; others only for their own."""
    return school_id in permissions.scopes_for(user, "safety.view_leavepass").get("all", set())


def students_to_ask_for(user, school):
    """The students ``user`` may ask a pass for: the school's, for its management; else those of the
    classes they head and their own children — not every student they may see (PIPL: a teacher who
    teaches a class is not shown its roll on a form that would refuse them)."""
    students = Student.objects.restrict(user, "view").in_school(school).filter(active=True)
    if not may_ask_for_all(user, school.pk):
        students = students.filter(Q(school_class__head_teacher=user) | Q(guardian_links__guardian=user)).distinct()
    return students


def request_pass(*, student, actor, reason, leave_at, return_by, picked_up_by=""):
    """A pass requested by the student's class teacher, a guardian or the school's management; the
    class teacher and the duty leader of the day are asked to approve."""
    school_id = student.school_id
    allowed = may_ask_for_all(actor, school_id) or is_class_teacher(actor, student) or is_guardian(actor, student)
    if not allowed:
        raise PermissionDenied(_("Only the class teacher or a guardian may ask for this student's leave pass."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if return_by <= leave_at:
        raise ValidationError({"return_by": _("The return must be after the departure.")})
    if timezone.localtime(leave_at).date() < timezone.localdate():  # a pass is good on its own day only
        raise ValidationError({"leave_at": _("The departure cannot be on a day that has passed.")})
    leave_pass = LeavePass.objects.create(
        school_id=school_id,
        student=student,
        reason=reason.strip(),
        leave_at=leave_at,
        return_by=return_by,
        picked_up_by=(picked_up_by or "").strip(),
        requested_by=actor,
    )
    leader = duty_leader_on(school_id, timezone.localdate(leave_at))
    teacher = student.school_class.head_teacher
    notify(
        [p for p in (teacher, leader) if p is not None and p.pk != actor.pk],
        _("Leave pass to approve: %(name)s") % {"name": student.name},
        leave_pass.reason,
        obj=leave_pass,
        key=f"safety:pass:{leave_pass.pk}:ask",
    )
    if leader is None:  # nobody could give the second approval: the heads are told to name the day's leader
        day = timezone.localdate(leave_at)
        notify(
            list(heads_of(school_id)),
            _("No duty leader on %(date)s: a leave pass waits") % {"date": f"{day:%Y-%m-%d}"},
            _("%(name)s's leave pass needs the duty leader's approval. Name the duty leader of that day.")
            % {"name": student.name},
            obj=leave_pass,
            url=reverse("safety:dutyleader_list"),
            key=f"safety:duty:{school_id}:{day:%Y%m%d}:none",
            level="warning",
        )
    return leave_pass


def approvals_left(leave_pass, actor):
    """The approvals ``actor`` may still give on the pass: ``"teacher"`` and/or ``"leader"``."""
    left = []
    if leave_pass.teacher_approved_by_id is None and is_class_teacher(actor, leave_pass.student):
        left.append("teacher")
    if leave_pass.leader_approved_by_id is None:
        leader = duty_leader_on(leave_pass.school_id, timezone.localdate(leave_pass.leave_at))
        if leader is not None and leader.pk == actor.pk:
            left.append("leader")
    return left


def offers_approval(user, leave_pass):
    """The approve button is offered only to who still has an approval to give (not again after it)."""
    return bool(approvals_left(leave_pass, user))


def approve(leave_pass, actor):
    """The class teacher's or the duty leader's approval (both needed; one person may give both when
    they are both)."""
    student = leave_pass.student
    gave = []
    left = approvals_left(leave_pass, actor)
    if "teacher" in left:
        leave_pass.teacher_approved_by = actor
        gave.append(_("class teacher"))
    if "leader" in left:
        leave_pass.leader_approved_by = actor
        gave.append(_("duty leader"))
    if not gave:
        raise ValidationError(_("Only the class teacher and the duty leader of that day approve this pass, each once."))
    if leave_pass.teacher_approved_by_id and leave_pass.leader_approved_by_id:
        notify(
            guardians_of(student),
            _("Leave pass approved: %(name)s") % {"name": student.name},
            _("Show the pass's QR code at the gate."),
            obj=leave_pass,
            key=f"safety:pass:{leave_pass.pk}:approved",
        )
    return StepResult(_("Approved as %(roles)s") % {"roles": "、".join(str(g) for g in gave)})


def reject(leave_pass, actor, reason):
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give a reason.")})
    leave_pass.rejection_reason = text[:300]
    notify(
        [leave_pass.requested_by],
        _("Leave pass refused: %(name)s") % {"name": leave_pass.student.name},
        text,
        obj=leave_pass,
        key=f"safety:pass:{leave_pass.pk}:rejected",
    )
    return StepResult(_("Refused: %(reason)s") % {"reason": text[:200]})


def check_out(leave_pass, actor):
    refusal = why_not_usable(leave_pass)
    if refusal:  # approved, but for another day or past its return time
        raise ValidationError(refusal)
    leave_pass.out_at = timezone.now()
    notify(
        guardians_of(leave_pass.student),
        _("%(name)s has left school (%(time)s)")
        % {"name": leave_pass.student.name, "time": f"{timezone.localtime(leave_pass.out_at):%H:%M}"},
        leave_pass.picked_up_by,
        obj=leave_pass,
        key=f"safety:pass:{leave_pass.pk}:out",
    )
    return StepResult(_("Left school"))


def check_in(leave_pass, actor):
    leave_pass.back_at = timezone.now()
    notify(
        guardians_of(leave_pass.student),
        _("%(name)s is back at school (%(time)s)")
        % {"name": leave_pass.student.name, "time": f"{timezone.localtime(leave_pass.back_at):%H:%M}"},
        "",
        obj=leave_pass,
        key=f"safety:pass:{leave_pass.pk}:back",
    )
    return StepResult(_("Came back"))


def cancel(leave_pass, actor):
    return StepResult(_("Withdrawn"))


def why_not_usable(leave_pass, now=None):
    """The reason the guard must not let the student out on this pass, or ``""``: an approved pass is
    good on its own day only, and not once its expected return has passed."""
    if leave_pass.status == P.APPROVED:
        now = now or timezone.now()
        day = timezone.localtime(leave_pass.leave_at).date()
        if day != timezone.localdate(now):
            return _("This pass is for %(date)s, not today.") % {"date": f"{day:%Y-%m-%d}"}
        if leave_pass.return_by is not None and leave_pass.return_by < now:
            return _("This pass has expired: the student was expected back by %(time)s.") % {
                "time": f"{timezone.localtime(leave_pass.return_by):%H:%M}"
            }
        return ""
    if leave_pass.status == P.REQUESTED:
        return _("Not approved yet: waiting for %(who)s.") % {
            "who": "、".join(str(w) for w in leave_pass.missing_approvals)
        }
    if leave_pass.status == P.REJECTED:
        return _("Refused: %(reason)s") % {"reason": leave_pass.rejection_reason}
    if leave_pass.status == P.CANCELLED:
        return _("This pass was withdrawn.")
    if leave_pass.status == P.OUT:
        return _("The student is already out on this pass.")
    return _("This pass has been used.")


def tell_not_back(now=None):
    """Boarders out past their expected return: the class teacher and the guardians are told once."""
    now = now or timezone.now()
    told = 0
    for leave_pass in (
        LeavePass.objects.filter(status=P.OUT, return_by__lt=now, overdue_told_at__isnull=True, student__boarding=True)
        .select_related("student__school_class__head_teacher")
        .order_by("return_by")[:1000]
    ):
        student = leave_pass.student
        notify(
            [student.school_class.head_teacher, *guardians_of(student)],
            _("%(name)s is not back at school yet (expected %(time)s)")
            % {"name": student.name, "time": f"{timezone.localtime(leave_pass.return_by):%m-%d %H:%M}"},
            leave_pass.reason,
            obj=leave_pass,
            key=f"safety:pass:{leave_pass.pk}:not-back",
            level="danger",
        )
        leave_pass.overdue_told_at = now
        leave_pass.save()
        told += 1
    return told
