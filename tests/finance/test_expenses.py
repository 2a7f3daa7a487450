"""Spending approval (一支笔审批): amount bands, two different signatures, no self-approval, 经办人 ≠ 验收人,
collective decisions, budgets (actual and committed), paid expenses immutable, visibility and
cross-school writes, pinned query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from finance import budgets, expenses
from finance.choices import ApprovalBand, ExpenseCategory, ExpenseStatus, SignerRole
from finance.models import Budget, CollectiveDecision, Expense, ExpenseSignature
from finance.spending_reminders import ExpensesAwaitingSignatureProvider
from logistics.accounts.roles import Role
from logistics.workflow import StepNotAllowed, guard

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TODAY = datetime.date.today()


def invoice(name="发票.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def staff(people, make_user, school):
    people.storekeeper = make_user(Role.LOGISTICS_STAFF, school, username="store")
    return people


def file(school, people, amount, category=ExpenseCategory.OFFICE, buyer=None, receiver=None, **kw):
    buyer = buyer or people.teacher
    return expenses.file_expense(
        school=school,
        actor=kw.pop("actor", buyer),
        purpose="办公用品",
        amount=Decimal(amount),
        category=category,
        supplier="文华办公用品店",
        spent_on=kw.pop("spent_on", TODAY),
        buyer=buyer,
        receiver=receiver or people.storekeeper,
        invoices=[invoice()],
        **kw,
    )


@pytest.fixture
def budget(school, people):
    return Budget.objects.create(
        school=school, year=TODAY.year, category=ExpenseCategory.OFFICE, amount=Decimal("50000")
    )


def submitted(school, people, amount, **kw):
    expense = file(school, people, amount, **kw)
    guard.run(expense, "submit", expense.filed_by)
    return expense


class TestExpenseBands:
    @pytest.mark.parametrize(
        ("amount", "band"),
        [
            ("300.00", ApprovalBand.HEAD),
            ("300.01", ApprovalBand.PRINCIPAL),
            ("10000.00", ApprovalBand.PRINCIPAL),
            ("10000.01", ApprovalBand.COLLECTIVE),
        ],
    )
    def test_band_edges(self, school, amount, band):
        assert expenses.band_of(school, Decimal(amount)) == band

    def test_rules_change_the_bands(self, school):
        school.rule_overrides = {expenses.HEAD_LIMIT: 500}
        school.save()
        assert expenses.band_of(school, Decimal("499.99")) == ApprovalBand.HEAD

    def test_head_band_approved_by_head_and_officer(self, school, staff, budget):
        expense = submitted(school, staff, "300.00")
        guard.run(expense, "approve", staff.head)
        assert expense.status == ExpenseStatus.SIGNED
        guard.run(expense, "approve", staff.officer, comment="票据齐全")
        assert expense.status == ExpenseStatus.APPROVED
        roles = list(expense.signatures.order_by("signed_at").values_list("role", flat=True))
        assert roles == [SignerRole.HEAD, SignerRole.FINANCE]
        assert expense.signatures.get(role=SignerRole.FINANCE).comment == "票据齐全"

    def test_head_band_needs_head_or_principal(self, school, staff, budget, make_user):
        other_officer = make_user(Role.FINANCE_OFFICER, school, username="officer2")
        expense = submitted(school, staff, "120.00")
        guard.run(expense, "approve", staff.officer)
        with pytest.raises(ValidationError, match="后勤主任或校长"):
            guard.run(expense, "approve", other_officer)
        assert expense.status == ExpenseStatus.SIGNED

    def test_just_above_head_limit_needs_principal(self, school, staff, budget):
        expense = submitted(school, staff, "300.01")
        guard.run(expense, "approve", staff.head)
        with pytest.raises(ValidationError, match="校长签字"):
            guard.run(expense, "approve", staff.officer)
        guard.run(expense, "approve", staff.principal)
        assert expense.status == ExpenseStatus.APPROVED

    def test_principal_limit_is_the_principals(self, school, staff, budget):
        expense = submitted(school, staff, "10000.00")
        guard.run(expense, "approve", staff.principal)
        guard.run(expense, "approve", staff.head)
        assert expense.status == ExpenseStatus.APPROVED

    def test_above_principal_limit_needs_collective_decision(self, school, staff, budget):
        expense = file(school, staff, "10000.01")
        with pytest.raises(ValidationError) as exc:
            guard.run(expense, "submit", staff.teacher)
        assert "集体决策" in str(exc.value)
        decision = CollectiveDecision.objects.create(
            school=school, meeting_date=TODAY, subject="设备", participants="校长、副校长", decision="同意"
        )
        expense.decision = decision
        expense.save()
        with pytest.raises(ValidationError, match="会议纪要"):
            guard.run(expense, "submit", staff.teacher)
        expenses.attach(decision, [invoice("纪要.pdf")], expenses.MINUTES)
        guard.run(expense, "submit", staff.teacher)
        guard.run(expense, "approve", staff.head)
        guard.run(expense, "approve", staff.principal)
        assert expense.status == ExpenseStatus.APPROVED


class TestExpenseSignatures:
    def test_two_different_people(self, school, staff, budget):
        expense = submitted(school, staff, "100.00")
        guard.run(expense, "approve", staff.head)
        with pytest.raises(ValidationError, match="已签过字"):
            guard.run(expense, "approve", staff.head)
        assert expense.signatures.count() == 1

    def test_database_refuses_a_second_signature_by_the_same_person(self, school, staff, budget):
        expense = submitted(school, staff, "100.00")
        guard.run(expense, "approve", staff.head)
        with pytest.raises(IntegrityError), transaction.atomic():
            ExpenseSignature.objects.create(
                school=school, expense=expense, signer=staff.head, role=SignerRole.HEAD, signed_at=expense.signed_at
            )

    def test_submitter_cannot_sign(self, school, staff, budget):
        expense = submitted(school, staff, "100.00", buyer=staff.storekeeper, receiver=staff.teacher, actor=staff.head)
        with pytest.raises(ValidationError, match="自己的支出"):
            guard.run(expense, "approve", staff.head)

    def test_buyer_cannot_sign(self, school, staff, budget):
        expense = submitted(school, staff, "100.00", buyer=staff.head, receiver=staff.teacher, actor=staff.officer)
        with pytest.raises(ValidationError, match="自己的支出"):
            guard.run(expense, "approve", staff.head)
        with pytest.raises(ValidationError):
            guard.run(expense, "reject", staff.head, reason="x")

    def test_teacher_cannot_sign(self, school, staff, budget):
        expense = submitted(school, staff, "100.00")
        with pytest.raises(PermissionDenied):
            guard.run(expense, "approve", staff.teacher2)

    def test_buyer_and_receiver_differ(self, school, staff):
        with pytest.raises(ValidationError, match="验收人"):
            file(school, staff, "10.00", buyer=staff.teacher, receiver=staff.teacher)
        assert not Expense.objects.exists()

    def test_database_refuses_buyer_as_receiver(self, school, staff, budget):
        expense = file(school, staff, "10.00")
        with pytest.raises(IntegrityError), transaction.atomic():
            Expense.objects.filter(pk=expense.pk).update(receiver=staff.teacher)

    def test_invoice_required(self, school, staff):
        expense = expenses.file_expense(
            school=school, actor=staff.teacher, purpose="x", amount=Decimal("5"), category=ExpenseCategory.OFFICE,
            supplier="s", spent_on=TODAY, buyer=staff.teacher, receiver=staff.storekeeper,
        )  # fmt: skip
        with pytest.raises(ValidationError, match="发票"):
            guard.run(expense, "submit", staff.teacher)

    def test_reject_with_reason(self, school, staff, budget):
        expense = submitted(school, staff, "100.00")
        guard.run(expense, "reject", staff.principal, reason="不属于公用经费开支范围")
        assert expense.status == ExpenseStatus.REJECTED
        assert expense.rejection_reason == "不属于公用经费开支范围"
        with pytest.raises(StepNotAllowed):
            guard.run(expense, "approve", staff.head)


class TestBudgetFigures:
    def test_actual_and_committed(self, school, staff, budget):
        paid = submitted(school, staff, "200.00")
        guard.run(paid, "approve", staff.head)
        guard.run(paid, "approve", staff.officer)
        guard.run(paid, "pay", staff.officer, paid_on=TODAY, method="bank", voucher_number="记-1")
        approved = submitted(school, staff, "150.00")
        guard.run(approved, "approve", staff.head)
        guard.run(approved, "approve", staff.officer)
        submitted(school, staff, "99.00")  # awaiting: neither actual nor committed
        row = budgets.figures_for(school, TODAY.year)[ExpenseCategory.OFFICE]
        assert row["actual"] == Decimal("200.00")
        assert row["committed"] == Decimal("150.00")
        assert row["remaining"] == Decimal("49650.00")
        assert row["percent"] == Decimal("0.7")
        guard.run(paid, "reverse", staff.principal, reason="重复报销")
        row = budgets.figures_for(school, TODAY.year)[ExpenseCategory.OFFICE]
        assert row["actual"] == Decimal("0.00")

    def test_over_budget_needs_principal_even_in_head_band(self, school, staff):
        Budget.objects.create(school=school, year=TODAY.year, category=ExpenseCategory.TELECOM, amount=Decimal("250"))
        expense = submitted(school, staff, "260.00", category=ExpenseCategory.TELECOM)
        assert expenses.requirements(expense)["needs_principal"]
        assert expense in expenses.awaiting_principal(school)
        guard.run(expense, "approve", staff.head)
        with pytest.raises(ValidationError, match="预算"):
            guard.run(expense, "approve", staff.officer)
        guard.run(expense, "approve", staff.principal)
        assert expense.status == ExpenseStatus.APPROVED
        assert expense not in expenses.awaiting_principal(school)


class TestBudgetRevision:
    def test_revision_recorded(self, school, staff, budget):
        budgets.revise(budget, staff.officer, Decimal("60000.00"), "追加预算")
        budget.refresh_from_db()
        assert budget.amount == Decimal("60000.00")
        revision = budget.revisions.get()
        assert (revision.previous_amount, revision.amount, revision.reason) == (
            Decimal("50000.00"), Decimal("60000.00"), "追加预算",
        )  # fmt: skip
        with pytest.raises(ValidationError):
            budgets.revise(budget, staff.officer, Decimal("1.00"), "  ")

    def test_revise_page(self, school, staff, budget, login):
        page = login(staff.officer)
        response = page.post(budget.get_absolute_url(), {"amount": "51000.00", "reason": ""})
        assert response.status_code == 400
        assert "51000.00" in response.content.decode()  # input kept
        response = page.post(budget.get_absolute_url(), {"amount": "51000.00", "reason": "追加"})
        assert response.status_code == 302
        assert budget.revisions.get().amount == Decimal("51000.00")
        assert login(staff.head).post(budget.get_absolute_url(), {"amount": "1", "reason": "x"}).status_code == 404


class TestCollectiveDecision:
    def test_minutes_required(self, school, staff, api, login):
        body = {"meeting_date": TODAY.isoformat(), "subject": "设备采购", "participants": "校长、副校长",
                "decision": "同意"}  # fmt: skip
        assert (
            api(staff.principal).post("/api/v1/finance/collective-decisions/", body, format="multipart").status_code
            == 400
        )
        response = api(staff.principal).post(
            "/api/v1/finance/collective-decisions/", {**body, "minutes": [invoice("纪要.pdf")]}, format="multipart"
        )
        assert response.status_code == 201, response.json()
        assert len(response.json()["minutes_files"]) == 1
        page = login(staff.officer).post("/finance/decisions/add/", body)
        assert page.status_code == 400 and "会议纪要" in page.content.decode()
        assert CollectiveDecision.objects.count() == 1
        decision = CollectiveDecision.objects.get()
        assert login(staff.officer).get(f"/finance/decisions/{decision.pk}/edit/").status_code == 200
        file(school, staff, "20000.00", decision=decision)
        guard.run(Expense.objects.get(), "submit", staff.teacher)
        assert login(staff.officer).get(f"/finance/decisions/{decision.pk}/edit/").status_code == 403
        assert api(staff.teacher).post(
            "/api/v1/finance/collective-decisions/", {**body, "minutes": [invoice()]}, format="multipart"
        ).status_code in (400, 403)


class TestExpensePaidImmutable:
    @pytest.fixture
    def paid(self, school, staff, budget):
        expense = submitted(school, staff, "200.00")
        guard.run(expense, "approve", staff.head)
        guard.run(expense, "approve", staff.officer)
        guard.run(expense, "pay", staff.officer, paid_on=TODAY, method="bank", voucher_number="记-7")
        return expense

    def test_api_refuses_changes(self, paid, staff, api):
        client = api(staff.teacher)  # who filed it
        url = f"/api/v1/finance/expenses/{paid.pk}/"
        assert client.patch(url, {"amount": "1.00"}, format="json").status_code == 409
        assert client.delete(url).status_code == 409
        assert api(staff.officer).patch(url, {"amount": "1.00"}, format="json").status_code == 404
        paid.refresh_from_db()
        assert paid.amount == Decimal("200.00")

    def test_database_refuses_update_and_delete(self, paid):
        with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011
            Expense.objects.filter(pk=paid.pk).update(amount=Decimal("1.00"))
        with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM finance_expense WHERE id = %s", [paid.pk])
        with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011
            ExpenseSignature.objects.filter(expense=paid).delete()
        paid.refresh_from_db()
        assert paid.amount == Decimal("200.00")

    def test_reversal_by_someone_else_with_reason(self, paid, staff):
        with pytest.raises(ValidationError, match="管钱不管帐"):
            guard.run(paid, "reverse", staff.officer, reason="x")
        guard.run(paid, "reverse", staff.principal, reason="同一发票重复报销")
        paid.refresh_from_db()
        assert paid.status == ExpenseStatus.REVERSED
        assert paid.amount == Decimal("200.00")
        assert paid.reversal_reason == "同一发票重复报销"

    def test_payment_date_not_in_future(self, school, staff, budget):
        expense = submitted(school, staff, "20.00")
        guard.run(expense, "approve", staff.head)
        guard.run(expense, "approve", staff.officer)
        with pytest.raises(ValidationError):
            guard.run(expense, "pay", staff.officer, paid_on=TODAY + datetime.timedelta(days=3), method="bank",
                      voucher_number="记-9")  # fmt: skip
        assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.APPROVED


class TestExpenseVisibility:
    def test_roles(self, school, staff, budget, make_user):
        mine = file(school, staff, "10.00")
        others = file(school, staff, "20.00", buyer=staff.teacher2, receiver=staff.storekeeper)
        visible = lambda user: set(Expense.objects.restrict(user, "view").values_list("pk", flat=True))  # noqa: E731
        assert visible(staff.teacher) == {mine.pk}
        assert visible(staff.teacher2) == {others.pk}
        assert visible(staff.storekeeper) == {mine.pk, others.pk}  # checked receipt of both
        assert visible(staff.officer) == visible(staff.principal) == visible(staff.head) == {mine.pk, others.pk}
        assert visible(staff.parent) == set()
        assert visible(staff.guard) == set()
        assert not Budget.objects.restrict(staff.teacher, "view").exists()
        assert not Budget.objects.restrict(staff.parent, "view").exists()

    def test_api_as_parent_and_other_staff(self, school, staff, budget, api):
        mine = file(school, staff, "10.00")
        assert api(staff.parent).get("/api/v1/finance/expenses/").json()["results"] == []
        assert api(staff.parent).get("/api/v1/finance/budgets/").json()["results"] == []
        assert api(staff.teacher2).get(f"/api/v1/finance/expenses/{mine.pk}/").status_code == 404
        assert (
            api(staff.teacher2).post(f"/api/v1/finance/expenses/{mine.pk}/submit/", {}, format="json").status_code
            == 404
        )

    def test_cross_school_writes_refused(self, school, other_school, staff, budget, api, make_user):
        outsider = make_user(Role.PRINCIPAL, other_school, username="p2")
        expense = submitted(school, staff, "10.00")
        response = api(outsider).post(f"/api/v1/finance/expenses/{expense.pk}/approve/", {}, format="json")
        assert response.status_code == 404
        other_teacher = make_user(Role.TEACHER, other_school, username="t2")
        response = api(staff.officer).post(
            "/api/v1/finance/expenses/",
            {"school": other_school.pk, "purpose": "x", "amount": "5.00", "category": "office", "supplier": "s",
             "spent_on": TODAY.isoformat(), "buyer": other_teacher.pk, "receiver": staff.teacher.pk},
            format="json",
        )  # fmt: skip
        assert response.status_code == 400
        response = api(staff.officer).post(
            "/api/v1/finance/expenses/",
            {"purpose": "x", "amount": "5.00", "category": "office", "supplier": "s",
             "spent_on": TODAY.isoformat(), "buyer": other_teacher.pk, "receiver": staff.teacher.pk},
            format="json",
        )  # fmt: skip
        assert response.status_code == 400
        assert Expense.objects.count() == 1
        assert not ExpenseSignature.objects.exists()


class TestExpenseApi:
    def test_file_submit_sign_pay(self, school, staff, budget, api):
        teacher = api(staff.teacher)
        response = teacher.post(
            "/api/v1/finance/expenses/",
            {"purpose": "粉笔", "amount": "88.00", "category": "office", "supplier": "文具店",
             "spent_on": TODAY.isoformat(), "buyer": staff.teacher.pk, "receiver": staff.storekeeper.pk,
             "invoices": [invoice()]},
            format="multipart",
        )  # fmt: skip
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        assert response.json()["reference"].startswith("EXP-")
        assert len(response.json()["invoice_files"]) == 1
        assert teacher.post(f"/api/v1/finance/expenses/{pk}/submit/", {}, format="json").status_code == 200
        assert teacher.post(f"/api/v1/finance/expenses/{pk}/approve/", {}, format="json").status_code == 403
        head = api(staff.head).post(f"/api/v1/finance/expenses/{pk}/approve/", {"comment": "同意"}, format="json")
        assert head.json()["status"] == "signed"
        officer = api(staff.officer).post(f"/api/v1/finance/expenses/{pk}/approve/", {}, format="json")
        assert officer.json()["status"] == "approved"
        bad = api(staff.officer).post(f"/api/v1/finance/expenses/{pk}/pay/", {"method": "bank"}, format="json")
        assert bad.status_code == 400
        paid = api(staff.officer).post(
            f"/api/v1/finance/expenses/{pk}/pay/",
            {"paid_on": TODAY.isoformat(), "method": "bank", "voucher_number": "记-3"},
            format="json",
        )
        assert paid.json()["status"] == "paid"
        assert [s["role"] for s in paid.json()["signatures"]] == ["logistics_head", "finance_officer"]

    def test_buyer_receiver_same_is_400(self, school, staff, api):
        response = api(staff.teacher).post(
            "/api/v1/finance/expenses/",
            {"purpose": "x", "amount": "5.00", "category": "office", "supplier": "s",
             "spent_on": TODAY.isoformat(), "buyer": staff.teacher.pk, "receiver": staff.teacher.pk},
            format="json",
        )  # fmt: skip
        assert response.status_code == 400
        assert "验收人" in str(response.json())

    def test_budget_api_and_revise(self, school, staff, budget, api):
        rows = api(staff.principal).get("/api/v1/finance/budgets/").json()["results"]
        assert rows[0]["remaining"] == "50000.00"
        response = api(staff.officer).post(
            f"/api/v1/finance/budgets/{budget.pk}/revise/", {"amount": "55000.00", "reason": "追加"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["revisions"][0]["previous_amount"] == "50000.00"
        assert (
            api(staff.head)
            .post(f"/api/v1/finance/budgets/{budget.pk}/revise/", {"amount": "1.00", "reason": "x"}, format="json")
            .status_code
            == 403
        )

    def test_schema_has_request_bodies(self, api, staff):
        schema = api(staff.officer).get("/api/schema/?format=json").json()
        approve = schema["paths"]["/api/v1/finance/expenses/{id}/approve/"]["post"]
        pay = schema["paths"]["/api/v1/finance/expenses/{id}/pay/"]["post"]
        assert "requestBody" in approve and "requestBody" in pay
        assert "/api/v1/finance/budgets/{id}/revise/" in schema["paths"]
        assert "/api/v1/finance/statements/{id}/publish/" in schema["paths"]


class TestExpenseQueryCounts:
    def test_expense_list_page_and_api(self, school, staff, budget, login, api, django_assert_max_num_queries):
        def make(n):
            for i in range(n):
                e = submitted(school, staff, f"{10 + i}.00")
                guard.run(e, "approve", staff.head)

        make(3)
        page, client = login(staff.officer), api(staff.officer)
        with django_assert_max_num_queries(16) as few:
            assert page.get("/finance/expenses/").status_code == 200
        with django_assert_max_num_queries(12) as few_api:
            assert client.get("/api/v1/finance/expenses/").status_code == 200
        make(12)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert page.get("/finance/expenses/").status_code == 200
        with django_assert_max_num_queries(len(few_api.captured_queries)):
            assert client.get("/api/v1/finance/expenses/").status_code == 200

    def test_budget_api_and_other_lists(self, school, staff, budget, login, api, django_assert_max_num_queries):
        client, page = api(staff.officer), login(staff.officer)
        urls = ["/api/v1/finance/budgets/", "/api/v1/finance/collective-decisions/", "/finance/decisions/"]
        CollectiveDecision.objects.create(
            school=school, meeting_date=TODAY, subject="议题", participants="校长", decision="同意"
        )
        first = {}
        for url in urls:
            (client if url.startswith("/api") else page).get(url)  # warm: memberships, menu cache
            with django_assert_max_num_queries(14) as counted:
                assert (client if url.startswith("/api") else page).get(url).status_code == 200
            first[url] = len(counted.captured_queries)
        for category in (ExpenseCategory.PRINTING, ExpenseCategory.TRAVEL, ExpenseCategory.REPAIRS):
            Budget.objects.create(school=school, year=TODAY.year, category=category, amount=Decimal("100"))
        for i in range(4):
            CollectiveDecision.objects.create(school=school, meeting_date=TODAY, subject=f"议题{i}", participants="校长",
                                              decision="同意")  # fmt: skip
        for url in urls:
            with django_assert_max_num_queries(first[url]):
                assert (client if url.startswith("/api") else page).get(url).status_code == 200

    def test_budget_list(self, school, staff, budget, login, django_assert_max_num_queries):
        page = login(staff.principal)
        with django_assert_max_num_queries(14):
            response = page.get("/finance/budgets/")
        assert response.status_code == 200
        assert "50000" in response.content.decode()


class TestExpenseReminders:
    def test_signers_reminded_once_per_step(self, school, staff, budget):
        expense = submitted(school, staff, "500.00")
        items = [i for i in ExpensesAwaitingSignatureProvider().due_items(None) if i.obj == expense]
        assert {u.pk for u in items[0].recipients} == {staff.head.pk, staff.principal.pk}
        guard.run(expense, "approve", staff.head)
        items = [i for i in ExpensesAwaitingSignatureProvider().due_items(None) if i.obj.pk == expense.pk]
        assert [u.pk for u in items[0].recipients] == [staff.principal.pk]
        assert items[0].due_at == Expense.objects.get(pk=expense.pk).signed_at


class TestExpenseOnThePrincipalsDashboard:
    """The principal's "what needs me" lists the expenses above the head's band waiting for the principal's
    signature (not the small ones, nor once the principal has signed); a teacher's lists none."""

    def test_listed_for_the_principal_only(self, school, staff, budget):
        from logistics.dashboard import needs

        expense = submitted(school, staff, "5000.00")
        small = submitted(school, staff, "120.00")

        def listed(user):
            return [
                item["url"]
                for entry in needs.waiting_for(school, user)
                if entry["queue"].code == "finance.expense"
                for item in entry["items"]
            ]

        assert listed(staff.principal) == [expense.get_absolute_url()]
        assert small.get_absolute_url() not in listed(staff.principal)
        assert listed(staff.teacher) == []
        guard.run(expense, "approve", staff.principal)
        assert listed(staff.principal) == []


