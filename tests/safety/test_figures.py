"""The dashboard widget, the monthly-report section and the demo data of the safety app."""

import datetime
import random

import pytest
from django.utils import timezone

from logistics.reports.registry import Period
from safety import demo, hazards
from safety.models import Hazard, PatrolRound, PatrolScan, Route
from safety.report import SafetySection
from safety.widgets import SafetyWidget

pytestmark = pytest.mark.django_db


def users_of(people):
    return {
        "guard": people.guard,
        "logistics_head": people.head,
        "logistics_staff": people.staff,
        "principal": people.principal,
        "teacher": people.teacher,
    }


class TestSafetyWidget:
    def test_figures_and_district_columns(self, school, other_school, people):
        hazards.report_hazard(school=school, actor=people.guard, title="围墙破损", place="东围墙")
        hazards.report_hazard(school=school, actor=people.head, title="外墙空鼓", place="教学楼", level="major")
        figures = dict((str(k), v) for k, v in SafetyWidget().context(school, people.head)["figures"])
        assert figures["Open hazards"] == 2 and figures["Major hazards"] == 1
        values = SafetyWidget().district_values([school, other_school])
        assert values[school.pk]["hazards_open"] == 2 and values[other_school.pk]["hazards_open"] == 0


class TestSafetySection:
    def test_the_month_in_words_and_tables(self, school, people):
        demo.seed(school, users_of(people), "small", random.Random(1))
        today = timezone.localdate()
        start = today - datetime.timedelta(days=31)
        end = today + datetime.timedelta(days=1)
        section = SafetySection()
        data = section.build(school, start, end)
        text = section.narrative(Period(start, end), section.figures(school, start, end), None, None)[0]
        since, until = (timezone.make_aware(datetime.datetime.combine(d, datetime.time())) for d in (start, end))
        total = PatrolRound.objects.filter(school=school, planned_start__gte=since, planned_start__lt=until).count()
        assert total > 200 and f"walked {total} patrol rounds" in text
        assert data.tables[0].footer[1] == total
        assert data.tables[1].rows, "missed checkpoints by place"


class TestSafetyDemo:
    def test_idempotent_and_every_hazard_state(self, school, people):
        rng = random.Random(7)
        demo.seed(school, users_of(people), "small", rng)
        counts = (
            Route.objects.count(),
            PatrolRound.objects.count(),
            PatrolScan.objects.count(),
            Hazard.objects.count(),
        )
        demo.seed(school, users_of(people), "small", rng)
        assert (
            Route.objects.count(),
            PatrolRound.objects.count(),
            PatrolScan.objects.count(),
            Hazard.objects.count(),
        ) == counts
        assert set(Hazard.objects.values_list("status", flat=True)) == {
            "found",
            "assigned",
            "rectified",
            "verified",
            "closed",
            "cancelled",
        }
        outcomes = set(PatrolRound.objects.exclude(outcome="").values_list("outcome", flat=True))
        assert {"complete", "missed", "incomplete"} <= outcomes
