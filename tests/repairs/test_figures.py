"""Figures, the monthly report section, the dashboard widget, demo data and the registrations."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps

from logistics.reports import services as report_services
from logistics.tenancy import rules
from repairs import services, stats
from repairs.choices import TicketStatus

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def run(people, school, room, trade, hours, *, cause="wear", parts=(), reopen=False, urgency="normal", when=None):
    when = when or datetime.datetime(2026, 10, 12, 9, tzinfo=TZ)
    with time_machine.travel(when, tick=False):
        ticket = services.create_ticket(
            school=school, user=people.teacher, room=room, trade=trade, description="x", urgency=urgency
        )
        services.start(ticket, people.head)
        for name, qty, unit, cost in parts:
            services.add_part(ticket, people.head, name, quantity=qty, unit=unit, unit_cost=cost)
    with time_machine.travel(when + datetime.timedelta(hours=hours), tick=False):
        services.complete(ticket, people.head, cause, damage_amount="30" if cause == "human_damage" else None)
        if reopen:
            services.reopen(ticket, people.teacher, "又坏了")
            services.start(ticket, people.head)
            services.complete(ticket, people.head, "wear")
    return ticket


@pytest.fixture
def october(school, room, people):
    run(people, school, room, "plumbing", 2, parts=[("水龙头", 2, "只", "35")])
    run(people, school, room, "plumbing", 10, parts=[("水龙头", 1, "只", "35")])
    run(people, school, room, "carpentry", 100, parts=[("推拉门滑轮", 4, "只", "8")], reopen=True)
    run(people, school, room, "carpentry", 5, cause="human_damage")
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, tzinfo=TZ), tick=False):
        services.create_ticket(school=school, user=people.teacher, room=room, trade="electrical", description="灯")


class TestRepairFigures:
    def test_compute(self, school, october):
        figures = stats.compute([school.pk], datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), use_cache=False)
        assert figures["total"] == 5
        assert figures["by_trade"] == {"plumbing": 2, "electrical": 1, "carpentry": 2, "hvac": 0, "it": 0, "other": 0}
        assert figures["by_status"]["done"] == 4 and figures["by_status"]["submitted"] == 1
        assert figures["by_month"] == [{"month": "2026-10", "count": 5}]
        assert figures["completed"] == 4 and figures["reopen_rate"] == 0.25
        assert figures["on_time_share"] == 0.75  # 100 h > 72 h target
        assert figures["median_hours"] == 7.5
        parts = {p["name"]: (p["quantity"], p["unit"]) for p in figures["parts"]}
        assert parts == {"水龙头": ("3", "只"), "推拉门滑轮": ("4", "只")}
        assert Decimal(figures["parts_cost"]) == Decimal("137")
        assert figures["damage_count"] == 1 and Decimal(figures["damage_amount"]) == Decimal("30")
        assert figures["top_rooms"][0]["count"] == 5

    def test_other_month_is_empty(self, school, october):
        figures = stats.compute([school.pk], datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), use_cache=False)
        assert figures["total"] == 0 and figures["median_hours"] is None

    def test_stats_query_count_is_constant(self, school, october, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            stats.compute([school.pk], datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), use_cache=False)

    def test_term(self):
        assert stats.term_bounds(datetime.date(2026, 11, 21)) == (datetime.date(2026, 9, 1), datetime.date(2027, 2, 1))
        assert stats.term_bounds(datetime.date(2027, 1, 10)) == (datetime.date(2026, 9, 1), datetime.date(2027, 2, 1))
        assert stats.term_bounds(datetime.date(2027, 4, 1)) == (datetime.date(2027, 2, 1), datetime.date(2027, 9, 1))


class TestRepairsReportSection:
    def test_monthly_report_reads_like_the_seeds(self, school, october, people):
        report = report_services.generate(school, datetime.date(2026, 10, 1), user=people.head)
        section = next(s for s in report.data if s.get("code") == "repairs")
        text = " ".join(section["paragraphs"])
        assert "5" in text and "水龙头" in text and "推拉门滑轮" in text
        assert "水道" in text or "Plumbing" in text
        titles = [t["title"] for t in section["tables"]]
        assert len(titles) == 6
        by_trade = section["tables"][0]
        assert by_trade["footer"][1] == 5
        assert report.pdf and report.xlsx


class TestRepairsWidget:
    def test_home_and_district_dashboards(self, school, room, people, login):
        with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=TZ), tick=False):
            services.create_ticket(school=school, user=people.teacher, room=room, trade="plumbing", description="x")
        home = login(people.principal).get("/").content.decode()
        assert 'data-widget="repairs"' in home
        district = login(people.officer).get("/district/")
        assert district.status_code == 200
        assert any(key.startswith("repairs.") for key, _label in district.context["columns"])


class TestDemoData:
    def test_demo_provider_is_idempotent_and_realistic(self, school, room, people):
        import random

        from repairs.demo import seed
        from repairs.models import MaintenancePlan, PartUsage, Ticket

        users = {"teacher": people.teacher, "repair_worker": people.worker, "logistics_head": people.head}
        seed(school, users, "small", random.Random(1))
        count = Ticket.objects.filter(school=school).count()
        assert count == 87
        seed(school, users, "small", random.Random(1))
        assert Ticket.objects.filter(school=school).count() == count
        assert MaintenancePlan.objects.filter(school=school).count() == 5
        names = set(PartUsage.objects.filter(school=school).values_list("name", flat=True))
        assert names & {"水龙头", "推拉门滑轮"}
        assert Ticket.objects.filter(school=school, status=TicketStatus.CONFIRMED).exists()
        assert len({t.reference for t in Ticket.objects.filter(school=school)}) == count


class TestRegistrations:
    def test_rules_have_sources(self):
        for key in (
            "repairs.target_hours.emergency",
            "repairs.target_hours.high",
            "repairs.target_hours.normal",
            "repairs.target_hours.low",
            "repairs.auto_confirm_days",
            "repairs.auto_assign",
        ):
            rule = rules.get_rule(key)
            assert rule.source
        assert rules.value(None, "repairs.auto_confirm_days") == 3
        assert rules.value(None, "repairs.target_hours.emergency") == 2

    def test_every_model_has_a_test_class(self):
        import importlib
        import pathlib

        names = set()
        for path in pathlib.Path(__file__).parent.glob("test_*.py"):
            module = importlib.import_module(f"tests.repairs.{path.stem}")
            names |= {name for name in dir(module) if name.startswith("Test")}
        for model in apps.get_app_config("repairs").get_models():
            assert any(n.startswith(f"Test{model.__name__}") for n in names), model.__name__
