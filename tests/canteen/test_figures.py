"""The canteen's dashboard widget and monthly-report section: figures that follow the records."""

import datetime

import pytest
import time_machine

from canteen import services
from canteen.report import CanteenSection
from canteen.widgets import CanteenWidget
from logistics.reports.registry import Period

from .conftest import NOON, make_meal


@pytest.fixture
def month(school, people):
    """Three lunches of December: one complete, one with a dish unsampled, one entered 20 h late."""
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        days = [datetime.date(2026, 12, d) for d in (1, 2, 3)]
        meals = [make_meal(school, day=d, dishes=("米饭", "红烧肉")) for d in days]
        for dish in meals[0].dishes.all():
            services.record_sample(dish=dish, actor=people.cook, weight_grams=150)
        services.record_sample(dish=meals[1].dishes.get(name="米饭"), actor=people.cook, weight_grams=130)
        for dish in meals[2].dishes.all():
            services.record_sample(
                dish=dish, actor=people.cook, weight_grams=140, sampled_at=NOON - datetime.timedelta(hours=1)
            )
        yield meals


class TestCanteenSection:
    def test_paragraph_and_tables(self, month, school):
        with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
            section, start, end = CanteenSection(), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)
            data = section.build(school, start, end)
            # the narrative is written from the section's figures (the same numbers as its tables)
            text = section.narrative(Period(start, end), section.figures(school, start, end), None, None)[0]
        assert "本月共供餐 3 餐" in text and "留样 3 餐 5 份" in text and "125克、48小时" in text
        assert "有 1 个菜品供应后未留样" in text and "有 2 份留样为补录" in text
        missing = data.tables[1]
        assert missing.rows == [["2026-12-02", "午餐", "红烧肉"]]
        late = data.tables[2]
        assert len(late.rows) == 2 and late.rows[0][1] == "2026-12-03 11:00"


class TestCanteenWidget:
    def test_figures_and_district_columns(self, month, school, people, other_school):
        with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
            figures = dict(CanteenWidget().context(school, people.principal)["figures"])
            district = CanteenWidget().district_values([school, other_school])
        assert figures["本月补录"] == 2
        assert figures["本月未留样菜品"] == 1
        assert district[school.pk] == {"samples_month": 5, "missing_month": 1}
        assert district[other_school.pk] == {"samples_month": 0, "missing_month": 0}
