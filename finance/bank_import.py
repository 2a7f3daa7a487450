"""Bank and payment-platform statements of fee payments (缴费流水导入) on the platform's import engine
(``logistics.imports``): each row names a student (学号, or name and class), the fee item or the charge's
reference, the amount, date, method, bill number (票据号) and the transaction number; it must match an
open charge of that student, and pay at most what is still due on it (an overpayment is an error of the
row: record what is due and refund the rest — money is never put on a charge above its balance).

The rows are checked against the balances of the school's open charges loaded once per file, a charge's
remaining balance going down row by row, so that two rows cannot together pay more than is due. Every
row is then recorded through ``finance.money.record_payment`` — the desk's own service, with its checks
under a row lock — as the person who imported the file: they are the payments' recorder (管钱不管帐:
they cannot reverse them). All rows or none.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.imports import registry as import_registry
from logistics.imports.columns import Column, date, money, normalise, text
from logistics.people.models import Student

from . import money as payments
from .choices import PaymentMethod
from .import_students import StudentIndex, find_student, student_columns
from .models import Charge, Payment

IMPORTER = "finance.payments"
REFERENCE = re.compile(r"^FEE-\d{4}-\d+$", re.IGNORECASE)
ZERO = Decimal("0.00")


@dataclass
class OpenCharge:
    """A charge as the file's rows see it: its figures when the file was read, and what the rows
    above have left due."""

    pk: int
    reference: str
    student_id: int
    student_name: str
    item_name: str
    period: str
    balance: Decimal
    remaining: Decimal

    def __str__(self):
        return _("%(reference)s %(item)s（%(period)s）· due %(balance)s yuan") % {
            "reference": self.reference,
            "item": self.item_name,
            "period": self.period,
            "balance": self.balance,
        }


def show_charge(value):
    """The preview's cell of the charge: what the row will pay (reference, item, what is due)."""
    return str(value)


class Lookups(StudentIndex):
    """The school's students (by 学号, and by name within a class) and its charges with their balance
    (one query each)."""

    def __init__(self, record):
        super().__init__()
        students = Student.objects.filter(school=record.school).values_list(
            "pk", "name", "student_number", "school_class__name", "school_class__grade__name"
        )
        for student in students:
            self.add(*student)
        self.charges = {}
        self.by_reference = {}
        self.by_student = {}
        rows = (
            payments.with_balances(Charge.objects.filter(school=record.school))
            .annotate(item_name=F("fee_item__name"), period=F("fee_item__period_label"))
            .values("pk", "reference", "student_id", "item_name", "period", "balance_due")
            .order_by("pk")
        )
        for row in rows:
            charge = OpenCharge(
                row["pk"],
                row["reference"],
                row["student_id"],
                self.names.get(row["student_id"], ""),
                row["item_name"],
                row["period"],
                row["balance_due"],
                row["balance_due"],
            )
            self.charges[charge.pk] = charge
            self.by_reference[normalise(charge.reference)] = charge
            self.by_student.setdefault(charge.student_id, []).append(charge)


def _item_matches(charge, key):
    return key in {
        normalise(charge.item_name),
        normalise(f"{charge.item_name}({charge.period})"),
        normalise(f"{charge.item_name}{charge.period}"),
    }


COLUMNS = [
    *student_columns(name_headers=("缴费人",)),
    Column(
        "charge",
        gettext_lazy("Fee item or charge reference"),
        required=True,
        headers=("收费项目", "缴费项目", "项目", "应收编号", "收费单号", "fee item"),
        parse=text(120),
        display=show_charge,
        help_text=gettext_lazy("The item's name (as on the board), or the charge's reference FEE-2026-000123."),
        example="学生意外伤害保险",
    ),
    Column(
        "amount",
        gettext_lazy("Amount (yuan)"),
        required=True,
        headers=("金额", "缴费金额", "交易金额", "实缴金额", "amount"),
        parse=money(minimum=Decimal("0.01")),
        example="100.00",
    ),
    Column(
        "paid_on",
        gettext_lazy("Paid on"),
        required=True,
        headers=("缴费日期", "交易日期", "日期", "paid on"),
        parse=date(not_future=True),
        example="2026-09-10",
    ),
    Column(
        "method",
        gettext_lazy("Payment method"),
        headers=("缴费方式", "支付方式", "交易渠道", "method"),
        choices=PaymentMethod,
        aliases={
            "银行": "bank",
            "转账": "bank",
            "微信": "wechat",
            "刷卡": "card",
            "缴费平台": "platform",
            "智慧校园": "platform",
        },
        help_text=gettext_lazy("Empty: bank transfer."),
        example="微信支付",
    ),
    Column(
        "receipt_number",
        gettext_lazy("Bill number"),
        required=True,
        headers=("票据号", "票据号码", "收据号", "bill number"),
        parse=text(40),
        example="ZJ2026-000123",
    ),
    Column(
        "transaction_id",
        gettext_lazy("Transaction number"),
        headers=("交易流水号", "流水号", "交易号", "订单号", "transaction number"),
        parse=text(64),
        example="4200001234202609100001",
    ),
]


