"""The utilities part of the term and year summary (学期工作总结): use per month, per kind over the term and
per student against the term before and the same term last year, the readings above the usual — its
paragraph's numbers equal its tables, and both equal the readings (the test sums them itself); and the
summary's tables name the term where the sections wrote 本月."""

import datetime

import pytest
import time_machine
from django.db.models import Sum
from django.utils import translation

from logistics.reports import services as report_services
from logistics.reports import summary
from logistics.reports.registry import Period
from utilities.choices import MeterKind
from utilities.models import MeterReading
from utilities.report import UtilitiesSection

from ..factories import GradeFactory, SchoolClassFactory, StudentFactory
from .factories import add_history, make_meter

pytestmark = pytest.mark.django_db

#: 3 December 2026: the autumn term 2026 (1 Sep – 31 Jan) has readings of September to November
TODAY = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
TERM = summary.term_period(2026, summary.AUTUMN)


@pytest.fixture(autouse=True)
def _on_3_december():
    with time_machine.travel(TODAY, tick=False):
        yield


def _zh(text):
    with translation.override("zh-hans"):
        return str(text)


def _use(school, kind, start, end):
    total = MeterReading.objects.filter(school=school, meter__kind=kind, month__gte=start, month__lt=end).aggregate(
        v=Sum("consumption")
    )["v"]
    return None if total is None else float(total)


def test_term_figures_equal_the_readings_and_the_paragraph(school, people):
    cls = SchoolClassFactory(school=school, grade=GradeFactory(school=school))
    for _n in range(5):
        StudentFactory(school=school, school_class=cls)
    water = make_meter(school)
    power = make_meter(school, kind=MeterKind.ELECTRICITY, name="总电表", campus=water.campus)
    # 16 months to November 2026: Aug 2025 … Nov 2026; November's water is far above the usual (flagged)
    add_history(water, people.staff, [100] * 15 + [900], end=datetime.date(2026, 11, 1))
    add_history(power, people.staff, [1000 + 10 * n for n in range(16)], end=datetime.date(2026, 11, 1))

    with translation.override("zh-hans"):
        data = UtilitiesSection().build(school, TERM.start, TERM.end)
    per_month, per_kind, flagged = data.tables
    # one row per month of the term up to this month (no months ahead of today)
    assert [row[0] for row in per_month.rows] == ["2026-09", "2026-10", "2026-11", "2026-12"]
    water_col = 1 + list(MeterKind.values).index(MeterKind.WATER)
    assert [row[water_col] for row in per_month.rows] == [100.0, 100.0, 900.0, "—"]
    assert per_month.footer[water_col] == sum(r[water_col] for r in per_month.rows if r[water_col] != "—")

    term_use = _use(school, MeterKind.WATER, TERM.start, TERM.end)
    previous = _use(school, MeterKind.WATER, TERM.previous.start, TERM.previous.end)
    last_year = _use(school, MeterKind.WATER, TERM.last_year.start, TERM.last_year.end)
    assert (term_use, previous, last_year) == (1100.0, 700.0, 500.0)  # Sep–Nov; Feb–Aug; Sep 2025 – Jan 2026
    row = next(r for r in per_kind.rows if r[0] == _zh(MeterKind.WATER.label))
    assert row[2] == term_use == per_month.footer[water_col]
    assert (row[4], row[6]) == (previous, last_year)
    assert row[3] == round(term_use / 5, 3) and per_kind.footer[1] == 5
    change_prev = round((term_use - previous) / previous * 100, 1)
    change_year = round((term_use - last_year) / last_year * 100, 1)
    assert (row[5], row[7]) == (change_prev, change_year)
    text = data.paragraphs[0]
    for figure in ("1,100", f"{row[3]}", f"{change_prev}", f"{change_year}", "本学期", "较上学期", "较去年同期"):
        assert figure in text, (figure, text)
    assert [r[1] for r in flagged.rows] == [str(water)] and flagged.rows[0][0] == "2026-11"
    assert "1 次读数高于往常" in text and "本月" not in text


def test_nothing_recorded_in_the_term(school, people):
    with translation.override("zh-hans"):
        data = UtilitiesSection().build(school, TERM.start, TERM.end)
    assert data.paragraphs == ["本期未录入抄表读数。"]
    assert data.tables[1].rows == [] and data.tables[2].rows == []


def test_the_month_report_is_unchanged(school, people):
    water = make_meter(school)
    add_history(water, people.staff, [100] * 13, end=datetime.date(2026, 11, 1))
    with translation.override("zh-hans"):
        data = UtilitiesSection().build(school, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    assert "本月用" in data.paragraphs[0] and data.tables[0].title == "分类用量"


def test_the_summary_names_the_term_where_sections_wrote_this_month(school, people):
    water = make_meter(school)
    add_history(water, people.staff, [100] * 4, end=datetime.date(2026, 11, 1))
    document = summary.document(school, TERM)
    codes = [s["code"] for s in document["sections"]]
    assert "utilities" in codes
    words = [
        text
        for section in document["sections"]
        for table in section["tables"]
        for text in [table["title"], *table["headers"], *[c for c in table["footer"] or [] if isinstance(c, str)]]
    ]
    assert not [w for w in words if "本月" in w], [w for w in words if "本月" in w]
    assert any("本学期" in w for w in words)
    # the monthly report keeps its month
    with translation.override("zh-hans"):
        month = report_services.build_sections(school, Period(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)))
    month_words = [t["title"] for s in month for t in s["tables"]] + [
        h for s in month for t in s["tables"] for h in t["headers"]
    ]
    assert any("本月" in w for w in month_words)


def test_period_words_only_in_a_term_or_year():
    worded = report_services._period_words(Period(TERM.start, TERM.end, "term"))
    with translation.override("zh-hans"):
        assert worded("本月支付（元）") == "本学期支付（元）"
        year = report_services._period_words(Period(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), "year"))
        assert year("本月留样") == "本年度留样"
        month = report_services._period_words(Period(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)))
        assert month("本月留样") == "本月留样"
