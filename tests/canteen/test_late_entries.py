"""Late entry (补录) on every canteen record that describes an event, at the Rule's edge; marked on the
lists; counted in the dashboard widget and the monthly report."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from canteen import accompanied, cold, health, supply
from canteen.models import ColdStore, Disinfection
from canteen.report_disclosure import CanteenDisclosureSection
from canteen.widgets_accompanied import AccompanimentWidget

from .conftest import NOON, make_meal
from .test_supply import make_supplier, rice

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 12, 2)
END_OF_DAY = datetime.datetime(2026, 12, 3, 0, 0, tzinfo=SHANGHAI)
EDGE = datetime.timedelta(hours=12)
MINUTE = datetime.timedelta(minutes=1)


class TestAtTheRuleEdge:
    def test_morning_check_counts_from_the_end_of_its_day(self, school, people):
        with time_machine.travel(END_OF_DAY + EDGE, tick=False):
            on_time = health.record_check(
                school=school, person=people.cook, checked_by=people.manager, temperature="36.5", day=DAY
            )
        with time_machine.travel(END_OF_DAY + EDGE + MINUTE, tick=False):
            late = health.record_check(
                school=school, person=people.cook2, checked_by=people.manager, temperature="36.5", day=DAY
            )
        assert not on_time.late_entry and late.late_entry

    def test_disinfection_counts_from_the_end_of_the_meal(self, school, people):
        lunch_end = datetime.datetime(2026, 12, 2, 12, 30, tzinfo=SHANGHAI)
        values = {"school": school, "date": DAY, "meal": "lunch", "method": "steam", "temperature": 100,
                  "minutes": 10, "done_by": people.cook}  # fmt: skip
        with time_machine.travel(lunch_end + EDGE, tick=False):
            on_time = Disinfection.objects.create(**values)
        with time_machine.travel(lunch_end + EDGE + MINUTE, tick=False):
            late = Disinfection.objects.create(**values)
        assert not on_time.late_entry and late.late_entry

    def test_cold_reading_counts_from_its_time(self, school, people):
        store = ColdStore.objects.create(school=school, name="留样冰箱")
        with time_machine.travel(NOON, tick=False):
            on_time = cold.record_reading(store=store, actor=people.cook, celsius=4, taken_at=NOON - EDGE)
            late = cold.record_reading(store=store, actor=people.cook, celsius=4, taken_at=NOON - EDGE - MINUTE)
        assert not on_time.late_entry and late.late_entry

    def test_delivery_counts_from_the_end_of_its_day(self, school, people):
        from canteen.models import ProductCategory

        supplier, category = make_supplier(school), ProductCategory.objects.create(school=school, name="粮油")
        kw = {"school": school, "actor": people.manager, "supplier": supplier, "delivered_on": DAY}
        with time_machine.travel(END_OF_DAY + EDGE, tick=False):
            on_time = supply.create_delivery(**kw, lines=[rice(category)])
        with time_machine.travel(END_OF_DAY + EDGE + MINUTE, tick=False):
            late = supply.create_delivery(**kw, lines=[rice(category)])
        assert not on_time.late_entry and late.late_entry

    def test_the_school_rule_decides(self, school, people):
        from logistics.tenancy import rules

        rules.set_value(school, "canteen.late_entry_hours", "24")
        school.save()
        store = ColdStore.objects.create(school=school, name="冷藏库")
        with time_machine.travel(NOON, tick=False):
            reading = cold.record_reading(store=store, actor=people.cook, celsius=4, taken_at=NOON - EDGE - MINUTE)
        assert not reading.late_entry


class TestShownAndCounted:
    @pytest.fixture
    def month(self, school, people):
        with time_machine.travel(NOON, tick=False):
            store = ColdStore.objects.create(school=school, name="留样冰箱")
            cold.record_reading(store=store, actor=people.cook, celsius=4, taken_at=NOON - datetime.timedelta(days=1))
            cold.record_reading(store=store, actor=people.cook, celsius=5)
            lunch = make_meal(school, day=DAY)
            accompanied.record(meal=lunch, actor=people.principal, rating=4)  # a day late
            make_meal(school, day=datetime.date(2026, 12, 1))  # no 陪餐
        return store

    def test_lists_mark_late_entries(self, month, login, people):
        client = login(people.manager)
        with time_machine.travel(NOON, tick=False):
            body = client.get(reverse("canteen:coldreading_list")).content.decode()
        assert body.count('data-testid="late-entry"') == 1
        assert 'data-testid="correct-link"' in body

    def test_widget_and_report(self, month, school, people):
        with time_machine.travel(NOON, tick=False):
            figures = dict(AccompanimentWidget().context(school, people.principal)["figures"])
            district = AccompanimentWidget().district_values([school])[school.pk]
            data = CanteenDisclosureSection().build(school, datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
        assert (
            figures["本月有陪餐记录的餐次"] == "1 / 2"
            and figures["本月陪餐覆盖"] == "50%"
            and figures["本月补录（全部食堂记录）"] == 2
        )
        assert district == {"accompanied_month": 1, "served_month": 2, "late_month": 2}
        assert "本月应陪餐 2 餐，有陪餐记录 1 餐" in data.paragraphs[0]
        assert "本月补录 2 条" in data.paragraphs[1]
        missing, late = data.tables
        assert missing.rows == [["2026-12-01", "午餐"]]
        assert late.footer[1] == sum(row[1] for row in late.rows) == 2
