"""The figures added to the principal's area cards — 陪餐 coverage and the latest hygiene self-inspection's
grade (canteen), the year's spending against its budgets (fees) — each checked against the records it
counts (the test counts them itself), linked to the list behind it, and kept flat in queries; the expense
queue's title for whoever signs before the principal; the kept "waiting for me" lists and "today" panels
with the page saying how fresh they are."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from canteen import accompanied
from canteen.inspection_choices import Grade, ItemResult
from canteen.models import AccompaniedMeal, HygieneInspection, MealService
from finance import budgets
from finance.choices import ExpenseCategory
from finance.models import Budget
from logistics.accounts.roles import Role
from logistics.dashboard import metrics, needs
from logistics.workflow import guard

from ..canteen.conftest import NOON, make_meal
from ..canteen.test_inspections import inspect, make_template
from ..finance.conftest import people  # noqa: F401 — the finance tests' people
from ..finance.test_expenses import staff, submitted  # noqa: F401 — a submitted expense, its signers

pytestmark = pytest.mark.django_db

DECEMBER = (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))


@pytest.fixture(autouse=True)
def _noon_on_3_december(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DASHBOARD_FIGURES_SECONDS = 0  # the figures computed on every request
    settings.DASHBOARD_PAST_MONTHS_SECONDS = 0
    with time_machine.travel(NOON, tick=False):
        yield


def _card(body, area):
    return re.search(r'data-area="' + area + r'">(.*?)</dl>', body, re.S).group(1)


def _row(card, label):
    """The figure's link and text in a card: (href, text)."""
    found = re.search(
        r"<dt[^>]*>" + re.escape(label) + r".*?</dt>\s*<dd[^>]*><a[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", card, re.S
    )
    assert found, (label, card)
    return found.group(1).replace("&amp;", "&"), found.group(2).strip()


def _zh(text):
    with translation.override("zh-hans"):
        return str(text)


class TestCanteenCard:
    def test_accompanied_coverage_counts_the_meals_with_a_record(self, school, other_school, make_user, login):
        principal = make_user(Role.PRINCIPAL, school, username="principal")
        head = make_user(Role.LOGISTICS_HEAD, school, username="head")
        meals = [
            make_meal(school, day=datetime.date(2026, 12, 1), meal="breakfast"),
            make_meal(school, day=datetime.date(2026, 12, 2), meal="lunch"),
            make_meal(school, day=datetime.date(2026, 12, 2), meal="dinner"),
        ]
        make_meal(school, day=datetime.date(2026, 12, 3), meal="dinner")  # not served yet at noon
        accompanied.record(meal=meals[0], actor=principal, rating=4)
        accompanied.record(meal=meals[0], actor=head, rating=5)  # two records of one meal: one meal covered
        accompanied.record(meal=meals[1], actor=head, rating=3)
        other = make_meal(other_school, day=datetime.date(2026, 12, 2), meal="lunch")
        accompanied.record(meal=other, actor=make_user(Role.PRINCIPAL, other_school), rating=4)

        # the test's own count of the records: the served meals of December, those with a 陪餐 record
        served = MealService.objects.filter(school=school, date__gte=DECEMBER[0], date__lt=datetime.date(2026, 12, 3))
        covered = AccompaniedMeal.objects.filter(school=school, date__gte=DECEMBER[0]).values("meal").distinct()
        expected = (covered.count(), served.count())
        assert expected == (2, 3)
        metric = next(m for m in metrics.metrics(area="canteen") if m.code == "canteen.accompanied")
        assert metric.values([school.pk, other_school.pk], *DECEMBER) == {school.pk: expected, other_school.pk: (1, 1)}

        body = login(principal).get("/").content.decode()
        href, text = _row(_card(body, "canteen"), "有陪餐记录的餐次")
        assert text == f"{expected[0] / expected[1] * 100:.1f}%" == "66.7%"
        assert href == "/canteen/accompanied/?date_after=2026-12-01&date_before=2026-12-31"
        assert login(principal).get(href).status_code == 200

    def test_latest_inspection_grade_is_the_schools_own(self, school, other_school, make_user, login):
        principal = make_user(Role.PRINCIPAL, school, username="principal")
        manager = make_user(Role.CANTEEN_MANAGER, school, username="manager")
        template = make_template(school)
        inspect(template, manager, ItemResult.PASS, ItemResult.PASS, day=datetime.date(2026, 11, 20))
        inspect(template, manager, ItemResult.FAIL, ItemResult.PASS, day=datetime.date(2026, 12, 2))
        other_template = make_template(other_school)
        other_manager = make_user(Role.CANTEEN_MANAGER, other_school, username="manager2")
        inspect(other_template, other_manager, ItemResult.PASS, ItemResult.PASS, day=datetime.date(2026, 12, 3))

        latest = HygieneInspection.objects.filter(school=school).order_by("-date", "-id").first()
        assert latest.date == datetime.date(2026, 12, 2) and latest.grade != Grade.A  # 10 of 100 points
        body = login(principal).get("/").content.decode()
        href, text = _row(_card(body, "canteen"), "最近一次卫生自查")
        assert text == _zh(Grade(latest.grade).label)
        assert href == "/canteen/inspections/"
        assert "InspectionGrade" not in body and f">{latest.grade}<" not in _card(body, "canteen")

    def test_a_school_without_inspections_is_missing(self, school, make_user, login):
        body = login(make_user(Role.PRINCIPAL, school)).get("/").content.decode()
        _href, text = _row(_card(body, "canteen"), "最近一次卫生自查")
        assert text == "—"