class TestThePrincipalsOwnExpense:
    """The principal as 经办人 (or filer) of an expense that needs the principal's signature: nobody
    approves their own expense, so it goes to the leadership collectively — a recorded collective decision
    with its minutes, and the logistics head signs in the principal's place."""

    @pytest.fixture
    def decision(self, school):
        decision = CollectiveDecision.objects.create(
            school=school, meeting_date=TODAY, subject="校长经办的采购", participants="校长、副校长、后勤主任",
            decision="同意",
        )  # fmt: skip
        expenses.attach(decision, [invoice("纪要.pdf")], expenses.MINUTES)
        return decision

    def test_needs_a_collective_decision_in_the_principals_band(self, school, staff, budget, decision):
        expense = file(school, staff, "2000.00", buyer=staff.principal)
        need = expenses.requirements(expense)
        assert need["principals_own"] and need["needs_decision"] and not need["needs_principal"]
        with pytest.raises(ValidationError) as exc:
            guard.run(expense, "submit", staff.principal)
        assert "集体决策" in str(exc.value) and "后勤主任" in str(exc.value)
        expense.decision = decision
        expense.save()
        guard.run(expense, "submit", staff.principal)
        with pytest.raises(ValidationError, match="自己的支出"):
            guard.run(expense, "approve", staff.principal)
        guard.run(expense, "approve", staff.officer)
        guard.run(expense, "approve", staff.head)
        assert expense.status == ExpenseStatus.APPROVED
        assert set(expense.signatures.values_list("role", flat=True)) == {SignerRole.FINANCE, SignerRole.HEAD}

    def test_the_head_must_be_one_of_the_two(self, school, staff, budget, decision, make_user):
        second_officer = make_user(Role.FINANCE_OFFICER, school, username="finance2")
        expense = file(school, staff, "2000.00", buyer=staff.principal, decision=decision)
        guard.run(expense, "submit", staff.principal)
        guard.run(expense, "approve", staff.officer)
        with pytest.raises(ValidationError, match="后勤主任"):
            guard.run(expense, "approve", second_officer)
        assert Expense.objects.get(pk=expense.pk).status == ExpenseStatus.SIGNED

    def test_filed_by_the_principal_for_a_teacher_too(self, school, staff, budget):
        expense = file(school, staff, "5000.00", buyer=staff.teacher, actor=staff.principal)
        assert expenses.requirements(expense)["principals_own"]

    def test_head_band_within_budget_is_unchanged(self, school, staff, budget):
        """The head's band needs no principal: the principal as buyer changes nothing there."""
        expense = submitted(school, staff, "200.00", buyer=staff.principal)
        need = expenses.requirements(expense)
        assert not need["principals_own"] and not need["needs_decision"]
        guard.run(expense, "approve", staff.officer)
        guard.run(expense, "approve", staff.head)
        assert expense.status == ExpenseStatus.APPROVED

    def test_over_budget_in_the_head_band_goes_to_the_decision(self, school, staff):
        """No budget for the category: the principal would have to sign — the principal's own one needs the
        decision."""
        expense = file(school, staff, "200.00", buyer=staff.principal)
        with pytest.raises(ValidationError, match="集体决策"):
            guard.run(expense, "submit", staff.principal)

    def test_not_on_the_principals_dashboard_reminds_the_head_and_the_page_says_so(
        self, school, staff, budget, decision, login
    ):
        from logistics.dashboard import needs

        expense = file(school, staff, "3000.00", buyer=staff.principal, decision=decision)
        guard.run(expense, "submit", staff.principal)
        listed = [
            item["url"]
            for entry in needs.waiting_for(school, staff.principal)
            if entry["queue"].code == "finance.expense"
            for item in entry["items"]
        ]
        assert expense.get_absolute_url() not in listed
        items = [i for i in ExpensesAwaitingSignatureProvider().due_items(None) if i.obj.pk == expense.pk]
        assert [u.pk for u in items[0].recipients] == [staff.head.pk]
        page = login(staff.head).get(expense.get_absolute_url()).content.decode()
        assert 'data-testid="principals-own"' in page and "后勤主任代替校长签字" in page
        assert "集体决策（校长本人的支出）" in page  # the band is not the principal's approval

    def test_the_ordinary_principals_band_still_needs_the_principal(self, school, staff, budget):
        expense = submitted(school, staff, "2000.00")
        assert expenses.requirements(expense)["needs_principal"]
        guard.run(expense, "approve", staff.officer)
        with pytest.raises(ValidationError, match="校长签字"):
            guard.run(expense, "approve", staff.head)
