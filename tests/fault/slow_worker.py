"""A Celery app for the fault tests: the real one, plus a report section that stalls while a marker
file exists (so a test can kill the worker in the middle of a report)."""

import os
import time
from pathlib import Path

import django

django.setup()

from logistics.celery import app  # noqa: E402
from logistics.reports.registry import Section, SectionData, register, sections  # noqa: E402

MARKER = Path(os.environ["HOUQIN_SLOW_MARKER"])


class StallingSection(Section):
    code = "fault-stall"
    title = "stall"

    def build(self, school, start, end):
        (MARKER.parent / "started").write_text(str(os.getpid()))
        deadline = time.monotonic() + 120
        while MARKER.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        return SectionData(title="stall", paragraphs=["ok"])


if not any(s.code == StallingSection.code for s in sections()):
    register(StallingSection)

__all__ = ["app"]
