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
        by_hand = PatrolScan.objects.filter(
            round__school=school, round__planned_start__gte=since, round__planned_start__lt=until, by_hand=True
        ).count()
        paragraphs = section.narrative(Period(start, end), section.figures(school, start, end), None, None)
        assert by_hand and any(f"{by_hand} checkpoint scans were chosen by hand" in p for p in paragraphs)


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


class TestInspectionsDemoAndFigures:
    def test_demo_shows_inspections_drills_and_their_gaps(self, school, other_school, people, make_user):
        from safety import drills, inspections
        from safety.models import Equipment, Inspection, SafetyEvent

        demo.seed(school, users_of(people), "small", random.Random(3))
        failed = Inspection.objects.filter(school=school, result="failed")
        assert failed.exists()
        faults = sum(i.failed_items for i in failed)
        assert Hazard.objects.filter(school=school, origin="safety.inspection").count() == faults
        assert Hazard.objects.filter(school=school, origin="safety.inspection").exists()
        assert Hazard.objects.filter(school=school, origin="safety.drill").count() == 1
        due = {e.number for e in inspections.due_queryset(school)}
        assert "AED-01" in due and "XHS-02" in due and "MHQ-003" not in due
        assert Equipment.objects.filter(school=school, kind="cctv").count() == 5
        assert drills.term_status(school)["drills"] >= 2 and not drills.term_status(school)["short"]
        counts = (Equipment.objects.count(), Inspection.objects.count(), SafetyEvent.objects.count())
        demo.seed(school, users_of(people), "small", random.Random(3))
        assert (Equipment.objects.count(), Inspection.objects.count(), SafetyEvent.objects.count()) == counts
        other = {
            "guard": make_user("guard", other_school),
            "logistics_head": make_user("logistics_head", other_school),
            "logistics_staff": make_user("logistics_staff", other_school),
            "principal": make_user("principal", other_school),
            "teacher": make_user("teacher", other_school),
        }
        demo.seed(other_school, other, "small", random.Random(4))
        assert drills.term_status(other_school)["short"]  # the second school: no drill yet this term

    def test_report_and_widget_carry_inspections_drills_and_proof(self, school, people):
        from safety.models import SafetyEvent

        demo.seed(school, users_of(people), "small", random.Random(5))
        today = timezone.localdate()
        data = SafetySection().build(school, today - datetime.timedelta(days=60), today + datetime.timedelta(days=1))
        titles = [str(t.title) for t in data.tables]
        assert "Rounds by proof of presence" in titles and "Safety inspections by kind" in titles
        proof = data.tables[titles.index("Rounds by proof of presence")]
        assert proof.footer[1] == sum(row[1] for row in proof.rows) and proof.rows[0][1] > 0
        figures = SafetySection().figures(
            school, today - datetime.timedelta(days=60), today + datetime.timedelta(days=1)
        )
        assert figures["proof"]["static"] == proof.rows[0][1]  # the narrative's figure is the table's
        events = data.tables[titles.index("Safety education and drills")]
        held = SafetyEvent.objects.filter(school=school, held_on__gte=today - datetime.timedelta(days=60)).count()
        assert events.footer[1] == held
        from safety.widgets import InspectionWidget

        figures = dict((str(k), v) for k, v in InspectionWidget().context(school, people.head)["figures"])
        assert figures["Equipment past its inspection date"] == 1  # the hydrant XHS-02 (the AED is due today)
        assert figures["Dormitory checks and CCTV review still to do today"] >= 2
        values = InspectionWidget().district_values([school])
        assert set(values[school.pk]) == {"inspections_month", "inspections_failed_month"}
