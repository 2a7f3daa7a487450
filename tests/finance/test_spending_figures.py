"""Spending in the monthly report, on the dashboard (school and district) and for the principal's
"needs me"; the demo data of spending approval."""

import datetime
import random
from decimal import Decimal

from finance import expenses
from finance.choices import ExpenseCategory, ExpenseStatus, StatementStatus
from finance.models import Budget, CollectiveDecision, Expense, StaffStatement
from finance.spending_demo import seed
from finance.spending_report import SpendingSection
from finance.spending_widgets import SpendingWidget
from logistics.accounts.roles import Role
from logistics.workflow import guard

from .test_expenses import TODAY, submitted


def paid(school, people, amount, category=ExpenseCategory.OFFICE):
    expense = submitted(school, people, amount, category=category)
    guard.run(expense, "approve", people.head)
    guard.run(expense, "approve", people.principal if expenses.needs_principal(expense) else people.officer)
    guard.run(expense, "pay", people.officer, paid_on=TODAY, method="bank", voucher_number=f"记-{expense.pk}")
    return expense


class TestExpenseInReportAndDashboard:
    def test_report_section_by_category_against_budget(self, school, people, make_user):
        people.storekeeper = make_user(Role.LOGISTICS_STAFF, school, username="store")
        Budget.objects.create(school=school, year=TODAY.year, category=ExpenseCategory.OFFICE, amount=Decimal("1000"))
        Budget.objects.create(school=school, year=TODAY.year, category=ExpenseCategory.TELECOM, amount=Decimal("100"))
        paid(school, people, "200.00")
        paid(school, people, "150.00", ExpenseCategory.TELECOM)  # over its budget (principal signed)
        submitted(school, people, "50.00")
        start = TODAY.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        data = SpendingSection().build(school, start, end)
        table = data.tables[0]
        office = next(r for r in table.rows if r[0] == "办公费")
        assert office[1:] == [
            1,
            Decimal("200.00"),
            Decimal("1000.00"),
            Decimal("200.00"),
            Decimal("0.00"),
            Decimal("800.00"),
        ]
        assert table.footer[2] == sum(r[2] for r in table.rows) == Decimal("350.00")
        assert any("邮电费" in p for p in data.paragraphs)  # over budget named
        assert any("待签字审批 1 笔（50.00 元）" in p for p in data.paragraphs)

    def test_widget_and_awaiting_principal(self, school, other_school, people, make_user):
        people.storekeeper = make_user(Role.LOGISTICS_STAFF, school, username="store")
        Budget.objects.create(school=school, year=TODAY.year, category=ExpenseCategory.OFFICE, amount=Decimal("1000"))
        paid(school, people, "100.00")
        big = submitted(school, people, "800.00")
        small = submitted(school, people, "20.00")
        assert list(expenses.awaiting_principal(school)) == [big]
        guard.run(big, "approve", people.principal)
        assert list(expenses.awaiting_principal(school)) == []
        figures = dict(SpendingWidget().context(school, people.principal)["figures"])
        assert figures["待签字审批的支出"] == 2
        assert figures["本年预算（元）"] == Decimal("1000.00")
        assert figures["本年已付及已批待付（元）"] == Decimal("100.00")
        assert figures["预算执行率（%）"] == Decimal("10.0")
        district = SpendingWidget().district_values([school, other_school])
        assert district[other_school.pk]["awaiting"] == 0 and district[school.pk]["awaiting"] == 2
        assert small.status == ExpenseStatus.SUBMITTED


class TestExpenseDemo:
    def test_demo_shows_every_state_and_is_idempotent(self, school, people, make_user):
        users = {
            Role.FINANCE_OFFICER: people.officer,
            Role.PRINCIPAL: people.principal,
            Role.LOGISTICS_HEAD: people.head,
            Role.TEACHER: people.teacher,
            Role.LOGISTICS_STAFF: make_user(Role.LOGISTICS_STAFF, school, username="store"),
        }
        seed(school, users, "small", random.Random(1))
        seed(school, users, "small", random.Random(1))
        states = set(Expense.objects.filter(school=school).values_list("status", flat=True))
        assert states == set(ExpenseStatus.values)
        assert Budget.objects.filter(school=school).count() == len(ExpenseCategory.values)
        assert CollectiveDecision.objects.filter(school=school).count() == 1
        assert StaffStatement.objects.get(school=school).status == StatementStatus.PUBLISHED
        assert expenses.awaiting_principal(school).exists()
        bands = {expenses.band_of(school, e.amount) for e in Expense.objects.filter(school=school)}
        assert len(bands) == 3
