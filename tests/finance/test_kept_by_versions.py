"""With a shared cache (``KEPT_BY_VERSION``) a parent's kept statement and the finance officer's kept API
charge list are found by data versions (``logistics.tenancy.versions``): no query of the list's own, and a
payment or an ended guardian link is a new page at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance import money
from finance.choices import PaymentMethod

from .test_kept_pages import _api_balance
from .test_money import insurance_charge  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 10)


class TestKeptByVersions:
    @pytest.fixture(autouse=True)
    def _on(self, settings):
        settings.KEPT_BY_VERSION = True

    def test_a_kept_statement_reads_only_the_session_user_and_memberships(self, insurance_charge, people, login):  # noqa: F811
        page = login(people.parent)
        first = page.get("/finance/charges/").content.decode()
        with CaptureQueriesContext(connection) as kept:
            again = page.get("/finance/charges/").content.decode()
        assert again == first
        assert not [q for q in kept.captured_queries if "finance_" in q["sql"]]
        assert len(kept.captured_queries) <= 3  # session, user, memberships

    def test_an_ended_guardian_link_is_a_new_page_at_once(self, insurance_charge, people, login, klass):  # noqa: F811
        from logistics.people.models import GuardianLink

        page = login(people.parent)
        assert klass.students[0].name in page.get("/finance/charges/").content.decode()
        assert klass.students[0].name in page.get("/finance/charges/").content.decode()  # kept
        GuardianLink.objects.get(guardian=people.parent, student=klass.students[0]).delete()
        assert klass.students[0].name not in page.get("/finance/charges/").content.decode()

    def test_a_kept_api_list_follows_a_payment(self, insurance_charge, people, api):  # noqa: F811
        rest = api(people.officer)
        assert _api_balance(rest) == [("0.00", "100.00")]
        with CaptureQueriesContext(connection) as kept:
            assert _api_balance(rest) == [("0.00", "100.00")]
        assert not [q for q in kept.captured_queries if "finance_" in q["sql"]]
        assert len(kept.captured_queries) <= 1  # the memberships (the API client is authenticated without a session)
        money.record_payment(insurance_charge, people.officer, "60", PaymentMethod.CASH, "No.9", TODAY)
        assert _api_balance(rest) == [("60.00", "40.00")]
