"""Parents' settlement statements: each settled fee of their own child — collected, actual cost,
refunded (or, under 多退少补, charged) with the rule and its source — as a page and a PDF; never another
family's child."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance.settlement import POLICY
from logistics.tenancy import rules
from logistics.workflow import guard

from .test_settlement import charged, settle  # noqa: F401 — fixture and helper

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(school, people, items, charged):  # noqa: F811
    settlement = settle(school, people, items.insurance, "240.00")  # 80 each: 20 back to who paid 100
    guard.run(settlement, "approve", people.principal)
    return settlement


class TestParentsStatement:
    def test_parent_sees_own_child_only(self, settled, people, klass, login):
        page = login(people.parent).get(reverse("finance:settlementstatement_list"))
        assert page.status_code == 200
        statements = page.context["statements"]
        assert [student.pk for student, _lines in statements] == [klass.students[0].pk]
        (line,) = statements[0][1]
        assert (line.collected, line.cost, line.refund) == (Decimal("100.00"), Decimal("80.00"), Decimal("20.00"))
        body = page.content.decode()
        assert "1619" in body and "多退少不补" in body  # the rule in force and its source
        assert klass.students[1].name not in body
        second = login(people.parent2).get(reverse("finance:settlementstatement_list"))
        assert [student.pk for student, _lines in second.context["statements"]] == [klass.students[1].pk]

    def test_pdf_only_for_own_child(self, settled, people, klass, login):
        own = login(people.parent).get(reverse("finance:settlementstatement_pdf", args=[klass.students[0].pk]))
        assert own.status_code == 200 and own.content.startswith(b"%PDF")
        other = login(people.parent).get(reverse("finance:settlementstatement_pdf", args=[klass.students[1].pk]))
        assert other.status_code == 404
        listed = login(people.parent).get(
            reverse("finance:settlementstatement_list") + f"?student={klass.students[1].pk}"
        )
        assert listed.status_code == 404

    def test_staff_read_a_students_statement_others_not(self, settled, people, klass, login):
        page = login(people.officer).get(
            reverse("finance:settlementstatement_list") + f"?student={klass.students[1].pk}"
        )
        assert page.status_code == 200 and len(page.context["statements"][0][1]) == 1
        assert login(people.guard).get(reverse("finance:settlementstatement_list")).status_code == 403

    def test_not_shown_before_approval(self, school, people, items, charged, login):  # noqa: F811
        settle(school, people, items.insurance, "240.00")
        page = login(people.parent).get(reverse("finance:settlementstatement_list"))
        assert page.context["statements"][0][1] == []

    def test_shortfall_under_duo_tui_shao_bu(self, school, people, items, charged, klass, login):  # noqa: F811
        rules.set_value(school, POLICY, "true")
        school.save()
        settlement = settle(school, people, items.insurance, "330.00")  # 110 each: 10 more for who paid
        guard.run(settlement, "approve", people.principal)
        page = login(people.parent).get(reverse("finance:settlementstatement_list"))
        (line,) = page.context["statements"][0][1]
        assert line.shortfall == Decimal("10.00") and "多退少补" in line.policy


class TestStatementSearch:
    def test_staff_find_a_student_parents_do_not_search(self, settled, people, klass, login):
        page = login(people.officer).get(reverse("finance:settlementstatement_list") + "?q=" + klass.students[1].name)
        assert page.context["staff"] and [s.pk for s in page.context["found"]] == [klass.students[1].pk]
        parent = login(people.parent).get(reverse("finance:settlementstatement_list") + "?q=" + klass.students[1].name)
        assert not parent.context["staff"] and parent.context["found"] == []
