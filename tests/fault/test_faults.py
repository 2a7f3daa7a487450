"""Fault tests (``-m fault``) on the real PostgreSQL and Redis: a worker killed in the middle of a
report, a make-run process killed, the broker stopped. Each is bounded (≤ 2 minutes)."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from logistics.reports.models import Report
from logistics.reports.services import previous_month

ROOT = Path(__file__).resolve().parents[2]


def _broker_of_this_worker():
    """TEST_REDIS_URL for the first (or only) pytest process, another database for each other xdist worker:
    two of these tests' Celery workers on one queue would take each other's tasks (each against its own test
    database) — the ``fault`` group keeps them apart, this keeps them apart even when it does not."""
    base, _sep, db = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15").rpartition("/")
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    return f"{base}/{(int(db or 15) - 2 * worker) % 16}" if worker else f"{base}/{db or 15}"


REDIS = _broker_of_this_worker()
pytestmark = [
    pytest.mark.fault,
    pytest.mark.xdist_group("fault"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"),
]


def _redis_up():
    from urllib.parse import urlparse

    url = urlparse(REDIS)
    try:
        socket.create_connection((url.hostname, url.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _env(tmp_path, **extra):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": REDIS,
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "logistics.settings",
        **extra,
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _purge(env):
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from logistics.celery import app; app.control.purge()"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=60,
    )


@pytest.fixture
def redis_required():
    if not _redis_up():
        pytest.skip(f"Redis not reachable at {REDIS}")


def test_worker_killed_mid_report_makes_it_exactly_once_after_restart(tmp_path, school, redis_required, settings):
    """acks_late + reject_on_worker_lost: the message of the killed task goes back to the queue
    (after the visibility timeout) and the restarted worker makes the report — once."""
    from celery import Celery

    marker = tmp_path / "stall"
    marker.write_text("1")
    env = _env(tmp_path, HOUQIN_SLOW_MARKER=str(marker), CELERY_VISIBILITY_TIMEOUT="3")
    _purge(env)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tests.fault.slow_worker",
        "worker",
        "--pool=solo",
        "-l",
        "warning",
    ]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    period = previous_month()
    try:
        client = Celery(broker=REDIS)
        client.send_task("logistics.reports.tasks.generate_report", args=[school.pk, period.isoformat()])
        _wait(lambda: (tmp_path / "started").exists(), 90, "the report to start")
        os.killpg(worker.pid, signal.SIGKILL)  # the worker dies in the middle of the report
        worker.wait(timeout=10)
        assert not Report.objects.filter(school=school, period=period).exists()
        marker.unlink()
        worker = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

        def made():
            report = Report.objects.filter(school=school, period=period).first()
            return report is not None and bool(report.pdf)

        _wait(made, 120, "the report after the restart")
        time.sleep(3)  # a duplicate delivery would land now
        assert Report.objects.filter(school=school, period=period).count() == 1
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        _purge(env)


def _get(url, timeout=5):
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 — a local test server
        return response.status, time.monotonic() - started


def test_make_run_restarts_a_killed_worker_and_keeps_serving(tmp_path, db, redis_required):
    port = 8700 + os.getpid() % 90
    env = _env(tmp_path, PORT=str(port), PY=sys.executable, DEBUG="1")
    run = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, start_new_session=True)
    pid_file = tmp_path / "var" / "run" / "worker.pid"
    try:

        def serving():
            try:
                return _get(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200
            except OSError:
                return False

        _wait(serving, 90, "the web server")
        _wait(pid_file.exists, 30, "the worker")
        first = int(pid_file.read_text())
        os.kill(first, signal.SIGKILL)
        assert serving()  # the web server keeps serving while the worker is down
        _wait(lambda: pid_file.exists() and int(pid_file.read_text()) != first, 30, "the worker's restart")
        second = int(pid_file.read_text())
        os.kill(second, 0)  # alive
        assert serving()
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(run.pid, signal.SIGKILL)  # the orphans of a killed worker (its pool child) too
        except ProcessLookupError:
            pass


def test_server_down_across_the_monthly_run_is_caught_up_at_start(tmp_path, school, redis_required):
    """The whole system was off at 06:00 on the 1st: the catch-up at worker start makes last month's
    report that day, once (the catch-up itself: tests/platform/test_deploy.py::TestDutyRunCatchUp)."""
    from logistics.system import duties
    from logistics.system.models import DutyRun

    today = datetime.date.today()
    school.created = datetime.datetime.combine(
        today.replace(day=1) - datetime.timedelta(days=40), datetime.time(), datetime.UTC
    )
    school.save()
    # Every duty succeeded last just before the 1st's 06:00 run was missed.
    before = datetime.datetime.combine(
        today.replace(day=1) - datetime.timedelta(days=1), datetime.time(12), datetime.UTC
    )
    for code in duties.DUTIES:
        DutyRun.objects.create(code=code, last_success=before)
    env = _env(tmp_path)
    _purge(env)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "logistics", "worker", "--pool=solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        period = previous_month()
        _wait(lambda: Report.objects.filter(school=school, period=period).exists(), 120, "the caught-up report")
        _wait(lambda: DutyRun.objects.get(code="monthly-reports").last_success > before, 30, "the duty's record")
        assert Report.objects.filter(school=school, period=period).count() == 1
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        _purge(env)
