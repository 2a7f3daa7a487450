"""End to end on the real Redis with the requirements.txt-only venv: a worker runs a report task.

Usage (scripts/runtime-check.sh): VENV_PY=<venv python> REDIS=<redis url> python scripts/runtime_check.py
Migrates a throwaway SQLite database, starts a Celery worker on REDIS, enqueues the monthly report of a
school through the broker and waits for its PDF and XLSX. Exit 0 on success.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    py = os.environ["VENV_PY"]
    var = Path(tempfile.mkdtemp(prefix="houqin-runtime-"))
    env = {
        **os.environ,
        "VAR_DIR": str(var),
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": os.environ["REDIS"],
        "DJANGO_SETTINGS_MODULE": "logistics.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "-c", "from logistics.celery import app; app.control.purge()"], cwd=ROOT, env=env, check=True)
    worker = subprocess.Popen(
        [py, "-m", "celery", "-A", "logistics", "worker", "--pool=solo", "--loglevel=warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        script = """
import datetime, time, django
django.setup()
from logistics.tenancy.models import District, School
from logistics.reports.models import Report
from logistics.reports.tasks import generate_report
district, _ = District.objects.get_or_create(slug="runtime", defaults={"name": "运行检查区"})
school, _ = School.objects.get_or_create(slug="runtime", defaults={"name": "运行检查学校", "code": "RT", "district": district})
generate_report.delay(school.pk, "2026-01-01")
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    report = Report.objects.filter(school=school).first()
    if report and report.pdf and report.xlsx:
        print("report made by the worker:", report.pdf.name, report.pdf.size, "bytes")
        raise SystemExit(0)
    time.sleep(1)
raise SystemExit("no report after 180 s: the worker did not run the task")
"""
        result = subprocess.run([py, "-c", script], cwd=ROOT, env=env)
        return result.returncode
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    sys.exit(main())
