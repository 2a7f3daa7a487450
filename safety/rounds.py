"""Patrol rounds: generated from the schedules, walked by scanning, closed by the platform's scan.

- :func:`generate_rounds` makes each schedule's rounds for the days around now — idempotent (one round
  per schedule and start, a unique constraint), run by the reminder scan every 15 minutes.
- :func:`record_scan` takes one scan from a guard's phone (online or replayed from the offline queue):
  counted once per client id; flags late / out of order / too fast / repeated / code not valid.
- :func:`close_overdue` ends rounds past their grace time: never started → missed, started → finished
  (complete or incomplete). Missed and incomplete rounds notify the supervisor and the logistics head
  once; they are closed by a written explanation.
The step services (``start``, ``finish``, ``miss``, ``reconcile``, ``explain``) are called by the guard
(``logistics.workflow.guard.run``) from the steps declared on :class:`PatrolRound`.
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.notifications.services import notify
from logistics.system import prepared
from logistics.tenancy import rules, versions
from logistics.workflow import guard
from logistics.workflow.guard import StepResult, system_actor

from . import settings_rules as keys
from .choices import Proof, RoundStatus
from .models import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, RouteStop
from .models.patrols import window_of
from .people import heads_of

R = RoundStatus


# --- generation --------------------------------------------------------------------------------------


def generate_rounds(now=None, days_back=2, days_ahead=1):
    """Create the rounds of every active schedule from ``days_back`` days ago to ``days_ahead`` days
    ahead (never before the schedule existed). Safe to run any number of times. Returns how many were
    created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = 0
    schedules = (
        PatrolSchedule.objects.filter(active=True, route__active=True)
        .select_related("route")
        .order_by("school_id", "pk")
    )
    totals = {}
    for schedule in schedules:
        if schedule.route_id not in totals:
            totals[schedule.route_id] = RouteStop.objects.filter(route_id=schedule.route_id).count()
        existing = set(
            PatrolRound.objects.filter(
                school_id=schedule.school_id,
                schedule=schedule,
                planned_start__gte=now - datetime.timedelta(days=days_back + 1),
            ).values_list("planned_start", flat=True)
        )
        for offset in range(-days_back, days_ahead + 1):
            day = today + datetime.timedelta(days=offset)
            if not schedule.runs_on(day):
                continue
            start, end, grace_until = window_of(schedule, day)
            if start in existing or grace_until < schedule.created:
                continue
            try:
                with transaction.atomic():
                    PatrolRound.objects.create(
                        school_id=schedule.school_id,
                        route_id=schedule.route_id,
                        schedule=schedule,
                        guard_id=schedule.guard_id,
                        planned_start=start,
                        planned_end=end,
                        grace_until=grace_until,
                        stops_total=totals[schedule.route_id],
                    )
            except IntegrityError:  # another scan made it first
                continue
            created += 1
    return created


def close_overdue(now=None):
    """End every round past its grace time: never started → missed; started → finished."""
    now = now or timezone.now()
    actor = system_actor()
    ended = 0
    for round_ in PatrolRound.objects.filter(status__in=[R.SCHEDULED, R.IN_PROGRESS], grace_until__lt=now).order_by(
        "grace_until", "pk"
    )[:2000]:
        name = "miss" if round_.status == R.SCHEDULED else "finish"
        guard.run(round_, name, actor)
        ended += 1
    return ended


# --- steps -------------------------------------------------------------------------------------------


def _recount(round_):
    scans = list(
        round_.scans.values_list(
            "checkpoint_id", "late", "out_of_order", "too_fast", "repeated", "by_hand", "code_valid"
        )
    )
    round_.stops_done = len({row[0] for row in scans if row[6]})  # a checkpoint counts once proved
    round_.flagged_scans = sum(1 for row in scans if any(row[1:6]) or not row[6])


def _tell_missed(round_, what):
    recipients = [*heads_of(round_.school_id)]
    if round_.route.supervisor_id:
        recipients.append(round_.route.supervisor)
    notify(
        recipients,
        f"{round_} {what}",
        _("%(done)s of %(total)s checkpoints scanned. A written explanation is needed.")
        % {"done": round_.stops_done, "total": round_.stops_total},
        obj=round_,
        key=f"safety:round:{round_.pk}:unfinished",
        level="warning",
    )


