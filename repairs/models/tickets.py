"""Repair tickets (报修单), the time workers spend on them and the parts they use."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin
from logistics.workflow import step

from ..choices import OPEN_STATUSES, Cause, TicketKind, TicketStatus, Trade, Urgency

S = TicketStatus
WORKING = [S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD]

__all__ = ["PartUsage", "Ticket", "WorkLog"]


def _worker_trades(user):
    """{school_id: [trades]} of the user's active repair-worker memberships (cached on the user)."""
    cached = getattr(user, "_repairs_trades", None)
    if cached is not None:
        return cached
    from logistics.accounts.roles import Role
    from logistics.tenancy.models import Membership

    trades = {}
    for membership in Membership.objects.filter(user=user, role=Role.REPAIR_WORKER, active=True, school__isnull=False):
        trades.setdefault(membership.school_id, []).extend(membership.trade_list)
    user._repairs_trades = trades
    return trades


class Ticket(ReferenceMixin, PrimaryModel):
    """A repair ticket (报修单): a place, a trade, what is wrong — then who fixed it, how, with what.

    Rule: "有报即修" — every ticket has a target time by urgency (rules ``repairs.target_hours.*``,
    DOMAIN.md § Repairs); past it the ticket is flagged and escalated to the logistics head once.
    Status changes only in ``repairs.services`` (CONVENTIONS.md: services are the only writers).
    """

    reference_prefix = "REP"

    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices, default=TicketKind.REACTIVE)
    room = models.ForeignKey("tenancy.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    #: copied from the room on save: filters and figures by building without a join
    building = models.ForeignKey(
        "tenancy.Building", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("building")
    )
    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    status = FSMField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.SUBMITTED, editable=False
    )
    description = models.TextField(_("description"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requester")
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="repair_jobs", verbose_name=_("repair workers")
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_tickets",
        verbose_name=_("asset"),
    )
    plan = models.ForeignKey(
        "repairs.MaintenancePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("maintenance plan"),
    )
    due_date = models.DateField(_("planned date"), null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    target_at = models.DateTimeField(_("target time"), null=True, blank=True, editable=False)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)
    auto_confirmed = models.BooleanField(_("confirmed automatically"), default=False, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0, editable=False)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)

    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices, blank=True)
    resolution = models.TextField(_("work done"), blank=True)
    labour_minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0, editable=False)
    parts_cost = models.DecimalField(
        _("parts cost"), max_digits=12, decimal_places=2, default=Decimal("0"), editable=False
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    #: repairs-side record of human damage (the compensation record itself lives in assets/)
    damage_amount = models.DecimalField(_("damage amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    damage_responsible = models.CharField(_("responsible (class or person)"), max_length=100, blank=True)
    damage_record = models.ForeignKey(
        "assets.DamageRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("damage-compensation record"),
    )

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # every list index ends with (-submitted_at, -id), the list's order, and holds the id: the
            # capped count and the page's ids come from the index alone (index-only scans)
            models.Index(fields=["school", "-submitted_at", "-id"], name="ticket_school_submitted"),
            models.Index(fields=["school", "status", "trade", "-submitted_at", "-id"], name="ticket_school_status"),
            models.Index(fields=["school", "trade", "-submitted_at", "-id"], name="ticket_school_trade"),
            models.Index(fields=["school", "requester", "-submitted_at", "-id"], name="ticket_school_requester"),
            models.Index(fields=["school", "building", "-submitted_at", "-id"], name="ticket_school_building"),
            models.Index(fields=["school", "room", "-submitted_at", "-id"], name="ticket_school_room"),
            models.Index(
                fields=["school", "target_at"],
                name="ticket_school_open_target",
                condition=Q(status__in=["submitted", "assigned", "in_progress", "on_hold"]),
            ),
            models.Index(fields=["school", "done_at"], name="ticket_school_done"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"],
                name="ticket_unique_school_reference",
                violation_error_message=_("A repair ticket with this reference number already exists in this school."),
            ),
            models.UniqueConstraint(
                fields=["plan", "due_date"],
                condition=Q(plan__isnull=False),
                name="ticket_one_per_plan_date",
                violation_error_message=_("This maintenance plan already has a ticket for that date."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="ticket_rating_1_5",
                violation_error_message=_("Rate from 1 to 5."),
            ),
        ]
        permissions = [
            ("assign_ticket", "Can assign repair tickets"),
            ("work_ticket", "Can work on repair tickets"),
            ("progress_ticket", "Can start, hold, complete and record work on repair tickets"),
            ("confirm_ticket", "Can confirm or reopen repaired tickets"),
            ("cancel_ticket", "Can cancel repair tickets"),
            ("view_stats", "Can see repair figures"),
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("repairs:ticket_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.room_id and not self.building_id:
            self.building_id = self.room.building_id
        super().save(*args, **kwargs)

    # --- steps (DOMAIN.md § Repairs: submitted → assigned → in progress → (on hold) → done → confirmed;
    # rejected or cancelled with a reason). Side effects: ``repairs.steps``; buttons in this order. -------

    @step(
        status,
        source=[S.SUBMITTED, S.ASSIGNED, S.ON_HOLD],
        target=S.IN_PROGRESS,
        permission="progress",
        label=pgettext_lazy("repair step", "Start work"),
        description="A worker starts the job (a worker of the trade takes an unassigned ticket this way).",
        service="repairs.steps.start",
        event="ticket.started",
        done_message=pgettext_lazy("repair step", "Work started: the requester has been told."),
        order=10,
        primary=True,
    )
    def start(self):
        pass

    @step(
        status,
        source=[S.IN_PROGRESS],
        target=S.DONE,
        permission="progress",
        label=pgettext_lazy("repair step", "Complete"),
        description="A worker completes the job with the cause; human damage opens a damage-compensation record.",
        form="repairs.forms.CompleteForm",
        serializer="repairs.api.serializers.CompleteSerializer",
        service="repairs.steps.complete",
        event="ticket.done",
        order=20,
        primary=True,
    )
    def complete(self):
        pass

    @step(
        status,
        source=[S.DONE],
        target=S.CONFIRMED,
        permission="confirm",
        label=pgettext_lazy("repair step", "Confirm the repair"),
        description="The requester confirms the fix, optionally rating it 1–5.",
        form="repairs.forms.ConfirmForm",
        serializer="repairs.api.serializers.ConfirmSerializer",
        service="repairs.steps.confirm",
        event="ticket.confirmed",
        system=True,
        order=30,
        primary=True,
    )
    def confirm(self):
        pass

    @step(
        status,
        source=[S.DONE],
        target=RETURN_VALUE(S.ASSIGNED, S.SUBMITTED),
        permission="confirm",
        label=pgettext_lazy("repair step", "Not fixed: reopen"),
        description="The requester reopens a completed ticket with a reason; it goes back to the workers.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="repairs.steps.reopen",
        event="ticket.reopened",
        reason=True,
        order=35,
    )
    def reopen(self):
        return S.ASSIGNED if self.assignees.exists() else S.SUBMITTED

    @step(
        status,
        source=[S.SUBMITTED, *WORKING],
        target={S.SUBMITTED: S.ASSIGNED, S.ASSIGNED: None, S.IN_PROGRESS: None, S.ON_HOLD: None},
        permission="assign",
        label=pgettext_lazy("repair step", "Assign"),
        description='The logistics head assigns one or more repair workers (`{"assignees": [user ids]}`), '
        "optionally changing the urgency.",
        form="repairs.forms.AssignForm",
        serializer="repairs.api.serializers.AssignSerializer",
        service="repairs.steps.assign",
        event="ticket.assigned",
        order=40,
        primary=True,
    )
    def assign(self):
        pass

    @step(
        status,
        source=[S.IN_PROGRESS],
        target=S.ON_HOLD,
        permission="progress",
        label=pgettext_lazy("repair step", "Put on hold (waiting for parts)"),
        description="A worker puts the job on hold (e.g. waiting for parts) with a reason.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="repairs.steps.hold",
        event="ticket.on_hold",
        reason=True,
        order=50,
    )
    def hold(self):
        pass

    @step(
        status,
        source=list(OPEN_STATUSES),
        permission="assign",
        label=pgettext_lazy("repair step", "Change urgency"),
        description="The logistics head changes the urgency; the target time follows.",
        form="repairs.forms.UrgencyForm",
        serializer="repairs.api.serializers.UrgencySerializer",
        service="repairs.steps.change_urgency",
        event="ticket.urgency",
        url_name="urgency",
        order=60,
    )
    def change_urgency(self):
        pass

    @step(
        status,
        source=[*WORKING, S.DONE],
        permission="progress",
        label=pgettext_lazy("repair step", "Record time"),
        description="Record time spent on the ticket.",
        form="repairs.forms.WorkLogForm",
        serializer="repairs.api.serializers.WorkLogCreateSerializer",
        service="repairs.steps.log_work",
        event="ticket.work_logged",
        order=70,
        api=False,
    )
    def log_work(self):
        pass

    @step(
        status,
        source=[*WORKING, S.DONE],
        permission="progress",
        label=pgettext_lazy("repair step", "Record a part"),
        description="Record a part or material: free text or a consumable of the school's stock.",
        form="repairs.forms.PartForm",
        serializer="repairs.api.serializers.PartCreateSerializer",
        service="repairs.steps.add_part",
        event="ticket.part_used",
        order=75,
        api=False,
    )
    def add_part(self):
        pass

    @step(
        status,
        source=[*WORKING, S.DONE],
        permission="progress",
        label=pgettext_lazy("repair step", "Reverse a part"),
        description="Reverse a part recorded by mistake (until the repair is confirmed): a consumable goes back "
        "to stock; the part stays on the ticket, marked reversed with who, when and why.",
        form="repairs.forms.ReversePartForm",
        serializer="repairs.api.serializers.ReversePartSerializer",
        service="repairs.steps.reverse_part",
        event="ticket.part_reversed",
        order=76,
        hidden=True,  # taken from the row of the part (ticket page), or its own page / the API
    )
    def reverse_part(self):
        pass

    @step(
        status,
        source=WORKING,
        permission="progress",
        label=pgettext_lazy("repair step", "Tick the checklist"),
        description="A worker ticks an item of a preventive ticket's checklist.",
        form="repairs.forms.TickForm",
        serializer="repairs.api.serializers.TickSerializer",
        service="repairs.steps.tick",
        event="ticket.checklist",
        order=80,
        hidden=True,
    )
    def tick(self):
        pass

    @step(
        status,
        source=[S.SUBMITTED, S.ASSIGNED],
        target=S.CANCELLED,
        permission="cancel",
        label=pgettext_lazy("repair step", "Withdraw the ticket"),
        description="The requester (or the logistics head) cancels the ticket before work starts, with a reason.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="repairs.steps.cancel",
        event="ticket.cancelled",
        reason=True,
        danger=True,
        confirm=pgettext_lazy("repair step", "The ticket will be closed without a repair."),
        order=90,
    )
    def cancel(self):
        pass

    @step(
        status,
        source=[S.SUBMITTED, S.ASSIGNED],
        target=S.REJECTED,
        permission="assign",
        label=pgettext_lazy("repair step", "Reject"),
        description="The logistics head rejects the ticket (not a repair, a duplicate…) with a reason.",
        form="logistics.workflow.forms.ReasonForm",
        serializer="logistics.workflow.serializers.ReasonSerializer",
        service="repairs.steps.reject",
        event="ticket.rejected",
        reason=True,
        danger=True,
        confirm=pgettext_lazy("repair step", "The requester will see your reason."),
        order=95,
    )
    def reject(self):
        pass

    #: what each row rule reads besides the ticket (its assignees move its version): a worker's trades
    scope_watch = {"own": (), "worker": ("tenancy.membership",), "assigned": ("tenancy.membership",)}

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: the requester's tickets; ``assigned``: a repair worker's — own, assigned to them,
        and the unassigned queue of their trades in each school (Membership.trades)."""
        if scope == "own":
            return Q(requester=user)
        if scope == "worker":
            # the worker's jobs and the unassigned queue of their trades (starting takes a job)
            condition = Q(pk__in=cls.assignees.through.objects.filter(user_id=user.pk).values("ticket_id"))
            for school_id, trades in _worker_trades(user).items():
                if trades:
                    condition |= Q(school_id=school_id, trade__in=trades, status=TicketStatus.SUBMITTED)
            return condition
        if scope == "assigned":
            mine = cls.assignees.through.objects.filter(user_id=user.pk).values("ticket_id")
            condition = Q(requester=user) | Q(pk__in=mine)
            for school_id, trades in _worker_trades(user).items():
                if trades:
                    condition |= Q(school_id=school_id, trade__in=trades, status=TicketStatus.SUBMITTED)
            return condition
        return super().scope_q(scope, user)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.target_at is not None and self.target_at < timezone.now()

    @property
    def completion_hours(self):
        if self.done_at and self.submitted_at:
            return round((self.done_at - self.submitted_at).total_seconds() / 3600, 1)
        return None

    @property
    def on_time(self):
        if self.done_at and self.target_at:
            return self.done_at <= self.target_at
        return None


class WorkLog(PrimaryModel):
    """Time a repair worker spent on a ticket (工时)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="work_logs", verbose_name=_("ticket"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    work_date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        ordering = ["work_date", "pk"]
        indexes = [models.Index(fields=["school", "ticket"], name="worklog_school_ticket")]

    def __str__(self):
        return f"{self.ticket} · {self.minutes} min"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url()

    @classmethod
    def scope_q(cls, scope, user):
        """Visible with the ticket."""
        return Q(ticket__in=Ticket.objects.filter(Ticket.scope_q(scope, user)).values("pk"))


class PartUsage(PrimaryModel):
    """A part or material used on a ticket (配件/材料), e.g. 47 水龙头 or 260 推拉门滑轮 a term:
    free text, or a consumable of the school's stock, with quantity and unit cost."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="parts", verbose_name=_("ticket"))
    name = models.CharField(_("part or material"), max_length=100)
    consumable = models.ForeignKey(
        "assets.Consumable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consumable"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=10, decimal_places=2, default=Decimal("0"))
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=Decimal("0"), editable=False)
    # a part recorded by mistake is reversed, never deleted: its stock goes back and the row stays, with who,
    # when and why (until the requester confirms the repair)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True, editable=False)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("reversed by"),
    )
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["school", "ticket"], name="part_school_ticket"),
            models.Index(fields=["school", "created"], name="part_school_created"),
        ]

    def __str__(self):
        return f"{self.name} × {format(self.quantity.normalize(), 'f')}"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url()

    def save(self, *args, **kwargs):
        self.cost = (self.quantity or 0) * (self.unit_cost or 0)
        super().save(*args, **kwargs)

    @property
    def is_reversed(self):
        return self.reversed_at is not None

    @classmethod
    def scope_q(cls, scope, user):
        """Visible with the ticket."""
        return Q(ticket__in=Ticket.objects.filter(Ticket.scope_q(scope, user)).values("pk"))
