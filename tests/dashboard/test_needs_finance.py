"""The finance queues wait only for who may decide: a refund never for whoever asked for it or recorded a
payment of its charge (管钱不管帐, the refund step's own rule); a fee board submitted waits for the principal."""

from decimal import Decimal

import pytest
from django.utils import timezone

from finance import money, services
from finance.models import Consent
from logistics.dashboard import needs
from logistics.workflow import guard

from ..finance.conftest import board, items, klass, people  # noqa: F401 — the finance tests' fixtures

pytestmark = pytest.mark.django_db


def _queue(entries, code):
    return next((e for e in entries if e["queue"].code == code), None)


@pytest.fixture
def paid_charge(school, people, klass, items, board):  # noqa: F811
    services.open_consents(items.insurance, people.officer)
    guard.run(Consent.objects.get(fee_item=items.insurance, student=klass.students[0]), "give", people.parent)
    money.generate_charges(items.insurance, people.officer)
    charge = items.insurance.charges.get()
    money.record_payment(charge, people.officer, charge.amount, "cash", "R-0001", timezone.localdate())
    return charge


def test_a_refund_waits_for_the_principal_not_for_who_asked(school, people, paid_charge):  # noqa: F811
    money.request_refund(paid_charge, people.head, Decimal("10.00"), "转学")
    assert _queue(needs.waiting_for(school, people.principal), "finance.refund")["count"] == 1
    assert _queue(needs.waiting_for(school, people.head), "finance.refund") is None


def test_a_submitted_board_waits_for_the_principal(school, people, items, board):  # noqa: F811
    draft = services.new_disclosure(school, people.officer, "第二版")
    guard.run(draft, "submit", people.officer)
    entry = _queue(needs.waiting_for(school, people.principal), "finance.feedisclosure")
    assert entry["count"] == 1 and entry["items"][0]["url"] == draft.get_absolute_url()
    assert _queue(needs.waiting_for(school, people.officer), "finance.feedisclosure") is None
