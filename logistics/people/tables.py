"""List columns of the people pages. Booleans read 是/否, choices by label (issue 8)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from logistics.ui.tables import Column, Table


def yes_no(value):
    return _("Yes") if value else _("No")


def flag(accessor, label, **kwargs):
    """A yes/no column (``Column`` would print ✓/✗)."""

    def read(obj):
        value = obj
        for part in accessor.split("."):
            value = getattr(value, part, None)
        return yes_no(value)

    read.__name__ = accessor
    column = Column(read, label, **kwargs)
    column.orderable, column.order_by = True, accessor.replace(".", "__")
    return column


class GradeTable(Table):
    columns = [Column("order", _l("order")), Column("name", _l("name"))]


class SchoolClassTable(Table):
    columns = [
        Column("name", _l("name"), link=True),
        Column("grade.name", _l("grade"), order_by="grade__order"),
        Column("head_teacher", _l("class teacher"), order_by="head_teacher__display_name"),
        Column("room", _l("classroom"), order_by="room__name"),
        Column("student_count", _l("students")),
        flag("active", _l("current")),
    ]


class StudentTable(Table):
    columns = [
        Column("student_number", _l("student number"), link=True),
        Column("name", _l("name"), link=True),
        Column("gender", _l("gender")),
        Column("school_class.grade.name", _l("grade"), order_by="school_class__grade__order"),
        Column("school_class.name", _l("class")),
        flag("boarding", _l("boarder")),
        flag("active", _l("enrolled")),
    ]


def _roles(user):
    return "、".join(m.get_role_display() for m in getattr(user, "school_memberships", []))


def _staff_active(user):
    return yes_no(bool(getattr(user, "school_memberships", [])) and user.is_active)


class StaffTable(Table):
    columns = [
        Column("display_name", _l("name"), link=True),
        Column("username", _l("username")),
        Column("phone", _l("phone")),
        Column(_roles, _l("roles")),
        Column("last_login", _l("last sign-in")),
        Column(_staff_active, _l("active")),
    ]