def start(round_, actor):
    """The guard starts the round (the first scan does it too); an unassigned round becomes theirs."""
    round_.started_at = round_.started_at or timezone.now()
    if round_.guard_id is None and not guard.is_system(actor):
        round_.guard = actor
    return StepResult(_("Round started"))


def finish(round_, actor):
    """End the round: complete when every checkpoint was scanned, else incomplete (and told once)."""
    _recount(round_)
    round_.finished_at = timezone.now()
    round_.outcome = R.COMPLETE if round_.stops_done >= round_.stops_total else R.INCOMPLETE
    if round_.outcome == R.INCOMPLETE:
        _tell_missed(round_, _("is incomplete"))
        return StepResult(
            _("Incomplete: %(done)s of %(total)s checkpoints")
            % {"done": round_.stops_done, "total": round_.stops_total}
        )
    return StepResult(_("Complete"))


def miss(round_, actor):
    """Nobody started the round by the end of its grace time."""
    round_.outcome = R.MISSED
    _tell_missed(round_, _("was missed"))
    return StepResult(_("Missed"))


def reconcile(round_, actor):
    """Scans queued offline arrived after the round was closed: they complete it, or make a round that
    was marked missed (the guard walked it with no network) incomplete — walked, with checkpoints missing."""
    was_missed = round_.status == R.MISSED
    _recount(round_)
    if round_.stops_done < round_.stops_total and not was_missed:
        raise ValidationError(_("Checkpoints are still missing."))
    if was_missed:
        first = round_.scans.order_by("position").values_list("guard_id", "device_time", "scanned_at").first()
        if first is not None:
            round_.guard_id = round_.guard_id or first[0]
            round_.started_at = round_.started_at or first[1] or first[2]
    if round_.stops_done < round_.stops_total:
        round_.outcome = R.INCOMPLETE
        return StepResult(
            _("Walked offline, scans received late: %(done)s of %(total)s checkpoints")
            % {"done": round_.stops_done, "total": round_.stops_total}
        )
    round_.outcome = R.COMPLETE
    return StepResult(_("Complete (scans received late)"))


def explain(round_, actor, explanation):
    """A written explanation closes a missed or incomplete round."""
    text = (explanation or "").strip()
    if len(text) < 4:
        raise ValidationError({"explanation": _("Write what happened (a few words at least).")})
    round_.explanation = text
    round_.explained_by = actor
    round_.explained_at = timezone.now()
    return StepResult(_("Explained: %(text)s") % {"text": text[:200]})


# --- scans -------------------------------------------------------------------------------------------


def _effective_time(school, device_time, now):
    """The phone's own time, unless it is ahead of the server by more than the rule allows."""
    if device_time is None:
        return now
    tolerance = datetime.timedelta(minutes=rules.value(school, keys.DEVICE_CLOCK_TOLERANCE_MINUTES))
    return now if device_time > now + tolerance else device_time


def _round_for(user, checkpoint, moment, round_id=None):
    """The round the scan belongs to: the one named (if the user may walk it), else the user's round of
    a route through this checkpoint whose window (with grace) holds the moment."""
    walkable = PatrolRound.objects.restrict(user, "patrol").filter(school_id=checkpoint.school_id)
    if round_id is not None:
        found = walkable.filter(pk=round_id).first()
        if found is None:
            raise ValidationError({"round": _("This round is not one you may walk.")})
        return found
    routes = RouteStop.objects.filter(checkpoint=checkpoint).values("route_id")
    candidates = walkable.filter(
        route_id__in=routes, status__in=[R.SCHEDULED, R.IN_PROGRESS, R.INCOMPLETE, R.MISSED], grace_until__gte=moment
    ).order_by("planned_start")
    for candidate in candidates:
        if opens_at(candidate) <= moment:
            return candidate
    raise ValidationError({"checkpoint": _("No patrol round through this checkpoint is due now.")})


