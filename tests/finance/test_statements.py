"""The staff income/expense statement per half term (一学期两次向教师通报经费收支情况): figures from the
records, review and publication by the principal, every staff member reads it, parents nothing;
unchangeable once published — a correction is a new version that supersedes it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from finance import money, services, statements
from finance.choices import ExpenseCategory, PaymentMethod, StatementStatus
from finance.models import Budget, StaffStatement
from logistics.accounts.roles import Role
from logistics.workflow import guard

from .conftest import make_item
from .test_expenses import TODAY, submitted

START = TODAY - datetime.timedelta(days=60)


@pytest.fixture
def records(school, people, klass, make_user):
    """A payment of 100 yuan (insurance), a refund of 30, a paid expense of 200 (office, budget 1,000)."""
    people.storekeeper = make_user(Role.LOGISTICS_STAFF, school, username="store")
    item = make_item(school, voluntary=False, category="administrative", administrative_kind="accommodation",
                     basis_authority="物价局", basis_document="文号1", name="住宿费")  # fmt: skip
    board = services.new_disclosure(school, people.officer)
    guard.run(board, "submit", people.officer)
    guard.run(board, "approve", people.principal)
    guard.run(board, "publish", people.officer)
    money.generate_charges(item, people.officer)
    charge = item.charges.order_by("pk").first()
    money.record_payment(charge, people.officer, Decimal("100.00"), PaymentMethod.CASH, "R-1", TODAY)
    refund = money.request_refund(charge, people.head, Decimal("30.00"), "退部分")
    guard.run(refund, "approve", people.principal)
    Budget.objects.create(school=school, year=TODAY.year, category=ExpenseCategory.OFFICE, amount=Decimal("1000"))
    expense = submitted(school, people, "200.00")
    guard.run(expense, "approve", people.head)
    guard.run(expense, "approve", people.officer)
    guard.run(expense, "pay", people.officer, paid_on=TODAY, method="bank", voucher_number="记-1")
    return people


def draft(school, people, **kw):
    return statements.new_statement(
        school=school, actor=people.officer, title="上半学期经费收支情况", period_start=START, period_end=TODAY, **kw
    )


def publish(statement, people):
    guard.run(statement, "submit", people.officer)
    guard.run(statement, "publish", people.principal)
    return statement


class TestStaffStatementFigures:
    def test_generated_from_the_records(self, school, records):
        f = draft(school, records).figures
        assert f["income"] == [{"item": "住宿费", "amount": "100.00", "count": 1}]
        assert f["refund_total"] == "30.00"
        office = next(r for r in f["expenses"] if r["category"] == "office")
        assert (office["period"], office["budget"], office["remaining"]) == ("200.00", "1000.00", "800.00")
        assert f["net"] == "-130.00"

    def test_outside_the_period_left_out(self, school, records):
        f = statements.compute(school, START - datetime.timedelta(days=30), START - datetime.timedelta(days=1))
        assert f["income"] == [] and f["expense_total"] == "0.00"


class TestStaffStatementPublication:
    def test_review_publish_and_read_by_staff_only(self, school, records, api, login):
        statement = draft(school, records)
        visible = lambda u: list(StaffStatement.objects.restrict(u, "view"))  # noqa: E731
        assert visible(records.teacher) == []
        publish(statement, records)
        assert statement.status == StatementStatus.PUBLISHED
        assert visible(records.teacher) == [statement] == visible(records.guard)
        assert visible(records.parent) == []
        assert login(records.teacher).get(statement.get_absolute_url()).status_code == 200
        assert login(records.parent).get(statement.get_absolute_url()).status_code == 404
        assert api(records.parent).get("/api/v1/finance/statements/").json()["results"] == []
        pdf = login(records.teacher).get(f"/finance/statements/{statement.pk}/statement.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    def test_only_the_principal_publishes(self, school, records):
        statement = draft(school, records)
        guard.run(statement, "submit", records.officer)
        with pytest.raises(Exception):  # noqa: B017,PT011
            guard.run(statement, "publish", records.officer)

    def test_published_is_frozen_and_corrected_by_a_new_version(self, school, records, api):
        statement = publish(draft(school, records), records)
        assert api(records.officer).patch(
            f"/api/v1/finance/statements/{statement.pk}/", {"title": "x"}, format="json"
        ).status_code in (405, 409)
        with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011
            StaffStatement.objects.filter(pk=statement.pk).update(title="改过")
        with pytest.raises(ValidationError):
            draft(school, records)  # the period is published: correct it instead
        correction = statements.new_statement(
            school=school, actor=records.officer, title="更正", period_start=None, period_end=None,
            note="漏记一笔退费", corrects=statement,
        )  # fmt: skip
        assert correction.version == 2 and correction.period_start == statement.period_start
        publish(correction, records)
        statement.refresh_from_db()
        assert statement.status == StatementStatus.SUPERSEDED
        assert statement.title == "上半学期经费收支情况"
        assert StaffStatement.objects.restrict(records.teacher, "view").count() == 2

    def test_api_create_and_steps(self, school, records, api):
        officer = api(records.officer)
        response = officer.post(
            "/api/v1/finance/statements/",
            {"title": "上半学期", "period_start": START.isoformat(), "period_end": TODAY.isoformat()},
            format="json",
        )
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        assert response.json()["figures"]["income_total"] == "100.00"
        assert officer.post(f"/api/v1/finance/statements/{pk}/submit/", {}, format="json").status_code == 200
        assert officer.post(f"/api/v1/finance/statements/{pk}/publish/", {}, format="json").status_code == 403
        done = api(records.principal).post(f"/api/v1/finance/statements/{pk}/publish/", {}, format="json")
        assert done.json()["status"] == "published"
        bad = officer.post(
            "/api/v1/finance/statements/",
            {"title": "x", "period_start": TODAY.isoformat(), "period_end": START.isoformat()},
            format="json",
        )
        assert bad.status_code == 400


class TestStaffStatementList:
    def test_query_count_does_not_grow(self, school, records, login, api, django_assert_max_num_queries):
        publish(draft(school, records), records)
        page, client = login(records.teacher), api(records.teacher)
        with django_assert_max_num_queries(16) as few:
            assert page.get("/finance/statements/").status_code == 200
        with django_assert_max_num_queries(10) as few_api:
            assert client.get("/api/v1/finance/statements/").status_code == 200
        for n in range(3):
            start = START - datetime.timedelta(days=200 + 10 * n)
            statement = statements.new_statement(
                school=school, actor=records.officer, title=f"通报{n}", period_start=start,
                period_end=start + datetime.timedelta(days=5),
            )  # fmt: skip
            publish(statement, records)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = page.get("/finance/statements/")
        assert response.content.decode().count("通报") >= 3
        with django_assert_max_num_queries(len(few_api.captured_queries)):
            assert len(client.get("/api/v1/finance/statements/").json()["results"]) == 4


class TestStaffStatementPages:
    def test_draft_return_publish_correct(self, school, records, login):
        officer, principal = login(records.officer), login(records.principal)
        bad = officer.post("/finance/statements/add/", {"title": "上半学期", "period_start": TODAY.isoformat(),
                                                        "period_end": START.isoformat()})  # fmt: skip
        assert bad.status_code == 400
        assert "上半学期" in bad.content.decode() and "结束日期不能早于开始日期" in bad.content.decode()
        response = officer.post("/finance/statements/add/", {"title": "上半学期", "period_start": START.isoformat(),
                                                             "period_end": TODAY.isoformat()})  # fmt: skip
        assert response.status_code == 302
        statement = StaffStatement.objects.get()
        assert officer.post(f"/finance/statements/{statement.pk}/submit/").status_code == 302
        page = principal.post(f"/finance/statements/{statement.pk}/return/", {"return_for_changes-reason": ""})
        assert page.status_code == 400
        principal.post(f"/finance/statements/{statement.pk}/return/",
                       {"return_for_changes-reason": "退费漏列"})  # fmt: skip
        statement.refresh_from_db()
        assert statement.status == StatementStatus.DRAFTED and statement.return_reason == "退费漏列"
        officer.post(f"/finance/statements/{statement.pk}/submit/")
        principal.post(f"/finance/statements/{statement.pk}/publish/")
        statement.refresh_from_db()
        assert statement.status == StatementStatus.PUBLISHED
        assert officer.get(f"/finance/statements/{statement.pk}/edit/").status_code == 403
        url = f"/finance/statements/add/?corrects={statement.pk}"
        assert officer.post(url, {"title": "更正"}).status_code == 400  # says what was wrong
        assert officer.post(url, {"title": "更正", "note": "住宿费多计一笔"}).status_code == 302
        correction = StaffStatement.objects.get(version=2)
        assert correction.supersedes == statement and correction.status == StatementStatus.DRAFTED
