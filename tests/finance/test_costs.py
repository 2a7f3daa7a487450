"""The actual cost per student in a term settlement: entered class by class (or the total split equally
or in proportion to the charges); the settlement uses each student's own figure."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finance import costs, money
from finance.choices import CostSplit
from finance.models import Settlement, StudentCost
from logistics.workflow import guard

from .test_settlement import charged  # noqa: F401 — fixture: 3 charged 100, the first two paid

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")
TODAY = datetime.date(2026, 9, 10)


def new_settlement(school, item, split, total="0"):
    return Settlement.objects.create(
        school=school, fee_item=item, split=split, actual_total=Decimal(total), spending_note="教材"
    )


class TestShares:
    def test_proportional_shares_add_up(self):
        got = costs.proportional_shares(Decimal("100.00"), [Decimal("1"), Decimal("1"), Decimal("1")])
        assert sum(got) == Decimal("100.00") and sorted(got) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
        assert costs.proportional_shares(Decimal("90"), [Decimal("100"), Decimal("200")]) == [
            Decimal("30.00"),
            Decimal("60.00"),
        ]


class TestStudentCost:
    def test_settlement_uses_each_students_cost(self, school, people, items, charged):  # noqa: F811
        settlement = new_settlement(school, items.insurance, CostSplit.PER_STUDENT)
        first, second, third = charged
        costs.save_costs(
            settlement, people.officer, {first: Decimal("70"), second: Decimal("100"), third: Decimal("90")}
        )
        guard.run(settlement, "compute", people.officer)
        settlement.refresh_from_db()
        assert settlement.actual_total == Decimal("260.00")
        lines = {line.charge_id: line for line in settlement.lines.all()}
        assert (lines[first.pk].cost, lines[first.pk].refund) == (Decimal("70.00"), Decimal("30.00"))
        assert (lines[second.pk].cost, lines[second.pk].refund) == (Decimal("100.00"), ZERO)
        assert lines[third.pk].settled_down == Decimal("10.00")  # unpaid: now owes 90, not 100
        guard.run(settlement, "approve", people.principal)
        assert money.figures(first)[3] == Decimal("30.00")
        # the batch of refunds and waivers is on the record, one change record each, as the principal
        from django.contrib.contenttypes.models import ContentType

        from finance.models import Refund, Waiver
        from logistics.audit.models import ChangeRecord

        for model in (Refund, Waiver):
            made = set(model.objects.filter(charge__fee_item=items.insurance).values_list("pk", flat=True))
            recorded = ChangeRecord.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=made, action="create"
            )
            assert made and {r.object_id for r in recorded} == made
            assert {r.user_id for r in recorded} == {people.principal.pk}
        assert money.figures(third)[4] == Decimal("90.00")

    def test_missing_costs_refused_naming_the_students(self, school, people, items, charged):  # noqa: F811
        settlement = new_settlement(school, items.insurance, CostSplit.PER_STUDENT)
        costs.save_costs(settlement, people.officer, {charged[0]: Decimal("70")})
        with pytest.raises(ValidationError, match="2"):
            guard.run(settlement, "compute", people.officer)
        settlement.refresh_from_db()
        assert settlement.status == "drafted" and not settlement.lines.exists()

    def test_cost_changed_after_computing_must_be_computed_again(self, school, people, items, charged):  # noqa: F811
        settlement = new_settlement(school, items.insurance, CostSplit.PER_STUDENT)
        costs.save_costs(settlement, people.officer, {c: Decimal("80") for c in charged})
        guard.run(settlement, "compute", people.officer)
        costs.save_costs(settlement, people.officer, {charged[0]: Decimal("50")})
        with pytest.raises(ValidationError, match="重新计算|again"):
            guard.run(settlement, "approve", people.principal)
        guard.run(settlement, "compute", people.officer)
        guard.run(settlement, "approve", people.principal)
        with pytest.raises(ValidationError):
            costs.save_costs(settlement, people.officer, {charged[0]: Decimal("10")})

    def test_by_charge_split(self, school, people, items, charged):  # noqa: F811
        settlement = new_settlement(school, items.insurance, CostSplit.BY_CHARGE, "240")
        guard.run(settlement, "compute", people.officer)
        assert sorted(line.cost for line in settlement.lines.all()) == [Decimal("80.00")] * 3


class TestCostPage:
    def test_form_per_class_keeps_wrong_input(self, school, people, items, charged, klass, login):  # noqa: F811
        settlement = new_settlement(school, items.insurance, CostSplit.PER_STUDENT)
        url = reverse("finance:settlement_costs", args=[settlement.pk])
        client = login(people.officer)
        page = client.get(url)
        assert page.status_code == 200 and klass.students[0].name in page.content.decode()
        bad = {f"cost_{charged[0].pk}": "七十", f"cost_{charged[1].pk}": "100", "school_class": klass.school_class.pk}
        response = client.post(url, bad)
        assert response.status_code == 400
        body = response.content.decode()
        assert "七十" in body and 'value="100"' in body and "is-invalid" in body
        assert not StudentCost.objects.exists()
        good = {f"cost_{c.pk}": "88.5" for c in charged} | {"school_class": klass.school_class.pk}
        assert client.post(url, good).status_code == 302
        assert sorted(StudentCost.objects.values_list("amount", flat=True)) == [Decimal("88.50")] * 3
        detail = client.get(settlement.get_absolute_url())
        assert (detail.context["costs_entered"], detail.context["charged_count"]) == (3, 3)
        assert reverse("finance:settlement_costs", args=[settlement.pk]) in detail.content.decode()
        assert login(people.teacher).get(url).status_code in (403, 404)
        assert login(people.principal).get(url).status_code == 403
