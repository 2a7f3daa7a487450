"""Periodic duties and their catch-up.

Each entry of ``settings.CELERY_BEAT_SCHEDULE`` whose task is ``logistics.system.run_duty`` names a
duty by code; its schedule (an interval or a crontab) comes from that entry, so beat and the catch-up
agree. ``run(code)`` runs a duty under a row lock and records its success; ``catch_up()`` — at worker
and beat start and hourly — runs every duty with a scheduled time that passed since its last success
(once, however many times it was missed: each duty handles everything due and not yet handled).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import DutyRun

log = logging.getLogger(__name__)

#: code → (what runs, label shown on the system page)
DUTIES = {
    "reminder-scan": ("logistics.reminders.services.scan", _("Reminder scan")),
    "monthly-reports": ("logistics.reports.services.generate_due", _("Monthly reports")),
    "housekeeping": ("logistics.reminders.tasks.housekeeping", _("Nightly housekeeping")),
}
RUN_DUTY_TASK = "logistics.system.run_duty"


def schedules():
    """{code: celery schedule} from the beat schedule."""
    from celery.schedules import schedule as interval

    found = {}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry.get("task") == RUN_DUTY_TASK and entry.get("args"):
            value = entry["schedule"]
            if isinstance(value, int | float | datetime.timedelta):
                value = interval(value)
            found[entry["args"][0]] = value
    return found


def is_due(code, record, now=None):
    """Whether a scheduled time of ``code`` passed since its last success (never run → due)."""
    import copy

    from logistics.celery import app

    schedule = schedules().get(code)
    if schedule is None:
        return False
    if record is None or record.last_success is None:
        return True
    schedule = copy.copy(schedule)
    schedule.app = app  # crontabs compute in CELERY_TIMEZONE
    moment = now or timezone.now()
    schedule.nowfun = lambda: timezone.localtime(moment)
    return bool(schedule.is_due(timezone.localtime(record.last_success)).is_due)


def run(code, only_if_due=False, now=None):
    """Run duty ``code`` once, under a lock (a concurrent run of the same duty is skipped), and record
    its success or its failure. Returns True when it ran and succeeded."""
    path, _label = DUTIES[code]
    DutyRun.objects.get_or_create(code=code)
    with transaction.atomic():
        record = DutyRun.objects.select_for_update(skip_locked=True).filter(code=code).first()
        if record is None:
            log.info("duty %s is already running elsewhere; skipped", code)
            return False
        if only_if_due and not is_due(code, record, now):
            return False
        started = timezone.now()
        DutyRun.objects.filter(pk=record.pk).update(last_started=started)
        try:
            with transaction.atomic():
                import_string(path)()
        except Exception as exc:  # noqa: BLE001 — recorded and shown on the system page
            log.exception("periodic duty %s failed", code)
            DutyRun.objects.filter(pk=record.pk).update(
                last_failure=timezone.now(), last_error=f"{exc.__class__.__name__}: {exc}"[:2000]
            )
            return False
        DutyRun.objects.filter(pk=record.pk).update(last_success=started, runs=record.runs + 1, last_error="")
    return True


def catch_up(now=None):
    """Run every duty that should have run since its last success. Returns the codes that ran."""
    ran = []
    for code in schedules():
        if code in DUTIES and run(code, only_if_due=True, now=now):
            ran.append(code)
    if ran:
        log.info("caught up: %s", ", ".join(ran))
    return ran


def state():
    """[{code, label, last_success, last_failure, last_error, overdue}] for the system page and /healthz."""
    records = {r.code: r for r in DutyRun.objects.all()}
    rows = []
    for code, (_path, label) in DUTIES.items():
        record = records.get(code)
        rows.append(
            {
                "code": code,
                "label": label,
                "last_success": record.last_success if record else None,
                "last_failure": record.last_failure if record else None,
                "last_error": record.last_error if record else "",
                "overdue": is_due(code, record) if code in schedules() else False,
            }
        )
    return rows
