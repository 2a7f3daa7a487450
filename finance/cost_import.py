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
from logistics.imports.columns import CellError, Column, normalise, parse_money, text
from logistics.imports.reading import cell_text

from .choices import SettlementStatus
from .costs import MAX_COST
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


class Lookups:
    """The settlement's charged students (by 学号, and by name within a class) and the school's other
    students' numbers (to tell "not charged for this fee" from "no such student"): two queries."""

    def __init__(self, record):
        self.settlement = record.settlement
        self.by_number, self.by_name, self.names, self.charge_of = {}, {}, {}, {}
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
            student = row["student_id"]
            self.charge_of[student] = row["pk"]
            self.names[student] = row["student__name"]
            if row["student__student_number"]:
                self.by_number[normalise(row["student__student_number"])] = student
            klass = row["student__school_class__name"] or ""
            grade = row["student__school_class__grade__name"] or ""
            for key in {klass, f"{grade}{klass}"}:
                if key:
                    name_key = (normalise(row["student__name"]), normalise(key))
                    self.by_name[name_key] = None if name_key in self.by_name else student
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
    Column(
        "student_number",
        gettext_lazy("Student number"),
        headers=("学号", "学籍号", "学生编号", "student number"),
        parse=text(30),
        help_text=gettext_lazy("Or the student's name and class."),
        example="20260101",
    ),
    Column(
        "student_name",
        gettext_lazy("Student's name"),
        headers=("学生姓名", "姓名", "student"),
        parse=text(50),
        example="张小明",
    ),
    Column("class_name", gettext_lazy("Class"), headers=("班级", "class"), parse=text(50), example="一年级1班"),
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
        number, name = values.get("student_number", ""), values.get("student_name", "")
        if number:
            student = lookups.by_number.get(normalise(number))
            if student is None:
                if normalise(number) in lookups.school_numbers:
                    row.error(
                        "student_number",
                        _("the student with the number “%(value)s” is not charged for this fee") % {"value": number},
                    )
                else:
                    row.error(
                        "student_number", _("no student of this school has the number “%(value)s”") % {"value": number}
                    )
                return None
            if name and normalise(name) != normalise(lookups.names[student]):
                row.error(
                    "student_name",
                    _("student number %(number)s is %(name)s, not “%(value)s”")
                    % {"number": number, "name": lookups.names[student], "value": name},
                )
                return None
            return student
        if not name:
            row.error("student_number", _("give the student number, or the name and the class"))
            return None
        klass = values.get("class_name", "")
        if not klass:
            row.error("class_name", _("give the class of “%(name)s” (or the student number)") % {"name": name})
            return None
        key = (normalise(name), normalise(klass))
        if key not in lookups.by_name:
            row.error(
                "student_name",
                _("no student “%(name)s” of class “%(class)s” is charged for this fee")
                % {"name": name, "class": klass},
            )
            return None
        if lookups.by_name[key] is None:
            row.error(
                "student_name",
                _("several students are called “%(name)s” in class “%(class)s”: use the student number")
                % {"name": name, "class": klass},
            )
            return None
        return lookups.by_name[key]

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
