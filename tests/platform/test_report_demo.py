"""On the demo district (both schools seeded): each area's narrative says the numbers its own tables hold —
both computed from the same database — with the month-on-month comparison where the month before has data;
and the two demo schools' figures are their own (issue 14: the district showed identical asset figures)."""

import re

import pytest
from django.core.management import call_command

from logistics.reports import services
from logistics.reports.choices import ReportStatus
from logistics.reports.models import Report
from logistics.tenancy.models import School

pytestmark = pytest.mark.django_db


def section(report, code):
    return next(s for s in report.data if s.get("code") == code)


def text_of(report, code):
    return "".join(section(report, code)["paragraphs"])


def check_repairs(report, before):
    text, tables = text_of(report, "repairs"), section(report, "repairs")["tables"]
    total = tables[0]["footer"][1]
    assert f"共承接报修单 {total} 次" in text
    for trade, n in tables[0]["rows"]:
        if n:
            assert f"{trade}{n}次" in text, (trade, n, text)
    timeliness = [row[1] for row in tables[2]["rows"]]  # completed, median, p90, on time, …
    assert f"已完成 {timeliness[0]} 次" in text and f"按时完成率 {timeliness[3]}" in text
    previous = section(before, "repairs")["tables"][0]["footer"][1]
    if previous:
        diff = total - previous
        expected = "与上月持平" if diff == 0 else f"较上月{'增加' if diff > 0 else '减少'}{abs(diff)}次"
        assert expected in text, (expected, text)
    return total


def check_canteen(report):
    text, tables = text_of(report, "canteen"), section(report, "canteen")["tables"]
    samples = tables[0]["footer"][1]
    assert re.search(rf"留样 \d+ 餐 {samples} 份", text), text
    missing = len(tables[1]["rows"])
    assert (f"有 {missing} 个菜品供应后未留样" in text) if missing else ("所有供应菜品均已留样" in text)
    late = len(tables[2]["rows"])
    if late:
        assert f"有 {late} 份留样为补录" in text
    return samples


def check_safety(report):
    text, tables = text_of(report, "safety"), section(report, "safety")["tables"]
    total = tables[0]["footer"][1]
    complete, incomplete, missed, _explained = (row[1] for row in tables[0]["rows"])
    assert f"共巡更 {total} 次，完整完成 {complete} 次" in text
    assert f"巡查完成率 {round(100 * complete / total, 1)}%" in text
    assert f"未完成 {incomplete} 次，漏巡 {missed} 次" in text
    found, closed, overdue, major = (row[1] for row in tables[2]["rows"])
    assert f"排查发现隐患 {found} 处" in text and f"已销号 {closed} 处" in text
    assert f"逾期未整改 {overdue} 处" in text and f"重大隐患 {major} 处" in text
    return complete, total


def check_assets(report):
    text, tables = text_of(report, "assets"), section(report, "assets")["tables"]
    footer = tables[1]["footer"]  # value by category: 合计, count, cost, accumulated, net
    assert f"账面资产 {footer[1]} 件，原值 {footer[2]} 元，净值 {footer[4]} 元" in text, text
    return footer[1], footer[2]


def check_finance(report):
    text, tables = text_of(report, "finance"), section(report, "finance")["tables"]
    footer = tables[0]["footer"]
    if tables[0]["rows"]:
        assert f"共登记缴费 {footer[1]} 笔，收取 {footer[2]} 元，退费 {footer[3]} 元" in text, text
    else:
        assert "未发生收费和退费" in text
    return footer[2]


def test_narratives_equal_their_tables_and_the_demo_schools_differ():
    call_command("seed_demo", verbosity=0)
    schools = list(School.objects.filter(slug__startswith="demo-").order_by("slug"))
    assert len(schools) == 2
    month = services.previous_month()
    before = services.previous_month(month)
    figures = {}
    for school in schools:
        report = services.generate(school, month)  # the demo leaves last month's a draft
        earlier = Report.objects.get(school=school, period=before)  # made final and read by the demo
        assert earlier.status == ReportStatus.READ and earlier.plan and earlier.read_by is not None
        figures[school.slug] = (
            check_repairs(report, earlier),
            check_canteen(report),
            check_safety(report),
            check_assets(report),
            check_finance(report),
            dict(section(report, "school")["tables"][0]["rows"]),
        )
        # the problems carried over are listed for the head, each with its area
        assert report.open_items and all(i["area"] and i["text"] for i in report.open_items)
    one, two = figures["demo-1"], figures["demo-2"]
    # each school's demo data is its own: places, repairs, patrols and the asset ledger differ
    assert one[5] != two[5]
    assert one[3] != two[3], "the two demo schools show the same asset ledger"
    assert (one[0], one[2]) != (two[0], two[2])