def opens_at(round_):
    """The first moment a scan counts for ``round_``: its start less its grace (the same minutes as after
    its end) — a scan in those minutes is flagged as outside the round's time."""
    return round_.planned_start - (round_.grace_until - round_.planned_end)


def _not_open_yet(round_):
    return ValidationError(
        {
            "round": _("This round starts at %(start)s: scans are taken from %(opens)s.")
            % {
                "start": timezone.localtime(round_.planned_start).strftime("%H:%M"),
                "opens": timezone.localtime(opens_at(round_)).strftime("%H:%M"),
            }
        }
    )


def nfc_key(value):
    """An NFC tag id as compared: Web NFC reads ``04:a2:3b:…``, reader apps print ``04A23B…``."""
    return "".join(ch for ch in (value or "").lower() if ch.isalnum())


def _columns(model, alias):
    """The model's concrete columns over ``alias``, in the order ``Model.from_db`` takes them."""
    from django.db import connection

    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def _rows_of(model, sql, params, extra):
    """Instances of ``model`` from a hand-written query whose columns are ``_columns(model)`` then ``extra``
    (set on each instance by name) — the fields' converters applied, as the ORM would."""
    from django.db import connection

    fields = model._meta.concrete_fields
    converters = _converters(model, connection.alias)
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row[: len(fields)])
        for index, column, funcs in converters:
            for func in funcs:
                values[index] = func(values[index], column, connection)
        instance = model.from_db(connection.alias, None, values)
        for name, value in zip(extra, row[len(fields) :], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


@functools.cache
def _converters(model, alias):
    """As the ORM's compiler: each column's backend converters, then the field's own (``from_db_value``)."""
    from django.db import connections

    connection = connections[alias]
    converters = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        funcs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if funcs:
            converters.append((index, column, funcs))
    return converters


def checkpoint_for_scan(user, code, client_id, school_id=None):
    """The active checkpoint of QR ``code`` the user may see, or None — one query, which also tells
    whether the scan ``client_id`` was already received: ``checkpoint.sent_scan_id`` (its scan's id, or
    None), and reads the school's rule values (``checkpoint.school``: its id and ``rule_overrides``, the
    rest deferred). Codes are random and unique in a school; should two of the user's schools share one,
    the checkpoint of ``school_id`` (the school the user works in now) wins.

    Written in SQL with the user's restriction compiled once (``restriction_sql``): the guard's hot path."""
    from django.db import connection

    from logistics.tenancy.models import School
    from logistics.tenancy.querysets import restriction_sql

    restriction = restriction_sql(Checkpoint, user, "view")
    if restriction is None:
        return None
    where, where_params = restriction
    client_value = PatrolScan._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    found = _rows_of(
        Checkpoint,
        _checkpoint_sql(where, connection.vendor),
        [client_value, code, *where_params],
        ("sent_scan_id", "_rule_overrides"),
    )
    if len(found) > 1:
        found.sort(key=lambda c: c.school_id != school_id)
    if not found:
        return None
    checkpoint = found[0]
    overrides = School._meta.get_field("rule_overrides")
    values = overrides.from_db_value(checkpoint.__dict__.pop("_rule_overrides"), None, connection)
    checkpoint.school = School.from_db(connection.alias, ["id", "rule_overrides"], [checkpoint.school_id, values])
    return checkpoint


@functools.lru_cache(maxsize=256)
def _checkpoint_sql(where, vendor):
    """The text of ``checkpoint_for_scan``'s query for the restriction ``where`` (made once per shape)."""
    from django.db import connection

    from logistics.tenancy.models import School

    quote = connection.ops.quote_name
    table, school_table = quote(Checkpoint._meta.db_table), quote(School._meta.db_table)
    overrides_column = quote(School._meta.get_field("rule_overrides").column)
    # table and column names, the compiled restriction; the values are parameters
    return (
        f"SELECT {_columns(Checkpoint, table)}, ({_scan_sql('sent')}) AS sent_scan_id, sc.{overrides_column}"  # noqa: S608
        f" FROM {table} JOIN {school_table} sc ON sc.id = {table}.school_id"
        f" WHERE {table}.active AND {table}.code = %s AND {where} LIMIT 2"
    )


#: what a scan needs to know from its round's scans so far, as SQL over the round's row (``_locked_round``)
#: — plain SQL that PostgreSQL and SQLite both run: the scan is the guard's hot path, and these subqueries
#: built with ORM expressions cost more CPU to compile than the whole request's other work
_SCAN_SQL = {
    # the scan already received with this client id (in the checkpoint's school)
    "sent": "SELECT s.id FROM {scan} s WHERE s.school_id = {checkpoint}.school_id AND s.client_id = %s",
    # this checkpoint's place on the round's route (NULL: not on it)
    "stop_position": "SELECT st.position FROM {stop} st WHERE st.route_id = {round}.route_id AND st.checkpoint_id = %s",
    "scans_before": "SELECT COUNT(*) FROM {scan} s WHERE s.school_id = %s AND s.round_id = {round}.id",
    "checkpoints_before": (
        "SELECT COUNT(DISTINCT s.checkpoint_id) FROM {scan} s WHERE s.school_id = %s AND s.round_id = {round}.id"
        " AND s.code_valid"
    ),
    "flagged_before": (
        "SELECT COUNT(*) FROM {scan} s WHERE s.school_id = %s AND s.round_id = {round}.id"
        " AND (s.late OR s.out_of_order OR s.too_fast OR s.repeated OR s.by_hand OR NOT s.code_valid)"
    ),
    "seen_before": (
        "SELECT COUNT(*) FROM {scan} s WHERE s.school_id = %s AND s.round_id = {round}.id AND s.checkpoint_id = %s"
        " AND s.code_valid"
    ),
    # the furthest route position reached by a scan that was not a repeat (0: none)
    "furthest": (
        "SELECT COALESCE(MAX(st.position), 0) FROM {stop} st WHERE st.route_id = {round}.route_id"
        " AND st.checkpoint_id IN (SELECT s.checkpoint_id FROM {scan} s"
        " WHERE s.school_id = %s AND s.round_id = {round}.id AND NOT s.repeated AND s.code_valid)"
    ),
    "last_checkpoint_id": (
        "SELECT s.checkpoint_id FROM {scan} s WHERE s.school_id = %s AND s.round_id = {round}.id"
        " ORDER BY s.position DESC, s.id DESC LIMIT 1"
    ),
    "last_time": (
        "SELECT COALESCE(s.device_time, s.scanned_at) FROM {scan} s WHERE s.school_id = %s"
        " AND s.round_id = {round}.id ORDER BY s.position DESC, s.id DESC LIMIT 1"
    ),
}


def _scan_sql(name):
    from django.db import connection

    quote = connection.ops.quote_name
    tables = {
        "scan": quote(PatrolScan._meta.db_table),
        "stop": quote(RouteStop._meta.db_table),
        "round": quote(PatrolRound._meta.db_table),
        "checkpoint": quote(Checkpoint._meta.db_table),
    }
    return _SCAN_SQL[name].format(**tables)


#: the values each of ``_SCAN_SQL``'s subqueries takes, by name (the others take the school's id)
_SCAN_SQL_PARAMS = {"stop_position": ("checkpoint",), "seen_before": ("school", "checkpoint")}
_ROUND_STATE = [name for name in _SCAN_SQL if name != "sent"]


def _locked_round(user, round_id, school_id, checkpoint_id):
    """The round ``round_id`` of ``school_id`` locked for this scan (None if the user may not walk it),
    with what the scan's flags need from the round's scans so far, in the same query: ``stop_position``
    (this checkpoint's place on the route, None when it is not on it), ``scans_before``,
    ``checkpoints_before`` (distinct, proved), ``flagged_before``, ``seen_before`` (proved scans of this
    checkpoint already), ``furthest`` (the furthest route position reached by a proved scan that was not a
    repeat), the last
    scan's checkpoint and time, and the route's ``min_seconds_between``.

    Written in SQL with the user's restriction compiled once (``restriction_sql``): the guard's hot path."""
    from django.db import connection

    from logistics.tenancy.querysets import restriction_sql

    restriction = restriction_sql(PatrolRound, user, "patrol")
    if restriction is None:
        return None
    where, where_params = restriction
    values = {"school": school_id, "checkpoint": checkpoint_id}
    params = []
    for name in _ROUND_STATE:
        params.extend(values[key] for key in _SCAN_SQL_PARAMS.get(name, ("school",)))
    found = _rows_of(
        PatrolRound,
        _locked_round_sql(where, connection.vendor),
        [*params, round_id, school_id, *where_params],
        [*_ROUND_STATE, "min_seconds_between"],
    )
    if not found:
        return None
    locked = found[0]
    convert = getattr(connection.ops, "convert_datetimefield_value", None)  # SQLite answers text
    if convert is not None:
        locked.last_time = convert(locked.last_time, None, connection)
    return locked


@functools.lru_cache(maxsize=256)
def _locked_round_sql(where, vendor):
    """The text of ``_locked_round``'s query for the restriction ``where`` (made once per shape)."""
    from django.db import connection

    from safety.models import Route

    quote = connection.ops.quote_name
    table, route_table = quote(PatrolRound._meta.db_table), quote(Route._meta.db_table)
    state = ", ".join(f"({_scan_sql(name)}) AS {name}" for name in _ROUND_STATE)
    lock = f" FOR UPDATE OF {table}" if connection.features.has_select_for_update_of else ""
    # table and column names, constant subqueries, the compiled restriction; the values are parameters
    return (
        f"SELECT {_columns(PatrolRound, table)}, {state}, rt.min_seconds_between"  # noqa: S608
        f" FROM {table} JOIN {route_table} rt ON rt.id = {table}.route_id"
        f" WHERE {table}.id = %s AND {table}.school_id = %s AND {where}{lock}"
    )


def record_scan(
    *, user, checkpoint, client_id, device_time=None, proof_code="", round_id=None, by_hand=False, now=None
):
    """Record one scan (idempotent by ``client_id``). Returns ``(scan, created)``.

    Refused (``ValidationError``) when no round of the user through this checkpoint is due, or the
    round is already closed. Flags: late (outside the round's window), out of order (a checkpoint
    before one already scanned), too fast (closer to the previous scan than the route's fastest walk),
    repeated (scanned before in this round), chosen by hand (a plain QR checkpoint picked from the
    list, its poster not read: ``by_hand``), code not valid (a rotating code of another time slot, a
    wrong NFC tag).

    The hot path of a guard's phone on a weak network (docs/benchmarks.md): with a checkpoint from
    :func:`checkpoint_for_scan` (which knows whether the client id was sent before), a scan sent again is
    one query (the scan, for the answer) and a new one two — the lock of the round with its route and
    everything its scans so far tell (:func:`_locked_round`), then the insert with the round's counters
    (one statement on PostgreSQL, :func:`_insert_counted`). A scan
    is an append-only event (``PatrolScan.audit_append_only``): no change record."""
    school_id = checkpoint.school_id
    if hasattr(checkpoint, "sent_scan_id"):
        sent = checkpoint.sent_scan_id
        existing = PatrolScan.objects.select_related("round").get(pk=sent) if sent is not None else None
    else:
        existing = PatrolScan.objects.filter(school_id=school_id, client_id=client_id).select_related("round").first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    moment = _effective_time(checkpoint.school, device_time, now)
    if round_id is None:
        round_id = _round_for(user, checkpoint, moment).pk
    try:
        with transaction.atomic():
            locked = _locked_round(user, round_id, school_id, checkpoint.pk)
            if locked is None:
                raise ValidationError({"round": _("This round is not one you may walk.")})
            if moment < opens_at(locked):  # tonight's round page opened in the afternoon
                raise _not_open_yet(locked)
            # a round ended for want of scans (incomplete, or missed while the guard walked it offline)
            # still takes the scans made before its grace time ended: they arrive when the network does
            closed = locked.status in (R.COMPLETE, R.EXPLAINED) or (
                locked.status in (R.INCOMPLETE, R.MISSED) and moment > locked.grace_until
            )
            if closed:
                raise ValidationError(
                    {"round": _("This round is already closed (%(status)s).") % {"status": locked.get_status_display()}}
                )
            if locked.stop_position is None:
                raise ValidationError({"checkpoint": _("This checkpoint is not on the round's route.")})
            if locked.status == R.SCHEDULED:  # the first scan starts the round
                guard.run(locked, "start", user)  # which sets the saved status and start on ``locked``
            if checkpoint.proof == Proof.ROTATING:
                valid, proof = checkpoint.accepts_code(proof_code, moment), Proof.ROTATING
            elif checkpoint.proof == Proof.NFC:
                valid, proof = bool(checkpoint.nfc_id) and nfc_key(proof_code) == nfc_key(checkpoint.nfc_id), Proof.NFC
            else:
                valid, proof = True, Proof.STATIC
            repeated = locked.seen_before > 0
            last_checkpoint_id = locked.last_checkpoint_id
            scan = PatrolScan(
                school_id=school_id,
                round=locked,
                checkpoint=checkpoint,
                guard=user,
                client_id=client_id,
                scanned_at=now,
                device_time=device_time,
                position=locked.scans_before + 1,
                proof=proof,
                code_valid=valid,
                late=not (locked.planned_start <= moment <= locked.planned_end),
                repeated=repeated,
                # a typed rotating code or tag id is its own proof; a plain poster's is only in being read
                by_hand=bool(by_hand) and proof == Proof.STATIC,
                out_of_order=not repeated and locked.stop_position < locked.furthest,
                too_fast=(
                    last_checkpoint_id is not None
                    and last_checkpoint_id != checkpoint.pk
                    and abs((moment - locked.last_time).total_seconds()) < locked.min_seconds_between
                ),
                delay_seconds=max(0, int((now - device_time).total_seconds())) if device_time else 0,
            )
            # the round's counters follow its scans (derived, left out of its change records)
            # a scan whose code does not prove presence is kept (flagged) but does not tick its checkpoint
            locked.stops_done = locked.checkpoints_before + (1 if valid and not repeated else 0)
            locked.flagged_scans = locked.flagged_before + (1 if scan.flagged else 0)
            _insert_counted(scan, locked, now)
    except IntegrityError:  # the same client id, sent twice at once
        return PatrolScan.objects.select_related("round").get(school_id=school_id, client_id=client_id), False
    if locked.status == R.MISSED or (
        locked.stops_done >= locked.stops_total and locked.status in (R.IN_PROGRESS, R.INCOMPLETE)
    ):
        name = "finish" if locked.status == R.IN_PROGRESS else "reconcile"
        guard.run(locked, name, user if name == "finish" else system_actor())
    return scan, True


#: the databases whose scan is one INSERT with the round's UPDATE in a CTE (SQLite has no UPDATE in a CTE)
ONE_STATEMENT_VENDORS = frozenset({"postgresql"})


def _insert_counted(scan, locked, now):
    """Insert ``scan`` and set its round's counters (``locked.stops_done``, ``flagged_scans``).

    On PostgreSQL in one statement — the round's UPDATE in a CTE of the scan's INSERT: on the guard's hot
    path a round trip and the ORM's save and update machinery less (docs/benchmarks.md § Safety). What the
    recorder's save receivers do for a scan is done here: its authors from the change context, the data
    versions of scans and rounds moved (an append-only scan writes no change record; the round's derived
    counters are left out of its records). Elsewhere (SQLite) the ORM's save and update."""
    from django.db import connection

    from logistics.audit import context

    school_id = scan.school_id
    if connection.vendor not in ONE_STATEMENT_VENDORS:
        scan.save()
        PatrolRound.objects.filter(pk=locked.pk).update(
            stops_done=locked.stops_done, flagged_scans=locked.flagged_scans, updated=now
        )
        versions.changed("safety.patrolround", school_id)  # the update sent no signal
        return
    acting = context.current_user()
    if acting is not None:
        scan.created_by = scan.updated_by = acting
    fields = [field for field in PatrolScan._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(scan, True), connection) for field in fields]
    with connection.cursor() as cursor:
        prepared.execute(
            cursor, _insert_counted_sql(), [locked.stops_done, locked.flagged_scans, now, locked.pk, *values]
        )
        scan.pk = cursor.fetchone()[0]
    scan._state.adding, scan._state.db = False, connection.alias
    versions.changed("safety.patrolscan", school_id)
    versions.changed("safety.patrolround", school_id)


