"""Term settlement: 多退少不补 never charges more; 多退少补 (when a school sets it) charges the shortfall;
approved by the principal it makes the refunds and publishes the spending list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from finance import money, services
from finance.models import Charge, Consent, Refund, Settlement, SettlementLine
from finance.settlement import POLICY, settle_line, shares
from logistics.tenancy import rules
from logistics.workflow import guard

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 10)
ZERO = Decimal("0.00")


@pytest.fixture
def charged(school, people, klass, items, board):
    """Three students charged 100 for insurance; two paid in full, the third paid nothing."""
    services.open_consents(items.insurance, people.officer)
    parents = {klass.students[0].pk: people.parent, klass.students[1].pk: people.parent2}
    for consent in Consent.objects.filter(fee_item=items.insurance, student_id__in=parents):
        guard.run(consent, "give", parents[consent.student_id])
    third = Consent.objects.get(fee_item=items.insurance, student=klass.students[2])
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    guard.run(third, "give", people.teacher, signed_by="学生2的父亲", paper_form=scan)
    money.generate_charges(items.insurance, people.officer)
    charges = list(Charge.objects.filter(fee_item=items.insurance).order_by("student__student_number"))
    for i, charge in enumerate(charges[:2]):
        money.record_payment(charge, people.officer, "100", "cash", f"S{i}", TODAY)
    return charges


def settle(school, people, item, total):
    settlement = Settlement.objects.create(
        school=school, fee_item=item, actual_total=Decimal(total), spending_note="保费"
    )
    guard.run(settlement, "compute", people.officer)
    return settlement


class TestSettlement:
    def test_shares_add_up_to_the_total(self):
        assert shares(Decimal("100.00"), 3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
        assert sum(shares(Decimal("240.01"), 7)) == Decimal("240.01")

    def test_surplus_refunded_never_charged_more(self, school, people, items, charged):
        settlement = settle(school, people, items.insurance, "240.00")  # 80 each
        assert settlement.refund_total == Decimal("40.00") and settlement.shortfall_total == ZERO
        guard.run(settlement, "approve", people.principal)
        for charge in charged[:2]:
            assert money.figures(charge)[3:] == (Decimal("20.00"), ZERO)  # refunded 20, nothing due
        assert money.figures(charged[2])[4] == Decimal("80.00")  # unpaid: owes the cost, not the old 100
        assert Refund.objects.filter(status="approved").count() == 2

    def test_cost_above_collected_is_never_charged_under_the_default(self, school, people, items, charged):
        assert rules.value(school, POLICY) is False
        settlement = settle(school, people, items.insurance, "360.00")  # 120 each
        assert settlement.shortfall_total == ZERO and settlement.refund_total == ZERO
        guard.run(settlement, "approve", people.principal)
        assert Charge.objects.filter(settlement=settlement).count() == 0
        assert money.figures(charged[0])[4] == ZERO

    def test_shortfall_charged_when_the_school_sets_it(self, school, people, items, charged):
        rules.set_value(school, POLICY, "true")
        school.save()
        settlement = settle(school, people, items.insurance, "360.00")
        assert settlement.collects_shortfall and settlement.shortfall_total == Decimal("60.00")
        guard.run(settlement, "approve", people.principal)
        extra = Charge.objects.filter(settlement=settlement)
        assert sorted(c.amount for c in extra) == [Decimal("20.00")] * 3

    def test_the_recorder_of_payments_cannot_approve(self, school, people, items, charged, make_user):
        from logistics.accounts.roles import Role
        from logistics.tenancy.models import Membership

        Membership.objects.create(user=people.officer, school=school, role=Role.PRINCIPAL)
        settlement = settle(school, people, items.insurance, "240.00")
        officer_as_principal = type(people.officer).objects.get(pk=people.officer.pk)  # roles re-read
        # the grant's scope leaves the step out: no button, and a 403 if tried
        assert "approve" not in [s.name for s in guard.allowed_steps(officer_as_principal, settlement)]
        with pytest.raises(PermissionDenied):
            guard.run(settlement, "approve", officer_as_principal)
        settlement.refresh_from_db()
        assert settlement.status == "computed"

    def test_published_spending_list(self, client, school, people, items, charged):
        settlement = settle(school, people, items.insurance, "240.00")
        url = reverse("finance_public:spending", args=[school.slug, settlement.pk])
        assert client.get(url).status_code == 404  # not approved yet
        guard.run(settlement, "approve", people.principal)
        html = client.get(url).content.decode()
        assert "240.00" in html and "80.00" in html and not any(c.student.name in html for c in charged)
        assert url in client.get(reverse("finance_public:board", args=[school.slug])).content.decode()
        assert SettlementLine.objects.filter(settlement=settlement).count() == 3


class TestSettlementLine:
    @pytest.mark.parametrize("collects", [False, True])
    def test_settled_balance_is_what_remains_of_the_cost(self, collects):
        for charged_, waived, collected, cost in [
            (100, 0, 100, 80),
            (100, 0, 0, 80),
            (100, 20, 80, 120),
            (100, 100, 0, 80),
        ]:
            args = [Decimal(v) for v in (charged_, waived, collected, cost)]
            target, down, refund, shortfall = settle_line(*args, collects)
            balance = args[0] + shortfall - args[1] - down - args[2] + refund
            assert balance == max(target - args[2], ZERO)
            if not collects:
                assert shortfall == ZERO
