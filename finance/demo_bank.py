"""Demo data of the bank import, the per-student settlement costs and the parents' statements (after
``finance.demo.seed``): a bank statement imported (payments of unpaid insurance charges, recorded by the
finance officer), a second statement left with its errors (an overpayment, a bill number already
recorded) — a realistic gap —, and the insurance settlement drafted with the actual premium entered per
student for the first class only (the other classes still to enter). Idempotent."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from logistics.accounts.roles import Role
from logistics.imports import engine
from logistics.imports import registry as import_registry

from . import costs as cost_entry
from .bank_import import IMPORTER
from .choices import CostSplit
from .models import Charge, FeeItem, Payment, PaymentImport, Settlement
from .money import with_balances

HEADERS = ["学号", "学生姓名", "收费项目", "金额", "交易日期", "支付方式", "票据号", "交易流水号"]


def _workbook(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(school, officer, name, rows):
    upload = SimpleUploadedFile(name, _workbook(rows))
    record = engine.open_import(PaymentImport, school=school, user=officer, upload=upload, importer=IMPORTER)
    engine.set_mapping(record, officer, engine.guess_mapping(import_registry.get(IMPORTER), record.headers))
    engine.check_now(record, officer)
    record.refresh_from_db()
    if not record.errors:
        engine.apply_now(record, officer)
    return record


def seed(school, users, scale, rng):
    if scale != "small" or PaymentImport.objects.filter(school=school).exists():
        return
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # the rows' errors are kept in the users' language
        _seed(school, users)


def _seed(school, users):
    officer = users[Role.FINANCE_OFFICER]
    insurance = FeeItem.objects.filter(school=school, name="学生意外伤害保险").first()
    if insurance is None:
        return
    unpaid = [
        c
        for c in with_balances(Charge.objects.filter(fee_item=insurance, settlement__isnull=True))
        .select_related("student")
        .order_by("pk")
        if c.balance_due > 0 and not c.waivers.exists()
    ]
    rows = [
        [
            c.student.student_number,
            c.student.name,
            insurance.name,
            float(c.balance_due),
            "2026-09-18",
            "缴费平台",
            f"{school.code}-PT-{i + 1:05d}",
            f"PT20260918{c.pk:06d}",
        ]
        for i, c in enumerate(unpaid[:-2])
    ]
    if rows:
        _import(school, officer, "缴费平台流水-2026-09-18.xlsx", rows)
    # the next statement holds an overpayment and a bill number already recorded: left for the officer to fix
    left = unpaid[-2:]
    taken = Payment.objects.filter(school=school).values_list("receipt_number", flat=True).first()
    if left and taken:
        bad = [
            [left[0].student.student_number, left[0].student.name, insurance.name, 150, "2026-09-25", "微信支付",
             f"{school.code}-PT-09001", "WX2026092500001"],
            [left[-1].student.student_number, left[-1].student.name, insurance.name, float(left[-1].balance_due),
             "2026-09-25", "微信支付", taken, "WX2026092500002"],
        ]  # fmt: skip
        _import(school, officer, "缴费平台流水-2026-09-25.xlsx", bad)

    # the insurance premium, per student: entered for the first class so far
    charges = list(Charge.objects.filter(fee_item=insurance, settlement__isnull=True).select_related("student"))
    if not charges or Settlement.objects.filter(school=school, fee_item=insurance).exists():
        return
    settlement = Settlement.objects.create(
        school=school,
        fee_item=insurance,
        split=CostSplit.PER_STUDENT,
        actual_total=Decimal("0"),
        spending_note="向保险公司实际缴纳保费：按学生年龄段不同，每人 85–100 元，保单号 PICC-2026-0098。",
        created_by=officer,
    )
    first_class = min(c.student.school_class_id for c in charges)
    premium = {c: Decimal("85.00") if i % 3 else Decimal("100.00") for i, c in enumerate(charges)}
    cost_entry.save_costs(
        settlement, officer, {c: amount for c, amount in premium.items() if c.student.school_class_id == first_class}
    )
