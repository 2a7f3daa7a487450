"""The rules page as a school reads it (issue 14): each rule by its name (never the developer key), yes/no for a
switch (never True/False), a real source for every rule (a regulation and article, or "Houqin default, not set
by a regulation" — never "DOMAIN.md §"), and what was typed kept after an error."""

import re

import pytest

from logistics.accounts.roles import Role
from logistics.tenancy import rules
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", page_text(response))


def test_every_app_rule_names_a_real_source():
    from django.utils import translation

    app_rules = [r for r in rules.all_rules() if r.key.split(".")[0] in ("repairs", "assets")]
    assert len(app_rules) >= 10
    with translation.override("en"):
        for rule in app_rules:
            source = str(rule.source)
            assert source and "DOMAIN" not in source and "issue" not in source.lower(), (rule.key, source)
            assert "art." in source or "Houqin default" in source, (rule.key, source)


def test_rule_declaration_stays_backward_compatible():
    """Apps register rules positionally and by keyword as before; only optional fields were added."""
    rule = rules.Rule("compat.days", 3, "Compat days", "test source", int)
    assert (rule.minimum, rule.maximum, rule.local, rule.unit, rule.group) == (0, 1_000_000, True, "", "")
    assert rule.display(1500) == "1,500" and rules.Rule("compat.x", 2.0, "x", kind=float).display(24.0) == "24"


def test_page_shows_names_yes_no_and_sources(school, make_user, login):
    page = text(login(make_user(Role.LOGISTICS_HEAD, school)).get("/school/rules/"))
    visible = re.sub(r'name="rule:[^"]*"', "", page)  # the keys are only the inputs' names
    for rule in rules.all_rules():
        assert rule.key not in visible
    assert "True" not in page and "False" not in page and "DOMAIN.md" not in page
    assert "新报修单自动派给该工种的值班维修工" in page
    assert "第四十一条" in page and "非法规规定" in page
    assert 'data-testid="rule-value">是<' in page  # repairs.auto_assign is on by default


def test_switch_is_set_with_yes_no(school, make_user, login):
    client = login(make_user(Role.LOGISTICS_HEAD, school))
    assert client.post("/school/rules/", {"rule:repairs.auto_assign": "no"}).status_code == 302
    school.refresh_from_db()
    assert rules.value(school, "repairs.auto_assign") is False
    page = text(client.get("/school/rules/"))
    assert '<option value="no" selected>否</option>' in page
    client.post("/school/rules/", {"rule:repairs.auto_assign": ""})
    school.refresh_from_db()
    assert rules.value(school, "repairs.auto_assign") is True


def test_bad_value_is_explained_and_kept(school, make_user, login):
    client = login(make_user(Role.LOGISTICS_HEAD, school))
    response = client.post("/school/rules/", {"rule:repairs.auto_confirm_days": "三天"})
    page = text(response)
    assert response.status_code == 400 and 'value="三天"' in page and "is-invalid" in page
    assert "请输入有效的数字" in page


def test_a_time_of_day_is_typed_and_shown_as_a_time(school, make_user, login):
    """Lesson hours are times of day (kept as hhmm): shown 17:20, not "1,720"; 17:90 refused in words with
    what was typed kept; 17:30 and 1730 both saved; the gate reads the new end of lessons."""
    import datetime

    from django.utils import timezone

    from safety import gate

    key = "rule:safety.lessons.afternoon_end"
    client = login(make_user(Role.LOGISTICS_HEAD, school))
    page = text(client.get("/school/rules/"))
    assert "17:20" in page and "1,720" not in page and "（时分" not in page
    refused = client.post("/school/rules/", {key: "17:90"})
    page = text(refused)
    assert refused.status_code == 400 and 'value="17:90"' in page and "请输入时刻，例如 17:20" in page
    school.refresh_from_db()
    assert "safety.lessons.afternoon_end" not in (school.rule_overrides or {})
    assert client.post("/school/rules/", {key: "17:30"}).status_code == 302
    school.refresh_from_db()
    assert rules.value(school, "safety.lessons.afternoon_end") == 1730
    assert 'value="17:30"' in text(client.get("/school/rules/"))
    assert client.post("/school/rules/", {key: "1745"}).status_code == 302
    school.refresh_from_db()
    tuesday = timezone.make_aware(datetime.datetime(2026, 12, 1, 17, 40))
    assert gate.in_lesson_time(school, tuesday) and not gate.in_lesson_time(school, tuesday.replace(minute=50))
    for bad in ("24:00", "9", "12:5", "abc"):
        with pytest.raises(rules.ValidationError):
            rules.get_rule("safety.lessons.afternoon_end").parse(bad)
