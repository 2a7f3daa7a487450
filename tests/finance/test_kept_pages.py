"""A parent's statement (the charges list) and the API charge list are kept (whole page / each row's JSON),
keyed by the latest time of each charge and of its payments, waivers and refunds: a payment, its reversal and
an approved refund show in the balance at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance import money
from finance.choices import PaymentMethod
from logistics.workflow import guard

from .test_money import insurance_charge  # noqa: F401 — the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_by_version")]
TODAY = datetime.date(2026, 9, 10)


def _balance_cell(html):
    """The balance column's text of the statement's only row."""
    row = html.split('data-testid="object-list"')[1].split("<tbody>")[1].split("</tr>")[0]
    return [cell.split(">", 1)[1].split("<")[0].strip() for cell in row.split("<td")[1:]][5]


def _api_balance(client):
    rows = client.get("/api/v1/finance/charges/").json()["results"]
    return [(row["paid"], row["balance"]) for row in rows]


class TestKeptStatement:
    def test_kept_and_moved_by_a_payment_its_reversal_and_a_refund(self, insurance_charge, people, login, api):  # noqa: F811
        page, rest = login(people.parent), api(people.parent)
        assert _balance_cell(page.get("/finance/charges/").content.decode()) == "100.00"
        with CaptureQueriesContext(connection) as kept:
            again = page.get("/finance/charges/").content.decode()
        assert _balance_cell(again) == "100.00"
        assert not [q for q in kept.captured_queries if "finance_feeitem" in q["sql"]]  # no row read, no context
        assert _api_balance(rest) == [("0.00", "100.00")]
        assert _api_balance(rest) == [("0.00", "100.00")]  # kept

        payment = money.record_payment(insurance_charge, people.officer, "100", PaymentMethod.CASH, "No.7", TODAY)
        assert _balance_cell(page.get("/finance/charges/").content.decode()) == "0.00"
        assert _api_balance(rest) == [("100.00", "0.00")]

        guard.run(payment, "reverse", people.principal, reason="收据号写错")
        assert _balance_cell(page.get("/finance/charges/").content.decode()) == "100.00"
        assert _api_balance(rest) == [("0.00", "100.00")]

        money.record_payment(insurance_charge, people.officer, "100", PaymentMethod.CASH, "No.8", TODAY)
        refund = money.request_refund(insurance_charge, people.head, "30", "保险未生效部分")
        assert _balance_cell(page.get("/finance/charges/").content.decode()) == "0.00"  # asked, not approved
        guard.run(refund, "approve", people.principal)
        assert _balance_cell(page.get("/finance/charges/").content.decode()) == "30.00"
        assert _api_balance(rest) == [("100.00", "30.00")]

    def test_another_parent_never_gets_the_kept_page(self, insurance_charge, people, login, klass):  # noqa: F811
        assert klass.students[0].name in login(people.parent).get("/finance/charges/").content.decode()
        assert klass.students[0].name not in login(people.parent2).get("/finance/charges/").content.decode()
