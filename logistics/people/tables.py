"""List columns of the people pages. Booleans read 是/否, choices by label (issue 8)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from logistics.imports.choices import IMPORT_COLOURS
from logistics.ui.tables import Column, Table


def yes_no(value):
    return gettext("Yes") if value else gettext("No")


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
    columns = [Column("order", _("order")), Column("name", _("name"))]


class SchoolClassTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("grade.name", _("grade"), order_by="grade__order"),
        Column("head_teacher", _("class teacher"), order_by="head_teacher__display_name"),
        Column("room", _("classroom"), order_by="room__name"),
        Column("student_count", _("students")),
        flag("active", _("current")),
    ]


class StudentTable(Table):
    columns = [
        Column("student_number", _("student number"), link=True),
        Column("name", _("full name"), link=True),
        Column("gender", _("gender")),
        Column("school_class.grade.name", _("grade"), order_by="school_class__grade__order"),
        Column("school_class.name", _("class")),
        flag("boarding", _("boarder")),
        flag("active", _("enrolled")),
    ]


def _roles(user):
    return "、".join(m.get_role_display() for m in getattr(user, "school_memberships", []))


def _staff_active(user):
    return yes_no(bool(getattr(user, "school_memberships", [])) and user.is_active)


def _phone(user):
    return user.phone.as_national if user.phone else ""


class StaffTable(Table):
    columns = [
        Column("display_name", _("full name"), link=True),
        Column("username", _("username")),
        Column(_phone, _("phone")),
        Column(_roles, _("roles")),
        Column("last_login", _("last sign-in")),
        Column(_staff_active, _("active")),
    ]


class PeopleImportTable(Table):
    columns = [
        Column("original_name", _("file name"), link=True),
        Column("importer_label", _("kind of import"), orderable=False),
        Column("created", _("created")),
        Column("total_rows", _("rows")),
        Column("created_count", _("records created")),
        Column("status", _("status"), badge=IMPORT_COLOURS),
    ]
