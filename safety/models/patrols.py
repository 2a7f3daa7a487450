"""Patrols (巡更): checkpoints that prove presence, routes with schedules, rounds and their scans.

GB/T 29315-2022 (中小学、幼儿园安全技术防范系统要求): key areas (重点部位) are patrolled at least five times
a day and the gatehouse is staffed around the clock; the seeds' night patrols are "定点、定岗、定人".
"""

import datetime
import hashlib
import hmac
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

from ..choices import WEEKDAYS, CheckpointKind, Proof, RoundStatus

R = RoundStatus

__all__ = ["Checkpoint", "PatrolRound", "PatrolScan", "PatrolSchedule", "Route", "RouteStop"]


def new_code():
    return secrets.token_urlsafe(9)


def new_secret():
    return secrets.token_hex(20)


def new_screen_key():
    return secrets.token_urlsafe(18)


class Checkpoint(PrimaryModel):
    """A patrol checkpoint (巡更点): a room or an outdoor spot with a QR poster, optionally an NFC tag.

    ``proof`` says what a scan proves (docs/safety.md § Proof of presence): a printed static code
    (weakest: it can be photographed), a rotating code (HMAC of the time slot with the checkpoint's
    secret, shown by a cheap screen or printed as a daily sheet), or an NFC tag id."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CheckpointKind.choices, default=CheckpointKind.OTHER)
    room = models.ForeignKey(
        "tenancy.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room")
    )
    spot = models.CharField(_("spot"), max_length=200, blank=True)
    key_area = models.BooleanField(
        _("key area (重点部位)"),
        default=False,
        help_text=_("Patrolled at least the number of times a day the rule sets."),
    )
    proof = models.CharField(_("proof of presence"), max_length=10, choices=Proof.choices, default=Proof.STATIC)
    rotation_minutes = models.PositiveSmallIntegerField(
        _("code changes every (minutes)"), default=10, help_text=_("For a rotating code.")
    )
    nfc_id = models.CharField(_("NFC tag id"), max_length=64, blank=True)
    code = models.CharField(_("QR code"), max_length=20, default=new_code, editable=False)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    active = models.BooleanField(_("in use"), default=True)
    screen_key = models.CharField(max_length=32, default=new_screen_key, editable=False)

    audit_exclude = ("created", "updated", "updated_by", "secret", "screen_key")

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["school", "name"], name="safety_checkpoint_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"],
                name="safety_checkpoint_unique_code",
                violation_error_message=_("A checkpoint with this QR code already exists in this school."),
            ),
            models.UniqueConstraint(
                fields=["school", "name"],
                name="safety_checkpoint_unique_name",
                violation_error_message=_("A checkpoint with this name already exists in this school."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("safety:checkpoint_detail", args=[self.pk])

    @property
    def place(self):
        if self.room_id:
            return f"{self.room.building.name} {self.room.name}"
        return self.spot

    @property
    def scan_path(self):
        """The URL printed in the QR poster (opened by the phone's camera)."""
        return reverse("safety:scan_code", args=[self.code])

    # --- rotating codes: HMAC-SHA256(secret, slot number) → 6 digits ----------------------------------
    def slot_of(self, moment):
        seconds = max(1, self.rotation_minutes) * 60
        return int(moment.timestamp()) // seconds

    def code_for_slot(self, slot):
        digest = hmac.new(self.secret.encode(), str(slot).encode(), hashlib.sha256).digest()
        return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"

    def rotating_code(self, moment=None):
        return self.code_for_slot(self.slot_of(moment or timezone.now()))

    def accepts_code(self, code, moment):
        """A rotating code is accepted for its own slot and the one before (a code read just before it
        changed); nothing older, nothing from the future."""
        code = (code or "").strip()
        if not code:
            return False
        slot = self.slot_of(moment)
        return any(hmac.compare_digest(code, self.code_for_slot(s)) for s in (slot, slot - 1))


class Route(PrimaryModel):
    """A patrol route (巡更路线): an ordered set of checkpoints with its schedules."""

    name = models.CharField(_("name"), max_length=100)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
        help_text=_("Told when a round is missed or incomplete."),
    )
    min_seconds_between = models.PositiveIntegerField(
        _("fastest walk between two checkpoints (seconds)"),
        default=30,
        help_text=_("Two scans closer in time than this are flagged “too fast”."),
    )
    active = models.BooleanField(_("in use"), default=True)
    checkpoints = models.ManyToManyField(
        Checkpoint, through="RouteStop", related_name="routes", verbose_name=_("checkpoints")
    )

    #: the columns ``__str__`` reads (a route shown as text in a row read with ``values()``)
    str_columns = ("name",)

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["school", "name"], name="safety_route_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="safety_route_unique_name",
                violation_error_message=_("A patrol route with this name already exists in this school."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("safety:route_detail", args=[self.pk])


class RouteStop(PrimaryModel):
    """A checkpoint's place in a route's order."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops", verbose_name=_("route"))
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("checkpoint"))
    position = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        ordering = ["route", "position"]
        indexes = [models.Index(fields=["school", "route", "position"], name="safety_stop_route")]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "checkpoint"],
                name="safety_stop_unique_checkpoint",
                violation_error_message=_("This checkpoint is already on the route."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.checkpoint}"


class PatrolSchedule(PrimaryModel):
    """When a route is walked: a start time, a window to walk it in, grace minutes, the days of the
    week and the guard on it. A window may run past midnight (night patrols)."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("route"))
    start_time = models.TimeField(_("start time"))
    window_minutes = models.PositiveSmallIntegerField(_("window (minutes)"), default=60)
    grace_minutes = models.PositiveSmallIntegerField(_("grace (minutes)"), default=10)
    weekdays = models.CharField(_("days of the week"), max_length=7, default="1234567")
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guard"),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("patrol schedule")
        verbose_name_plural = _("patrol schedules")
        ordering = ["route", "start_time", "pk"]
        indexes = [models.Index(fields=["school", "route"], name="safety_schedule_route")]

    def __str__(self):
        return f"{self.route} {self.start_time:%H:%M}"

    @property
    def weekday_labels(self):
        labels = dict(WEEKDAYS)
        return " ".join(str(labels[d]) for d in self.weekdays if d in labels)

    def runs_on(self, day):
        return str(day.isoweekday()) in self.weekdays


class PatrolRound(PrimaryModel):
    """One walk of a route at a scheduled time (巡更记录), generated from the schedules by the platform's
    scan (idempotent: one round per schedule and start). Ends complete, incomplete (checkpoints missed)
    or missed (never started); missed and incomplete rounds notify the supervisor and the logistics head
    once and are closed only with a written explanation."""

    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("route"))
    schedule = models.ForeignKey(
        PatrolSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("schedule")
    )
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guard"),
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    grace_until = models.DateTimeField(_("grace until"))
    status = FSMField(_("status"), max_length=20, choices=RoundStatus.choices, default=R.SCHEDULED, editable=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RoundStatus.choices, blank=True, editable=False)
    started_at = models.DateTimeField(pgettext_lazy("patrol round", "started"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, editable=False)
    stops_total = models.PositiveSmallIntegerField(_("checkpoints"), default=0, editable=False)
    stops_done = models.PositiveSmallIntegerField(_("checkpoints scanned"), default=0, editable=False)
    flagged_scans = models.PositiveSmallIntegerField(_("flagged scans"), default=0, editable=False)
    explanation = models.TextField(pgettext_lazy("patrol round", "explanation"), blank=True, editable=False)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("explained by"),
    )
    explained_at = models.DateTimeField(_("explained"), null=True, blank=True, editable=False)

    #: the counters follow the scans (each scan is its own record): no change record per scan
    audit_exclude = ("created", "updated", "updated_by", "stops_done", "flagged_scans")

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-planned_start", "-id"]
        indexes = [
            models.Index(fields=["school", "-planned_start", "-id"], name="safety_round_school_start"),
            models.Index(fields=["school", "status", "-planned_start", "-id"], name="safety_round_school_status"),
            models.Index(fields=["school", "route", "-planned_start", "-id"], name="safety_round_school_route"),
            models.Index(fields=["school", "guard", "-planned_start", "-id"], name="safety_round_school_guard"),
            models.Index(
                fields=["school", "grace_until"],
                name="safety_round_open_grace",
                condition=Q(status__in=["scheduled", "in_progress"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "schedule", "planned_start"],
                name="safety_round_one_per_schedule",
                violation_error_message=_("This schedule already has a round at that time."),
            )
        ]
        permissions = [
            ("patrol_patrolround", "Can walk patrol rounds (start, scan, finish)"),
            ("explain_patrolround", "Can explain missed or incomplete patrol rounds"),
        ]

    def __str__(self):
        local = timezone.localtime(self.planned_start)
        return f"{self.route} {local:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("safety:patrolround_detail", args=[self.pk])

    @property
    def completion(self):
        return round(100 * self.stops_done / self.stops_total) if self.stops_total else 0

    # --- steps: scheduled → in progress → complete | incomplete; scheduled → missed (system);
    # incomplete | missed → explained. Side effects in ``safety.rounds``. ---------------------------------

    @step(
        status,
        source=[R.SCHEDULED],
        target=R.IN_PROGRESS,
        permission="patrol",
        label=pgettext_lazy("patrol step", "Start the round"),
        description="The guard starts the round (the first scan also starts it).",
        service="safety.rounds.start",
        event="round.started",
        order=10,
        primary=True,
    )
    def start(self):
        pass

    @step(
        status,
        source=[R.IN_PROGRESS],
        target=RETURN_VALUE(R.COMPLETE, R.INCOMPLETE),
        permission="patrol",
        label=pgettext_lazy("patrol step", "Finish the round"),
        description="The guard ends the round: complete when every checkpoint was scanned, else incomplete.",
        service="safety.rounds.finish",
        event="round.finished",
        system=True,
        confirm=pgettext_lazy("patrol step", "Checkpoints not scanned now count as missed."),
        order=20,
        primary=True,
    )
    def finish(self):
        return R.COMPLETE if self.stops_done >= self.stops_total else R.INCOMPLETE

    @step(
        status,
        source=[R.SCHEDULED],
        target=R.MISSED,
        permission="explain",
        label=pgettext_lazy("patrol step", "Mark as missed"),
        description="A round never started by the end of its grace time is missed (done by the scan).",
        service="safety.rounds.miss",
        event="round.missed",
        system=True,
        hidden=True,
        api=False,
        order=30,
    )
    def miss(self):
        pass

    @step(
        status,
        source=[R.INCOMPLETE, R.MISSED],
        target=RETURN_VALUE(R.COMPLETE, R.INCOMPLETE),
        permission="patrol",
        label=pgettext_lazy("patrol step", "Complete with scans sent late"),
        description=(
            "Scans queued offline and received after the round was closed complete it (or make a round"
            " marked missed incomplete)."
        ),
        service="safety.rounds.reconcile",
        event="round.completed_late",
        system=True,
        hidden=True,
        api=False,
        order=35,
    )
    def reconcile(self):
        return R.COMPLETE if self.stops_done >= self.stops_total else R.INCOMPLETE

    @step(
        status,
        source=[R.INCOMPLETE, R.MISSED],
        target=R.EXPLAINED,
        permission="explain",
        label=pgettext_lazy("patrol step", "Explain"),
        description="A written explanation of a missed or incomplete round closes it.",
        form="safety.forms.ExplainForm",
        serializer="safety.api.serializers.ExplainSerializer",
        service="safety.rounds.explain",
        event="round.explained",
        order=40,
        primary=True,
    )
    def explain(self):
        pass

    #: what each row rule reads besides the rows (``logistics.tenancy.versions``)
    scope_watch = {"guard": ()}

    @classmethod
    def scope_q(cls, scope, user):
        """``guard``: the rounds of the guard (assigned to them, or to nobody)."""
        if scope == "guard":
            return Q(guard=user) | Q(guard__isnull=True)
        return Q(pk__in=[])


class PatrolScan(PrimaryModel):
    """One scan of a checkpoint in a round (巡更打卡): server time, the device's own time, the order, how
    it was proved and its flags. Sent with a client id, counted once however often it is sent."""

    round = models.ForeignKey(PatrolRound, on_delete=models.PROTECT, related_name="scans", verbose_name=_("round"))
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("checkpoint"))
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("guard")
    )
    client_id = models.UUIDField(_("client id"))
    scanned_at = models.DateTimeField(_("received"), default=timezone.now)
    device_time = models.DateTimeField(_("time on the phone"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    proof = models.CharField(_("proof of presence"), max_length=10, choices=Proof.choices, default=Proof.STATIC)
    code_valid = models.BooleanField(_("code valid"), default=True)
    late = models.BooleanField(_("late"), default=False)
    out_of_order = models.BooleanField(_("out of order"), default=False)
    too_fast = models.BooleanField(_("too fast"), default=False)
    repeated = models.BooleanField(_("repeated"), default=False)
    #: a checkpoint of a plain QR poster picked from the list on the round page, its code not read by the
    #: camera: recorded (the poster may be torn, the light too poor) but flagged — it proves nothing
    by_hand = models.BooleanField(_("chosen by hand"), default=False)
    delay_seconds = models.IntegerField(_("sent after (seconds)"), default=0)

    #: a scan is an append-only event: the row is its own record (guard, server and phone time, client
    #: id, flags) and is never edited, so creating one writes no change record (docs/benchmarks.md)
    audit_append_only = True

    class Meta:
        verbose_name = _("patrol scan")
        verbose_name_plural = _("patrol scans")
        ordering = ["round", "position", "pk"]
        indexes = [
            models.Index(fields=["school", "round", "position"], name="safety_scan_round"),
            models.Index(fields=["school", "-scanned_at"], name="safety_scan_school_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "client_id"],
                name="safety_scan_unique_client",
                violation_error_message=_("This scan was already received."),
            )
        ]

    def __str__(self):
        return f"{self.checkpoint} {timezone.localtime(self.effective_time):%H:%M:%S}"

    @property
    def effective_time(self):
        return self.device_time or self.scanned_at

    @property
    def flagged(self):
        return self.late or self.out_of_order or self.too_fast or self.repeated or self.by_hand or not self.code_valid

    @property
    def early(self):
        """Outside the round's time (``late``) because it came in the grace before the window opened."""
        return self.late and self.effective_time < self.round.planned_start

    @property
    def long_delay(self):
        return self.delay_seconds >= LONG_DELAY_SECONDS

    @classmethod
    def scope_q(cls, scope, user):
        """``own``: the guard's own scans."""
        if scope == "own":
            return Q(guard=user)
        return Q(pk__in=[])


#: a scan received this long after it was made (queued offline) is shown with its delay
LONG_DELAY_SECONDS = 300


def window_of(schedule, day):
    """(start, end, grace_until) of ``schedule`` on ``day`` (aware datetimes in the school's zone)."""
    start = timezone.make_aware(datetime.datetime.combine(day, schedule.start_time))
    end = start + datetime.timedelta(minutes=schedule.window_minutes)
    return start, end, end + datetime.timedelta(minutes=schedule.grace_minutes)
