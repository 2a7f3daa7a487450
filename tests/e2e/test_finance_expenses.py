"""Spending approval in Chromium at phone size: a teacher files a reimbursement with a photo of the
invoice (a wrong 验收人 first: refused, nothing lost), submits it; the logistics head and the principal
sign it on their phones; the finance officer sees it approved."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image

from finance.choices import ExpenseCategory
from finance.models import Budget, Expense
from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership

from ..factories import SchoolFactory, UserFactory
from .conftest import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def school():
    school = SchoolFactory(name="第一小学", slug="e2e-spend")
    for role, username, name in (
        (Role.TEACHER, "e2e-teacher", "王老师"),
        (Role.LOGISTICS_STAFF, "e2e-store", "李保管"),
        (Role.LOGISTICS_HEAD, "e2e-head", "赵主任"),
        (Role.PRINCIPAL, "e2e-principal", "陈校长"),
        (Role.FINANCE_OFFICER, "e2e-finance", "孙会计"),
    ):
        user = UserFactory(username=username, display_name=name)
        Membership.objects.create(user=user, school=school, role=role)
    Budget.objects.create(
        school=school, year=datetime.date.today().year, category=ExpenseCategory.REPAIRS, amount=Decimal("20000")
    )
    return school


def invoice_photo(tmp_path):
    path = tmp_path / "invoice.jpg"
    buffer = BytesIO()
    Image.new("RGB", (640, 400), (240, 240, 230)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_teacher_files_head_and_principal_sign(school, live_server, page_factory, login_page, screenshot, tmp_path):
    teacher = page_factory(viewport=PHONE)
    login_page(teacher, live_server, "e2e-teacher")
    teacher.goto(f"{live_server.url}/finance/expenses/add/")
    form = teacher.locator("[data-testid=object-form]")
    form.locator("input[name=purpose]").fill("教学楼水龙头维修配件")
    form.locator("input[name=amount]").fill("458.00")
    form.locator("select[name=category]").select_option("repairs")
    form.locator("input[name=supplier]").fill("李记五金")
    form.locator("select[name=receiver]").select_option(label="王老师")  # the buyer herself: refused
    form.locator("input[name=invoices]").set_input_files(str(invoice_photo(tmp_path)))
    form.locator("button[type=submit], button.btn-primary").first.click()
    teacher.wait_for_load_state("networkidle")
    assert "验收人必须是经办人以外的其他人" in teacher.content()
    assert teacher.locator("input[name=purpose]").input_value() == "教学楼水龙头维修配件"  # nothing lost
    assert not Expense.objects.exists()
    screenshot(teacher, "expense-phone-1-refused")
    teacher.locator("select[name=receiver]").select_option(label="李保管")
    teacher.locator("input[name=invoices]").set_input_files(str(invoice_photo(tmp_path)))
    teacher.locator("[data-testid=object-form] button.btn-primary").first.click()
    teacher.wait_for_load_state("networkidle")
    expense = Expense.objects.get()
    assert expense.buyer.username == "e2e-teacher" and expense.amount == Decimal("458.00")
    assert teacher.locator("[data-testid=invoices] img").count() == 1
    teacher.click("[data-testid=do-submit]")
    teacher.wait_for_load_state("networkidle")
    expense.refresh_from_db()
    assert expense.status == "submitted"
    screenshot(teacher, "expense-phone-2-submitted")

    head = page_factory(viewport=PHONE)
    login_page(head, live_server, "e2e-head")
    head.goto(f"{live_server.url}{expense.get_absolute_url()}")
    assert "须两人签字，其中一人为校长" in head.content()
    head.locator("[data-testid=step-approve] textarea").fill("配件已验收，情况属实")
    head.click("[data-testid=do-approve]")
    head.wait_for_load_state("networkidle")
    expense.refresh_from_db()
    assert expense.status == "signed"
    screenshot(head, "expense-phone-3-head-signed")

    principal = page_factory(viewport=PHONE)
    login_page(principal, live_server, "e2e-principal")
    principal.goto(f"{live_server.url}{expense.get_absolute_url()}")
    principal.click("[data-testid=do-approve]")
    principal.wait_for_load_state("networkidle")
    expense.refresh_from_db()
    assert expense.status == "approved"
    signatures = principal.locator("[data-testid=signatures]").inner_text()
    assert "后勤主任" in signatures and "校长" in signatures and "赵主任" in signatures
    screenshot(principal, "expense-phone-4-approved")

    # the teacher cannot sign anything, and sees it approved
    teacher.reload()
    assert "已审批，待支付" in teacher.content()
    assert teacher.locator("[data-testid=do-approve]").count() == 0