@functools.cache
def _insert_counted_sql():
    from django.db import connection

    quote = connection.ops.quote_name
    round_opts, scan_opts = PatrolRound._meta, PatrolScan._meta
    set_counters = ", ".join(
        f"{quote(round_opts.get_field(name).column)} = %s" for name in ("stops_done", "flagged_scans", "updated")
    )
    fields = [field for field in scan_opts.concrete_fields if not field.primary_key]
    return (
        f"WITH counted AS (UPDATE {quote(round_opts.db_table)} SET {set_counters}"  # noqa: S608 — names only
        f" WHERE {quote(round_opts.pk.column)} = %s)"
        f" INSERT INTO {quote(scan_opts.db_table)} ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(scan_opts.pk.column)}"
    )


#: the flags of a scan an answer names (and ``code_not_valid`` when its code does not prove presence)
SCAN_FLAGS = ("late", "out_of_order", "too_fast", "repeated", "by_hand")


def flag_names(scan):
    """The answer's flags of ``scan``: ``late`` (outside the round's time) is named ``early`` for a scan in
    the grace before the window opens; ``code_not_valid`` last."""
    names = [name for name in SCAN_FLAGS if getattr(scan, name)]
    if scan.early:
        names[names.index("late")] = "early"
    return names if scan.code_valid else [*names, "code_not_valid"]


