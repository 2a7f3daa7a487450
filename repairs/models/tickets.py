"""Repair tickets (报修单), the time workers spend on them and the parts they use."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel
from logistics.tenancy.references import ReferenceMixin

from ..choices import OPEN_STATUSES, Cause, TicketKind, TicketStatus, Trade, Urgency

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
    status = models.CharField(
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
                fields=["plan", "due_date"],
                condition=Q(plan__isnull=False),
                name="ticket_one_per_plan_date",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="ticket_rating_1_5"
            ),
        ]
        permissions = [
            ("assign_ticket", "Can assign repair tickets"),
            ("work_ticket", "Can work on repair tickets"),
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

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: the requester's tickets; ``assigned``: a repair worker's — own, assigned to them,
        and the unassigned queue of their trades in each school (Membership.trades)."""
        if scope == "own":
            return Q(requester=user)
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

    @classmethod
    def scope_q(cls, scope, user):
        """Visible with the ticket."""
        return Q(ticket__in=Ticket.objects.filter(Ticket.scope_q(scope, user)).values("pk"))
