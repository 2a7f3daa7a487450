"""The student of an import row, shared by the bank-statement import and the per-student cost import:
the three columns (学号, name, class) and the lookup — by 学号 (the name, when also given, must agree) or
by name within a class (a name twice in a class asks for the 学号)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.imports.columns import Column, normalise, text


def student_columns(name_headers=()):
    """The 学号, name and class columns; ``name_headers``: more headings for the name column."""
    return [
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
            headers=("学生姓名", "姓名", *name_headers, "student"),
            parse=text(50),
            example="张小明",
        ),
        Column("class_name", gettext_lazy("Class"), headers=("班级", "class"), parse=text(50), example="一年级1班"),
    ]


class StudentIndex:
    """Students by 学号 and by (name, class): add each with ``add()``; ``by_name`` holds None for a name
    twice in a class. A class is found by its name and by grade + name (一年级 + 1班)."""

    def __init__(self):
        self.by_number, self.by_name, self.names = {}, {}, {}

    def add(self, pk, name, number, class_name, grade_name):
        self.names[pk] = name
        if number:
            self.by_number[normalise(number)] = pk
        klass, grade = class_name or "", grade_name or ""
        for key in {klass, f"{grade}{klass}"}:
            if key:
                name_key = (normalise(name), normalise(key))
                self.by_name[name_key] = None if name_key in self.by_name else pk


def find_student(values, row, index, *, unknown_number, unknown_name, required=True):
    """The student id of the row's values in ``index`` (a :class:`StudentIndex`), or None with the row's
    error. ``unknown_number(number)`` and ``unknown_name(name, class)`` give the messages for a 学号 or a
    name the index lacks; ``required=False``: a row naming no student is no error (another column may)."""
    number, name = values.get("student_number", ""), values.get("student_name", "")
    if number:
        student = index.by_number.get(normalise(number))
        if student is None:
            row.error("student_number", unknown_number(number))
            return None
        if name and normalise(name) != normalise(index.names[student]):
            row.error(
                "student_name",
                _("student number %(number)s is %(name)s, not “%(value)s”")
                % {"number": number, "name": index.names[student], "value": name},
            )
            return None
        return student
    if not name:
        if required:
            row.error("student_number", _("give the student number, or the name and the class"))
        return None
    klass = values.get("class_name", "")
    if not klass:
        row.error("class_name", _("give the class of “%(name)s” (or the student number)") % {"name": name})
        return None
    key = (normalise(name), normalise(klass))
    if key not in index.by_name:
        row.error("student_name", unknown_name(name, klass))
        return None
    if index.by_name[key] is None:
        row.error(
            "student_name",
            _("several students are called “%(name)s” in class “%(class)s”: use the student number")
            % {"name": name, "class": klass},
        )
        return None
    return index.by_name[key]
