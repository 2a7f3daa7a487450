"""Monthly canteen accounts: drafted from the deliveries, published as an unchangeable snapshot (API 409,
page 403, queryset and raw SQL refused by the database), a correction supersedes it with what changed, the
public page without login shows every version and no personal data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from canteen import accounts
from canteen.choices import AccountStatus, FoodCostSource, IncomeSource
from canteen.models import MonthlyAccount
from logistics.workflow import guard

from .conftest import NOON

URL = "/api/v1/canteen/accounts/"
NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def make_month(school, manager, **kw):
    values = {
        "income_source": IncomeSource.ENTERED,
        "meal_fee_income": Decimal("180000.00"),
        "other_income": Decimal("20000.00"),
        "food_source": FoodCostSource.ENTERED,
        "food_expense": Decimal("130000.00"),
        "fuel_expense": Decimal("12000.00"),
        "wage_expense": Decimal("42000.00"),
        "other_expense": Decimal("3000.00"),
        **kw,
    }
    return accounts.draft(school=school, month=NOVEMBER, actor=manager, **values)


@pytest.fixture
def published(frozen, school, people):
    account = make_month(school, people.manager)
    guard.run(account, "publish", people.manager)
    account.refresh_from_db()
    return account


class TestMonthlyAccountDraftAndPublish:
    def test_balance_and_food_from_accepted_deliveries(self, frozen, school, people):
        account = make_month(school, people.manager, food_source=FoodCostSource.DELIVERIES)
        assert account.food_expense == Decimal("0.00")  # no delivery in November
        assert account.total_income == Decimal("200000.00")
        draft = MonthlyAccount.objects.get(school=school, month=NOVEMBER)
        assert draft.balance == draft.total_income - draft.total_expense
        with pytest.raises(ValidationError, match="已存在"):
            make_month(school, people.manager)

    def test_finance_as_source_without_a_meal_fee_item_is_refused(self, frozen, school, people):
        with pytest.raises(ValidationError, match="没有本校的伙食费"):
            make_month(school, people.manager, income_source=IncomeSource.FINANCE)

    def test_published_is_frozen_everywhere(self, published, api, login, people):
        assert published.status == AccountStatus.PUBLISHED and published.published_by == people.manager
        client = api(people.manager)
        assert client.patch(f"{URL}{published.pk}/", {"fuel_expense": "1.00"}, format="json").status_code == 409
        assert client.delete(f"{URL}{published.pk}/").status_code in (405, 409)
        page = login(people.manager).get(reverse("canteen:monthlyaccount_edit", args=[published.pk]))
        assert page.status_code == 403
        with pytest.raises(ValidationError):
            accounts.update_draft(published, people.manager, fuel_expense=Decimal("1"))
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE canteen_monthlyaccount SET fuel_expense = 1 WHERE id = %s", [published.pk])
        with pytest.raises(DatabaseError), transaction.atomic():
            MonthlyAccount.objects.filter(pk=published.pk).delete()
        published.refresh_from_db()
        assert published.fuel_expense == Decimal("12000.00")

    def test_correction_supersedes_with_what_changed_and_a_reason(self, published, api, people):
        client = api(people.manager)
        answer = client.post(f"{URL}{published.pk}/revise/", {}, format="json")
        assert answer.status_code == 200, answer.json()
        draft_id = answer.json()["id"]
        assert answer.json()["version"] == 2 and answer.json()["status"] == "draft"
        assert client.patch(f"{URL}{draft_id}/", {"fuel_expense": "6000.00"}, format="json").status_code == 200
        refused = client.post(f"{URL}{draft_id}/publish/", {}, format="json")
        assert refused.status_code == 400 and "reason" in refused.json()["errors"]
        client.patch(f"{URL}{draft_id}/", {"reason": "燃料费发票重复入账"}, format="json")
        assert client.post(f"{URL}{draft_id}/publish/", {}, format="json").status_code == 200
        published.refresh_from_db()
        correction = MonthlyAccount.objects.get(pk=draft_id)
        assert published.status == AccountStatus.SUPERSEDED and published.superseded_at is not None
        assert correction.status == AccountStatus.PUBLISHED and correction.supersedes == published
        assert "12000.00 → 6000.00" in correction.changes
        assert correction.balance == published.balance + Decimal("6000.00")

    def test_staff_and_parents_cannot_publish_or_read(self, frozen, school, people, api):
        account = make_month(school, people.manager)
        assert api(people.cook).post(f"{URL}{account.pk}/publish/", {}, format="json").status_code in (403, 404)
        assert api(people.parent).get(URL).status_code in (200, 403)
        assert api(people.head).get(URL).json()["count"] == 1
        assert api(people.head).post(f"{URL}{account.pk}/publish/", {}, format="json").status_code == 403


class TestMonthlyAccountPublicPage:
    def test_no_login_every_version_no_personal_data_cached(
        self, published, client, school, people, django_assert_max_num_queries
    ):
        draft = guard.run(published, "revise", people.manager)
        draft = MonthlyAccount.objects.get(pk=draft.pk)
        accounts.update_draft(draft, people.manager, other_expense=Decimal("2500.00"), reason="多计一笔维修费")
        guard.run(draft, "publish", people.manager)
        url = reverse("canteen_public:accounts", args=[school.slug])
        with django_assert_max_num_queries(4):
            page = client.get(url)
        assert page.status_code == 200 and "max-age=300" in page["Cache-Control"]
        body = page.content.decode()
        assert "2026-11" in body and 'data-testid="public-old-version"' in body and "多计一笔维修费" in body
        assert "3000.00 → 2500.00" in body
        for personal in (people.manager.username, str(people.manager)):
            assert personal not in body
        assert client.get(reverse("canteen_public:accounts", args=["no-such-school"])).status_code == 404

    def test_drafts_are_not_public(self, frozen, client, school, people):
        make_month(school, people.manager)
        body = client.get(reverse("canteen_public:accounts", args=[school.slug])).content.decode()
        assert 'data-testid="no-accounts"' in body
