"""The actual cost of each charged student of a settlement from an XLSX/CSV (逐人实际费用导入), on the
platform's import engine (``logistics.imports``): each row names a student (学号, or name and class) and
their actual cost in yuan. The student must be one of this school's students charged for the settlement's
fee; a student twice in the file, an unknown student, another school's student, a negative or unreadable
amount is an error of the row — and any error saves nothing. A clean file is saved in one transaction
through ``finance.costs.save_costs`` (the page's own service: each figure created or changed is a recorded
change; refused once the settlement is approved). The template (``?settlement=``) lists every charged
student of the settlement with an empty cost column.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.audit.context import change_context
from logistics.imports import registry as import_registry
from logistics.imports.columns import CellError, Column, normalise, parse_money
from logistics.imports.reading import cell_text

from .choices import SettlementStatus
from .costs import MAX_COST
from .import_students import StudentIndex, find_student, student_columns
from .models import Charge

IMPORTER = "finance.student_costs"
ZERO = Decimal("0.00")


def cost(raw, lookups=None):
    """An actual cost in yuan: 0 to 99,999,999.99 (a negative cost is refused with its own words)."""
    value = parse_money(raw)
    if value is None:
        raise CellError(_("“%(value)s” is not an amount") % {"value": cell_text(raw)})
    if value < ZERO:
        raise CellError(_("an actual cost cannot be negative (%(value)s)") % {"value": value})
    if value > MAX_COST:
        raise CellError(_("Enter an amount from 0 to 99,999,999.99."))
    return value


class Lookups(StudentIndex):
    """The settlement's charged students (by 学号, and by name within a class) and the school's other
    students' numbers (to tell "not charged for this fee" from "no such student"): two queries."""

    def __init__(self, record):
        super().__init__()
        self.settlement = record.settlement
        self.charge_of = {}
        charges = Charge.objects.filter(
            school_id=record.school_id, fee_item_id=self.settlement.fee_item_id, settlement__isnull=True
        ).values(
            "pk",
            "student_id",
            "student__name",
            "student__student_number",
            "student__school_class__name",
            "student__school_class__grade__name",
        )
        for row in charges:
            self.charge_of[row["student_id"]] = row["pk"]
            self.add(
                row["student_id"],
                row["student__name"],
                row["student__student_number"],
                row["student__school_class__name"],
                row["student__school_class__grade__name"],
            )
        from logistics.people.models import Student

        self.school_numbers = {
            normalise(n)
            for n in Student.objects.filter(school_id=record.school_id)
            .exclude(student_number="")
            .values_list("student_number", flat=True)
        }
        #: {student id: the first row naming them}
        self.seen = {}


COLUMNS = [
    *student_columns(),
    Column(
        "amount",
        gettext_lazy("Actual cost (yuan)"),
        required=True,
        headers=("实际费用", "实际费用（元）", "实际支出", "费用", "actual cost"),
        parse=cost,
        example="30.00",
    ),
]


class StudentCostsImporter(import_registry.Importer):
    """The actual cost of each charged student of one settlement, one row per student."""

    code = IMPORTER
    label = gettext_lazy("Actual cost per student")
    model = "finance.StudentCostImport"
    columns = COLUMNS
    help_text = gettext_lazy(
        "One row per student charged for the fee: the student (学号, or name and class) and the actual cost "
        "in yuan. Download the template: it lists every charged student of this settlement. A student "
        "twice, a student not charged for this fee or a negative cost is an error, and then nothing is saved."
    )

    def lookups(self, record):
        return Lookups(record)

    def _student(self, values, row, lookups):
        def unknown_number(number):
            if normalise(number) in lookups.school_numbers:
                return _("the student with the number “%(value)s” is not charged for this fee") % {"value": number}
            return _("no student of this school has the number “%(value)s”") % {"value": number}

        return find_student(
            values,
            row,
            lookups,
            unknown_number=unknown_number,
            unknown_name=lambda name, klass: (
                _("no student “%(name)s” of class “%(class)s” is charged for this fee") % {"name": name, "class": klass}
            ),
        )

    def clean_row(self, values, row, lookups):
        if lookups.settlement.status == SettlementStatus.APPROVED:
            row.error("amount", _("This settlement is approved: its costs can no longer change."))
            return
        student = self._student(values, row, lookups)
        if student is None:
            return
        first = lookups.seen.get(student)
        if first is not None:
            row.error(
                "student_number",
                _("%(name)s appears twice in the file (also in row %(other)s)")
                % {"name": lookups.names[student], "other": first},
            )
            return
        lookups.seen[student] = row.number
        values["charge_id"] = lookups.charge_of[student]

    def done_message(self, count):
        return _("Saved the actual cost of %(n)s students.") % {"n": count}

    def apply(self, record, rows, user, progress):
        from .costs import save_costs

        actor = user or record.created_by
        charges = Charge.objects.in_bulk([values["charge_id"] for _number, values in rows])
        figures = {charges[values["charge_id"]]: values["amount"] for _number, values in rows}
        try:
            with change_context(user=actor):  # the change records name the importer (a task has no request)
                save_costs(record.settlement, actor, figures)
        except ValidationError as exc:  # approved meanwhile: nothing is saved
            raise DatabaseError(" ".join(exc.messages)) from exc
        progress(len(rows))
        return len(rows)

    def template_rows(self):
        return [[c.example for c in self.columns]]


def template_rows(settlement):
    """The template of one settlement: every charged student (学号, name, class), the cost empty (or the
    figure already entered)."""
    from .models import StudentCost

    entered = dict(StudentCost.objects.filter(settlement=settlement).values_list("charge_id", "amount"))
    rows = (
        Charge.objects.filter(
            school_id=settlement.school_id, fee_item_id=settlement.fee_item_id, settlement__isnull=True
        )
        .order_by("student__school_class__grade__order", "student__school_class__name", "student__student_number")
        .values_list(
            "pk",
            "student__student_number",
            "student__name",
            "student__school_class__grade__name",
            "student__school_class__name",
        )
    )
    return [
        [number, name, f"{grade or ''}{klass or ''}", entered.get(pk, "")] for pk, number, name, grade, klass in rows
    ]