class PaymentsImporter(import_registry.Importer):
    """Payments from a bank or payment-platform statement, one row per payment."""

    code = IMPORTER
    label = gettext_lazy("Payments (bank or payment platform)")
    model = "finance.PaymentImport"
    columns = COLUMNS
    unique_fields = ("receipt_number", "transaction_id")
    help_text = gettext_lazy(
        "One row per payment: the student (学号, or name and class), the fee item or charge reference, "
        "the amount, the date and the bill number (票据号). A row must match a charge still due and pay "
        "at most what is due; an overpayment is refused (record what is due, refund the rest). You will "
        "be the recorder of these payments. All rows are imported or none."
    )

    def lookups(self, record):
        return Lookups(record)

    def _student(self, values, row, lookups, by_reference=False):
        return find_student(
            values,
            row,
            lookups,
            unknown_number=lambda number: _("no student with the number “%(value)s”") % {"value": number},
            unknown_name=lambda name, klass: (
                _("no student “%(name)s” in class “%(class)s”") % {"name": name, "class": klass}
            ),
            required=not by_reference,  # a charge's reference names its student
        )

    def _charge(self, value, student_id, row, lookups):
        key = normalise(value)
        if REFERENCE.match(value.strip()):
            charge = lookups.by_reference.get(key)
            if charge is None:
                row.error("charge", _("no charge with the reference “%(value)s”") % {"value": value})
                return None
            if student_id is not None and charge.student_id != student_id:
                row.error(
                    "charge",
                    _("charge %(reference)s is %(name)s's, not this student's")
                    % {"reference": charge.reference, "name": charge.student_name},
                )
                return None
        else:
            if student_id is None:
                return None
            found = [c for c in lookups.by_student.get(student_id, []) if _item_matches(c, key)]
            open_ = [c for c in found if c.balance > ZERO]
            if not found:
                row.error(
                    "charge",
                    _("%(name)s is not charged for “%(value)s”")
                    % {"name": lookups.names.get(student_id, ""), "value": value},
                )
                return None
            if len(open_) > 1:
                row.error(
                    "charge",
                    _("%(name)s has several open charges for “%(value)s”: use the charge reference")
                    % {"name": lookups.names.get(student_id, ""), "value": value},
                )
                return None
            charge = open_[0] if open_ else found[0]
        if charge.balance <= ZERO:
            row.error(
                "charge",
                _("nothing is due on %(reference)s (already paid or waived)") % {"reference": charge.reference},
            )
            return None
        return charge

    def clean_row(self, values, row, lookups):
        raw = values.get("charge")
        by_reference = bool(raw) and isinstance(raw, str) and bool(REFERENCE.match(raw.strip()))
        student_id = self._student(values, row, lookups, by_reference)
        if not raw or isinstance(raw, OpenCharge):
            return
        charge = self._charge(raw, student_id, row, lookups)
        if charge is None:
            values.pop("charge", None)
            return
        values["charge"] = charge
        amount = values.get("amount")
        if amount is None:
            return
        if amount > charge.remaining:
            if charge.remaining < charge.balance:
                message = _(
                    "%(amount)s yuan is more than is still due on %(reference)s after the rows above "
                    "(%(remaining)s yuan): an overpayment is not imported"
                )
            else:
                message = _(
                    "%(amount)s yuan is more than is due on %(reference)s (%(remaining)s yuan): an overpayment is "
                    "not imported — record what is due and refund the rest"
                )
            row.error(
                "amount", message % {"amount": amount, "reference": charge.reference, "remaining": charge.remaining}
            )
            return
        charge.remaining -= amount

    def existing(self, record, field, values):
        return set(
            Payment.objects.filter(school=record.school, **{f"{field}__in": values}).values_list(field, flat=True)
        )

    def existing_message(self, field, value):
        if field == "receipt_number":
            return _("the bill number “%(value)s” is already recorded in this school") % {"value": value}
        return _("the transaction “%(value)s” is already recorded in this school") % {"value": value}

    def duplicate_message(self, field, value, other_row):
        return _("“%(value)s” appears twice in the file (also in row %(other)s)") % {"value": value, "other": other_row}

    def done_message(self, count):
        return _("%(n)s payments recorded.") % {"n": count}

    def apply(self, record, rows, user, progress):
        actor = user or record.created_by  # the person who imported the file is the recorder
        charges = Charge.objects.in_bulk([values["charge"].pk for _number, values in rows])
        count = 0
        for count, (number, values) in enumerate(rows, start=1):
            try:
                payments.record_payment(
                    charges[values["charge"].pk],
                    actor,
                    values["amount"],
                    values.get("method") or PaymentMethod.BANK,
                    values["receipt_number"],
                    values["paid_on"],
                    transaction_id=values.get("transaction_id", ""),
                    payment_import=record,
                )
            except ValidationError as exc:  # paid meanwhile at the desk: nothing is imported
                raise DatabaseError(
                    _("row %(row)s: %(error)s") % {"row": number, "error": " ".join(exc.messages)}
                ) from exc
            if count % 50 == 0:
                progress(count)
        return count

    def template_rows(self):
        return [[c.example for c in self.columns]]