def scan_answer(scan):
    """The small answer to a scan (the fields of ``ScanSerializer``, which documents it: the same JSON,
    checked by the tests, without a serializer's machinery on the phone's hot path)."""
    round_ = scan.round
    return {
        "id": scan.pk,
        "client_id": str(scan.client_id),
        "round": scan.round_id,
        "checkpoint": scan.checkpoint_id,
        "position": scan.position,
        "flags": flag_names(scan),
        "round_status": round_.status,
        "done": round_.stops_done,
        "total": round_.stops_total,
    }


def key_area_coverage(school):
    """{checkpoint: rounds a day on the weakest day of the week} for each key area of ``school`` on an
    active route — with the rule's minimum (GB/T 29315-2022: ≥ 5)."""
    schedules = list(
        PatrolSchedule.objects.filter(
            school_id=getattr(school, "pk", school), active=True, route__active=True
        ).values_list("route_id", "weekdays")
    )
    per_route_day = {}
    for route_id, weekdays in schedules:
        for day in "1234567":
            if day in weekdays:
                per_route_day[(route_id, day)] = per_route_day.get((route_id, day), 0) + 1
    stops = RouteStop.objects.filter(
        school_id=getattr(school, "pk", school), checkpoint__key_area=True, checkpoint__active=True, route__active=True
    ).values_list("checkpoint_id", "route_id")
    routes_of = {}
    for checkpoint_id, route_id in stops:
        routes_of.setdefault(checkpoint_id, set()).add(route_id)
    checkpoints = Checkpoint.objects.in_school(school).filter(key_area=True, active=True).order_by("name")
    return {
        cp: min(sum(per_route_day.get((r, day), 0) for r in routes_of.get(cp.pk, ())) for day in "1234567")
        for cp in checkpoints
    }


def non_compliant_routes(school):
    """{route_id: [(checkpoint, rounds a day)]} of the routes through a key area patrolled fewer times a
    day than the rule's minimum — and the key areas on no route at all (route id ``None``)."""
    minimum = rules.value(school, keys.KEY_AREA_DAILY_PATROLS)
    coverage = key_area_coverage(school)
    weak = {cp.pk: (cp, n) for cp, n in coverage.items() if n < minimum}
    result = {}
    for checkpoint_id, route_id in RouteStop.objects.filter(
        checkpoint_id__in=list(weak), route__active=True
    ).values_list("checkpoint_id", "route_id"):
        result.setdefault(route_id, []).append(weak[checkpoint_id])
    on_routes = {cp for items in result.values() for cp, _n in items}
    lonely = [(cp, n) for cp, n in weak.values() if cp not in on_routes]
    if lonely:
        result[None] = lonely
    return result, minimum
