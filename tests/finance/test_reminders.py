"""Finance reminders: pending consents before the charge date, unpaid charges after it (to the finance
officer only), versions and refunds waiting for a decision."""

import datetime

import pytest
from django.utils import timezone

from finance import money, reminders, services
from finance.models import Consent
from logistics.reports.registry import Period
from logistics.workflow import guard

pytestmark = pytest.mark.django_db


class TestFinanceReminders:
    def test_pending_consents_near_the_charge_date(self, school, people, klass, items, board):
        services.open_consents(items.insurance, people.officer)
        today = timezone.localdate()
        items.insurance.due_date = today + datetime.timedelta(days=30)
        items.insurance.save()
        assert list(reminders.PendingConsentsProvider().due_items(timezone.now())) == []
        items.insurance.due_date = today + datetime.timedelta(days=3)
        items.insurance.save()
        (due,) = reminders.PendingConsentsProvider().due_items(timezone.now())
        assert due.obj == items.insurance and due.recipients == [people.officer] and "3" in due.title

    def test_unpaid_after_the_charge_date_to_the_officer(self, school, people, klass, items, board):
        services.open_consents(items.insurance, people.officer)
        guard.run(Consent.objects.get(student=klass.students[0], fee_item=items.insurance), "give", people.parent)
        items.insurance.due_date = timezone.localdate() - datetime.timedelta(days=1)
        items.insurance.save()
        money.generate_charges(items.insurance, people.officer)
        (due,) = reminders.UnpaidChargesProvider().due_items(timezone.now())
        assert due.recipients == [people.officer] and people.parent not in due.recipients
        charge = items.insurance.charges.get()
        money.record_payment(charge, people.officer, charge.amount, "cash", "P-1", timezone.localdate())
        assert list(reminders.UnpaidChargesProvider().due_items(timezone.now())) == []

    def test_waiting_for_a_decision(self, school, people, items):
        disclosure = services.new_disclosure(school, people.officer)
        guard.run(disclosure, "submit", people.officer)
        (due,) = reminders.AwaitingDecisionProvider().due_items(timezone.now())
        assert due.obj == disclosure and due.recipients == [people.principal]


class TestFinanceSection:
    def test_collected_and_refunded_by_item(self, school, people, klass, items, board):
        import datetime as dt
        from decimal import Decimal

        from finance.report import FinanceSection

        services.open_consents(items.insurance, people.officer)
        guard.run(Consent.objects.get(student=klass.students[0], fee_item=items.insurance), "give", people.parent)
        money.generate_charges(items.insurance, people.officer)
        charge = items.insurance.charges.get()
        today = timezone.localdate()
        money.record_payment(charge, people.officer, "100", "cash", "M-1", today)
        refund = money.request_refund(charge, people.head, "30", "退")
        guard.run(refund, "approve", people.principal)
        start = today.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        data = FinanceSection().build(school, start, end)
        fees = data.tables[0]
        assert fees.rows == [["学生意外伤害保险", 1, Decimal("100.00"), Decimal("30.00")]]
        assert "1" in data.paragraphs[-1]  # the version in force
        section = FinanceSection()
        narrative = section.narrative(Period(start, end), section.figures(school, start, end), None, None)[0]
        assert "100.00" in narrative and "30.00" in narrative  # the narrative says the table's figures