class TestFeesCard:
    def test_spending_against_the_budgets_of_the_year(self, school, staff, login):  # noqa: F811
        Budget.objects.create(school=school, year=2026, category=ExpenseCategory.OFFICE, amount=Decimal("1000"))
        Budget.objects.create(school=school, year=2025, category=ExpenseCategory.OFFICE, amount=Decimal("9"))
        paid = submitted(school, staff, "200.00")
        guard.run(paid, "approve", staff.head)
        guard.run(paid, "approve", staff.officer)
        guard.run(paid, "pay", staff.officer, paid_on=datetime.date(2026, 12, 3), method="bank", voucher_number="记-1")
        approved = submitted(school, staff, "150.00")
        guard.run(approved, "approve", staff.head)
        guard.run(approved, "approve", staff.officer)
        submitted(school, staff, "99.00")  # waiting for signatures: neither paid nor committed
        # spent in a category without a budget: not against the budgets
        unbudgeted = submitted(school, staff, "80.00", category=ExpenseCategory.TRAINING)
        guard.run(unbudgeted, "approve", staff.head)
        guard.run(unbudgeted, "approve", staff.principal)  # no budget: the principal signs

        rows = budgets.figures_for(school, 2026)
        with_budget = [r for r in rows.values() if r["budget"] is not None]
        expected = (sum(r["actual"] + r["committed"] for r in with_budget), sum(r["budget"] for r in with_budget))
        assert expected == (Decimal("350.00"), Decimal("1000"))
        metric = next(m for m in metrics.metrics(area="finance") if m.code == "finance.budget")
        assert metric.values([school.pk], *DECEMBER) == {school.pk: expected}

        body = login(staff.principal).get("/").content.decode()
        href, text = _row(_card(body, "finance"), "本年度预算已用（已付及已批）")
        assert text == "35.0%"
        assert href == "/finance/budgets/?year=2026"
        assert login(staff.principal).get(href).status_code == 200

    def test_missing_without_a_budget(self, school, staff, login):  # noqa: F811
        body = login(staff.principal).get("/").content.decode()
        _href, text = _row(_card(body, "finance"), "本年度预算已用（已付及已批）")
        assert text == "—"


class TestExpenseQueue:
    def test_the_title_says_whose_signature_and_the_signed_one_leaves(self, school, staff, login, settings):  # noqa: F811
        settings.DASHBOARD_NEEDS_SECONDS = 120  # kept: the signature must still show at once
        expense = submitted(school, staff, "500.00")  # above the head's 300: needs the principal

        def entry(user):
            return next((e for e in needs.waiting_for(school, user) if e["queue"].code == "finance.expense"), None)

        with translation.override("zh-hans"):
            for_head, for_principal = entry(staff.head), entry(staff.principal)
        assert str(for_principal["label"]) == "超出后勤主任审批额度的支出"
        assert str(for_head["label"]) == "须先签字、再报校长审批的支出"
        assert for_head["items"][0]["url"] == expense.get_absolute_url() == for_principal["items"][0]["url"]
        head_page = login(staff.head).get("/").content.decode()
        assert "须先签字、再报校长审批的支出" in head_page and "超出后勤主任审批额度的支出" not in head_page

        guard.run(expense, "approve", staff.head)  # the head signed: nothing more waits for them
        assert entry(staff.head) is None
        assert entry(staff.principal)["count"] == 1
        assert entry(staff.teacher) is None  # the buyer never signs


class TestKept:
    def test_needs_kept_per_user_until_a_step_changes_them(self, school, staff, login, settings):  # noqa: F811
        settings.DASHBOARD_NEEDS_SECONDS = 120
        client = login(staff.principal)
        expense = submitted(school, staff, "500.00")
        guard.run(expense, "approve", staff.head)
        first = client.get("/").content.decode()
        assert 'data-queue="finance.expense"' in first and 'data-testid="needs-freshness"' in first
        with CaptureQueriesContext(connection) as kept:
            client.get("/")
        with CaptureQueriesContext(connection) as fresh:
            client.get("/?fresh=1")
        assert len(kept) < len(fresh)
        guard.run(expense, "approve", staff.principal)  # the step moves the school's version on
        assert 'data-queue="finance.expense"' not in client.get("/").content.decode()

    def test_panels_kept_and_the_page_says_when(self, school, staff, login, settings):  # noqa: F811
        settings.DASHBOARD_NEEDS_SECONDS = 120
        client = login(staff.principal)
        body = client.get("/").content.decode()
        assert 'data-testid="panels-freshness"' in body and "数据计算于 12:00" in body
        with CaptureQueriesContext(connection) as kept:
            client.get("/")
        with CaptureQueriesContext(connection) as fresh:
            client.get("/?fresh=1")
        assert len(kept) < len(fresh) - 10


def test_queries_flat_in_the_number_of_schools(school, make_user, login, settings):
    """The new figures are computed for all schools at once: the district's queries and the principal's
    page do not grow with the schools (nor with their meals and inspections)."""
    from ..factories import SchoolFactory

    principal = make_user(Role.PRINCIPAL, school)
    make_meal(school, day=datetime.date(2026, 12, 2), meal="lunch")
    client = login(principal)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _n in range(5):
        other = SchoolFactory(district=school.district)
        make_meal(other, day=datetime.date(2026, 12, 2), meal="lunch")
        inspect(make_template(other), make_user(Role.CANTEEN_MANAGER, other), ItemResult.PASS, ItemResult.PASS)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) <= len(few)
    for code in ("canteen.accompanied", "canteen.inspection_grade", "finance.budget"):
        metric = next(m for m in metrics.metrics() if m.code == code)
        from logistics.tenancy.models import School

        ids = list(School.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as two:
            metric.values(ids[:2], *DECEMBER)
        with CaptureQueriesContext(connection) as all_of_them:
            metric.values(ids, *DECEMBER)
        assert len(all_of_them) == len(two) <= 3, code
