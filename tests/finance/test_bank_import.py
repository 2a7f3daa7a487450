"""Bank / payment-platform statements of payments on the import engine: each row matched to a student's
open charge; unknown student, no open charge, a bill number twice in the file or already recorded, and an
overpayment are errors of their row — and then nothing at all is recorded. A clean file records every
payment through the desk's service, with the importer as the recorder (who then cannot reverse them)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from finance import money, services
from finance.bank_import import IMPORTER
from finance.models import Charge, Consent, Payment, PaymentImport
from logistics.imports import engine
from logistics.imports import registry as import_registry
from logistics.imports.choices import ImportStatus
from logistics.workflow import guard

pytestmark = pytest.mark.django_db
PAID = datetime.date(2026, 9, 10)
HEADERS = ["学号", "学生姓名", "班级", "收费项目", "金额", "交易日期", "支付方式", "票据号", "交易流水号"]


def xlsx(rows, headers=HEADERS, name="流水.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def check(school, user, upload):
    record = engine.open_import(PaymentImport, school=school, user=user, upload=upload, importer=IMPORTER)
    engine.set_mapping(record, user, engine.guess_mapping(import_registry.get(IMPORTER), record.headers))
    engine.check_now(record, user)
    record.refresh_from_db()
    return record


@pytest.fixture
def charges(school, people, klass, items, board):
    """The three students of the class charged 100 for insurance (their guardians agreed)."""
    services.open_consents(items.insurance, people.officer)
    for consent in Consent.objects.filter(fee_item=items.insurance):
        guard.run(consent, "give", people.officer, signed_by="家长", paper_form=_scan())
    money.generate_charges(items.insurance, people.officer)
    return {c.student_id: c for c in Charge.objects.filter(fee_item=items.insurance)}


def _scan():
    return SimpleUploadedFile("form.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


class TestPaymentImport:
    def test_clean_file_records_every_payment_through_the_desk_service(self, school, people, klass, charges):
        s0, s1, s2 = klass.students
        ref = charges[s2.pk].reference
        record = check(
            school,
            people.officer,
            xlsx(
                [
                    [s0.student_number, "", "", "学生意外伤害保险", 100, "2026-09-10", "微信支付", "B-001", "WX001"],
                    ["", s1.name, "1班", "学生意外伤害保险", "60.00", "2026/9/11", "", "B-002", ""],
                    ["", s1.name, "一年级1班", "学生意外伤害保险", 40, "2026-09-12", "支付宝", "B-003", "ALI9"],
                    ["", "", "", ref, "¥30", "20260913", "银行转账", "B-004", "BK1"],
                ]
            ),
        )
        assert record.status == ImportStatus.VALIDATED, record.errors
        preview = engine.preview(record)
        charge_cells = [row["cells"][preview["fields"].index("charge")]["text"] for row in preview["rows"]]
        assert charge_cells[0].startswith(charges[s0.pk].reference) and "100.00" in charge_cells[0]
        engine.apply_now(record, people.officer)
        record.refresh_from_db()
        assert record.status == ImportStatus.DONE and record.created_count == 4
        payments = {p.receipt_number: p for p in Payment.objects.all()}
        assert payments["B-001"].method == "wechat" and payments["B-001"].transaction_id == "WX001"
        assert payments["B-002"].method == "bank"  # empty: bank transfer
        assert all(p.created_by == people.officer and p.payment_import == record for p in payments.values())
        assert [money.figures(charges[s.pk])[4] for s in (s0, s1, s2)] == [
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("70.00"),
        ]
        # the importer is the recorder: 管钱不管帐 — they are not offered the reversal
        assert guard.allowed_steps(people.officer, payments["B-001"]) == []
        assert [s.name for s in guard.allowed_steps(people.principal, payments["B-001"])] == ["reverse"]
        engine.apply_now(record, people.officer)  # the task run twice records nothing twice
        assert Payment.objects.count() == 4

    def test_each_wrong_row_is_an_error_and_nothing_is_recorded(self, school, people, klass, charges, items):
        s0, s1, s2 = klass.students
        money.record_payment(charges[s2.pk], people.officer, "10", "cash", "DESK-1", PAID)
        ins = "学生意外伤害保险"
        record = check(
            school,
            people.officer,
            xlsx(
                [
                    ["X999", "", "", ins, 10, "2026-09-10", "", "B-1", ""],  # 2: unknown student number
                    ["", "无名氏", "1班", ins, 10, "2026-09-10", "", "B-2", ""],  # 3: unknown name in class
                    [s0.student_number, "", "", "午餐费", 10, "2026-09-10", "", "B-3", ""],  # 4: not charged for it
                    [s0.student_number, "", "", ins, "120", "2026-09-10", "", "B-4", ""],  # 5: overpayment
                    [s1.student_number, "", "", ins, 60, "2026-09-10", "", "B-5", ""],  # 6: fine
                    [s1.student_number, "", "", ins, 50, "2026-09-10", "", "B-6", ""],  # 7: 60+50 > 100
                    [s2.student_number, "", "", ins, 5, "2026-09-10", "", "B-5", ""],  # 8: B-5 twice in file
                    [s2.student_number, "", "", ins, 5, "2026-09-10", "", "DESK-1", ""],  # 9: already recorded
                    [s2.student_number, "", "", ins, 5, "2099-01-01", "刷脸", "B-9", ""],  # 10: future, method
                ]
            ),
        )
        assert record.status == ImportStatus.INVALID
        errors = {(e["row"], e["column"]) for e in record.errors}
        assert {
            (2, "学号"),
            (3, "学生姓名"),
            (4, "收费项目"),
            (5, "金额"),
            (7, "金额"),
            (8, "票据号"),
            (9, "票据号"),
            (10, "交易日期"),
            (10, "支付方式"),
        } <= errors
        assert not any(e["row"] == 6 for e in record.errors)
        messages = " ".join(e["message"] for e in record.errors)
        assert "overpayment" in messages or "多缴" in messages or "超" in messages
        engine.apply_now(record, people.officer)
        assert list(Payment.objects.values_list("receipt_number", flat=True)) == ["DESK-1"]

    def test_paid_charge_and_another_students_reference(self, school, people, klass, charges):
        s0, s1, _s2 = klass.students
        money.record_payment(charges[s0.pk], people.officer, "100", "cash", "DESK-2", PAID)
        record = check(
            school,
            people.officer,
            xlsx(
                [
                    [s0.student_number, "", "", "学生意外伤害保险", 10, "2026-09-10", "", "B-1", ""],  # nothing due
                    [s0.student_number, "", "", charges[s1.pk].reference, 10, "2026-09-10", "", "B-2", ""],
                    [s1.student_number, "", "", "学生意外伤害保险", 10, "2026-09-10", "", "B-3", "T1"],
                    [s1.student_number, "", "", "学生意外伤害保险", 10, "2026-09-10", "", "B-4", "T1"],  # T1 twice
                ]
            ),
        )
        errors = {(e["row"], e["column"]) for e in record.errors}
        assert {(2, "收费项目"), (3, "收费项目"), (5, "交易流水号")} <= errors

    def test_pages_and_api(self, school, people, klass, charges, login, api, other_school, make_user):
        client = login(people.officer)
        assert client.get(reverse("finance:paymentimport_list")).status_code == 200
        template = client.get(reverse("finance:paymentimport_template"))
        headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows(max_row=1))]
        assert headers[:5] == ["学号", "学生姓名", "班级", "收费项目", "金额"]
        s0 = klass.students[0]
        row = [s0.student_number, "", "", "学生意外伤害保险", 100, "2026-09-10", "", "B-77", ""]
        assert login(people.teacher).get(reverse("finance:paymentimport_add")).status_code == 403
        response = client.post(reverse("finance:paymentimport_add"), {"file": xlsx([row])})
        assert response.status_code == 302
        record = PaymentImport.objects.get()
        assert record.school == school and record.mapping["student_number"] == 0
        # the API on the engine's mixin
        rest = api(people.officer)
        created = rest.post("/api/v1/finance/payment-imports/", {"file": xlsx([row])}, format="multipart")
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        mapped = rest.post(f"/api/v1/finance/payment-imports/{pk}/mapping/", {"mapping": {}}, format="json")
        assert mapped.status_code == 400  # the required columns are not mapped
        outsider = make_user(people.officer.memberships.first().role, other_school, username="other-finance")
        assert api(outsider).get(f"/api/v1/finance/payment-imports/{pk}/").status_code == 404
        assert api(people.parent).get("/api/v1/finance/payment-imports/").json()["results"] == []
        assert api(people.parent).get(f"/api/v1/finance/payment-imports/{pk}/").status_code == 404


class TestPaymentTransactionNumber:
    def test_desk_api_keeps_the_transaction_number_unique_per_school(self, school, people, klass, charges, api):
        s0, s1, _s2 = klass.students
        client = api(people.officer)
        body = {"charge": charges[s0.pk].pk, "amount": "10", "method": "bank", "receipt_number": "A-1",
                "paid_on": "2026-09-10", "transaction_id": "BK-7"}  # fmt: skip
        first = client.post("/api/v1/finance/payments/", body, format="json")
        assert first.status_code == 201, first.content
        assert first.json()["transaction_id"] == "BK-7" and first.json()["payment_import"] is None
        again = client.post(
            "/api/v1/finance/payments/",
            {**body, "charge": charges[s1.pk].pk, "receipt_number": "A-2"},
            format="json",
        )
        assert again.status_code == 400
        assert Payment.objects.filter(transaction_id="BK-7").count() == 1
