"""People from a school's own spreadsheets (人员导入) on the platform's import engine: staff, classes,
students with their guardians (a 学籍 export), and guardians of students already enrolled.

Rules: nothing is half-applied (the engine's one transaction); duplicates are errors of their row —
a student number, an ID number or a staff phone twice in the file or already in the school; a phone
given for two different guardians. ID numbers are checked (GB 11643) and shown masked in the preview and
the error list. Accounts made by an import have no password yet: a guardian sets one by accepting the
class's invitation sheet (the account of the phone the school gave for that child); the staff an import
made get their first passwords together, on one sheet shown once (staff list → First passwords,
``services.staff.issue_first_passwords``).
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from logistics.accounts.roles import Role
from logistics.audit.recorder import record_bulk_create, record_event
from logistics.imports import registry
from logistics.imports.columns import CellError, Column, normalise, text
from logistics.imports.columns import mask as mask_text
from logistics.tenancy.models import Membership, Room

from . import idnumbers, phones
from . import registry as people_registry
from .choices import Gender, Relation
from .models import Grade, GuardianLink, PeopleImport, SchoolClass, Student

MODEL = "people.PeopleImport"
CHUNK = 1000

GENDER_ALIASES = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "男性": Gender.MALE,
    "女性": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
}
RELATION_ALIASES = {
    "父亲": Relation.FATHER,
    "爸爸": Relation.FATHER,
    "父": Relation.FATHER,
    "父子": Relation.FATHER,
    "父女": Relation.FATHER,
    "母亲": Relation.MOTHER,
    "妈妈": Relation.MOTHER,
    "母": Relation.MOTHER,
    "母子": Relation.MOTHER,
    "母女": Relation.MOTHER,
    "爷爷": Relation.GRANDPARENT,
    "奶奶": Relation.GRANDPARENT,
    "外公": Relation.GRANDPARENT,
    "外婆": Relation.GRANDPARENT,
    "姥姥": Relation.GRANDPARENT,
    "姥爷": Relation.GRANDPARENT,
    "祖父": Relation.GRANDPARENT,
    "祖母": Relation.GRANDPARENT,
    "外祖父": Relation.GRANDPARENT,
    "外祖母": Relation.GRANDPARENT,
    "祖孙": Relation.GRANDPARENT,
    "其他": Relation.OTHER,
    "其它": Relation.OTHER,
    "监护人": Relation.OTHER,
}
BOARDING_YES = {"住校", "住校生", "寄宿", "寄宿生", "住宿", "是", "y", "yes", "1"}
BOARDING_NO = {"走读", "走读生", "通学", "非住校", "否", "n", "no", "0"}
#: grade names → order (一年级 … 九年级, 初一 … 初三, 高一 … 高三)
NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NATIONAL_NUMBER = re.compile(r"^[GLJ]\d{17}[\dX]$", re.IGNORECASE)


def class_key(name):
    return normalise(name).replace("(", "").replace(")", "")


def class_keys(grade_name, class_name):
    """The keys a class is known by: (grade, class) with and without the grade's name in front
    ("七年级" + "1班" and "七年级1班" are the same class)."""
    grade, name = normalise(grade_name), class_key(class_name)
    keys = {(grade, name)}
    if name.startswith(grade) and len(name) > len(grade):
        keys.add((grade, name[len(grade) :]))
    else:
        keys.add((grade, grade + name))
    return keys


def grade_order(name):
    """The order of a grade from its name, or None: 七年级 → 7, 初二 → 8, 高一 → 10, 3年级 → 3."""
    text_value = normalise(name)
    match = re.match(r"^(\d{1,2})年级$", text_value)
    if match:
        return int(match.group(1))
    match = re.match(r"^([一二三四五六七八九])年级$", text_value)
    if match:
        return NUMERALS[match.group(1)]
    match = re.match(r"^(初|高)([一二三])$", text_value)
    if match:
        return NUMERALS[match.group(2)] + (6 if match.group(1) == "初" else 9)
    return None


# --- parsers ---------------------------------------------------------------------------------------------


def parse_phone(raw, lookups=None):
    try:
        return phones.parse(text()(raw).replace(" ", "").replace("-", ""))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def show_phone(number):
    return str(number.as_national) if hasattr(number, "as_national") else str(number)


def parse_id_number(raw, lookups=None):
    value = idnumbers.normalise(text()(raw))
    try:
        idnumbers.validate_id_number(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return value


def parse_boarding(raw, lookups=None):
    key = normalise(text()(raw))
    if key in BOARDING_YES:
        return True
    if key in BOARDING_NO:
        return False
    raise CellError(_("write 住校 or 走读, not “%(value)s”") % {"value": text()(raw)})


def parse_member(raw, lookups):
    """A member of the school's staff by name, username or phone."""
    value = text()(raw)
    user = lookups.members.get(normalise(value), False)
    if user is False:
        raise CellError(_("“%(value)s” is not a member of this school") % {"value": value})
    if user is None:
        raise CellError(_("“%(value)s” matches several people") % {"value": value})
    return user


def parse_room(raw, lookups):
    value = text()(raw)
    room = lookups.rooms.get(normalise(value), False)
    if room is False:
        raise CellError(_("unknown room “%(value)s”") % {"value": value})
    if room is None:
        raise CellError(_("“%(value)s” matches several rooms; add the building") % {"value": value})
    return room


ROLE_ALIASES = {
    "老师": Role.TEACHER,
    "教职工": Role.TEACHER,
    "维修": Role.REPAIR_WORKER,
    "保安": Role.GUARD,
    "门卫": Role.GUARD,
    "会计": Role.FINANCE_OFFICER,
    "出纳": Role.FINANCE_OFFICER,
    "后勤主任": Role.LOGISTICS_HEAD,
    "总务主任": Role.LOGISTICS_HEAD,
    "食堂管理员": Role.CANTEEN_MANAGER,
}
_role_parser = []


def parse_role(raw, lookups=None):
    """A school role by its label (教师, 维修工 …); a principal is never made by an import."""
    if not _role_parser:
        from logistics.imports.columns import choice

        from .services.staff import SCHOOL_STAFF_ROLES

        allowed = [(r.value, r.label) for r in Role if r in SCHOOL_STAFF_ROLES and r != Role.PRINCIPAL]
        _role_parser.append(choice(allowed, ROLE_ALIASES))
    return _role_parser[0](raw)


def parse_trades(raw, lookups=None):
    table = {}
    for value, label in people_registry.trade_choices():
        table[normalise(value)] = value
        table[normalise(str(label))] = value
    found = []
    for part in re.split(r"[,，、;；/ ]+", text()(raw)):
        if not part:
            continue
        if normalise(part) not in table:
            allowed = "、".join(str(label) for _value, label in people_registry.trade_choices())
            raise CellError(_("unknown trade “%(value)s” (allowed: %(allowed)s)") % {"value": part, "allowed": allowed})
        found.append(table[normalise(part)])
    return found


def role_label(value):
    return str(Role(value).label)


def trades_label(values):
    labels = dict(people_registry.trade_choices())
    return "、".join(str(labels.get(v, v)) for v in values)


# --- lookups -------------------------------------------------------------------------------------------------


class SchoolLookups:
    """The school's grades, classes, rooms and staff, loaded once per file."""

    def __init__(self, record):
        school = record.school
        self.school = school
        self.grades = {normalise(g.name): g for g in Grade.objects.filter(school=school)}
        self.classes = {}
        self.classes_by_name = {}
        for school_class in SchoolClass.objects.filter(school=school, active=True).select_related("grade"):
            for key in class_keys(school_class.grade.name, school_class.name):
                self.classes[key] = school_class
            for key in {class_key(school_class.name), class_key(f"{school_class.grade.name}{school_class.name}")}:
                seen = self.classes_by_name.get(key)
                self.classes_by_name[key] = None if seen is not None and seen != school_class else school_class
        self.rooms = {}
        for room in Room.objects.filter(school=school).select_related("building"):
            for key in {room.name, room.code, f"{room.building.name}{room.name}"}:
                if key:
                    key = normalise(key)
                    self.rooms[key] = None if key in self.rooms and self.rooms[key] != room else room
        self.members = {}
        User = get_user_model()
        for user in (
            User.objects.filter(memberships__school=school, memberships__active=True)
            .exclude(memberships__role=Role.PARENT, memberships__school=school)
            .distinct()
        ):
            keys = {user.username, user.display_name}
            if user.phone:
                keys.add(str(user.phone.national_number))
            for key in keys:
                if key:
                    key = normalise(key)
                    self.members[key] = None if key in self.members and self.members[key] != user else user

    def find_class(self, grade_name, class_name):
        """(class or None, error message or None): by grade and class, or by the class's full name."""
        if grade_name:
            for key in class_keys(grade_name, class_name):
                if key in self.classes:
                    return self.classes[key], None
            return None, None
        found = self.classes_by_name.get(class_key(class_name), False)
        if found is None:
            return None, _("“%(value)s” is the name of several classes: add the grade column") % {"value": class_name}
        if found is False:
            return None, _("unknown class “%(value)s”: add the grade column to create it") % {"value": class_name}
        return found, None


# --- importers -----------------------------------------------------------------------------------------------


class PeopleImporter(registry.Importer):
    model = MODEL

    def lookups(self, record):
        return SchoolLookups(record)


def _new_classes(record, rows):
    """Create the grades and classes rows name that the school does not have yet; {(grade, class) key: class}."""
    school = record.school
    grades = {normalise(g.name): g for g in Grade.objects.filter(school=school)}
    classes = {}
    for school_class in SchoolClass.objects.filter(school=school, active=True).select_related("grade"):
        for key in class_keys(school_class.grade.name, school_class.name):
            classes[key] = school_class
    next_order = (Grade.objects.filter(school=school).aggregate(m=Max("order"))["m"] or 0) + 1
    for _number, values in rows:
        grade_name, class_name = values.get("grade", ""), values.get("school_class", "")
        if not grade_name:
            continue
        keys = class_keys(grade_name, class_name)
        if keys & set(classes):
            continue
        key = (normalise(grade_name), class_key(class_name))
        grade = grades.get(key[0])
        if grade is None:
            order = grade_order(grade_name)
            if order is None or Grade.objects.filter(school=school, order=order).exists():
                order, next_order = next_order, next_order + 1
            grade = Grade(school=school, name=grade_name, order=order)
            grade.save()
            grades[key[0]] = grade
        school_class = SchoolClass(school=school, grade=grade, name=class_name)
        school_class.save()
        for key in keys:
            classes[key] = school_class
    return classes


def _class_of(classes, values):
    for key in class_keys(values["grade"], values["school_class"]):
        if key in classes:
            return classes[key]
    raise KeyError(values["school_class"])


class ClassImporter(PeopleImporter):
    """Classes (班级) with their grade, class teacher and home room; missing grades are created."""

    code = "people.classes"
    label = gettext_lazy("Classes")
    help_text = gettext_lazy("One class per row: grade, class, class teacher (name, username or phone), room.")
    columns = [
        Column(
            "grade", gettext_lazy("Grade"), required=True, headers=("年级", "年级名称"), max_length=50, example="七年级"
        ),
        Column(
            "school_class",
            gettext_lazy("Class"),
            required=True,
            headers=("班级", "班级名称", "班名"),
            max_length=50,
            example="1班",
        ),
        Column(
            "head_teacher",
            gettext_lazy("Class teacher"),
            headers=("班主任", "班主任姓名"),
            parse=parse_member,
            example="王老师",
        ),
        Column("room", pgettext_lazy("a class's room", "Room"), headers=("教室", "班级教室", "房间"), parse=parse_room),
    ]
    unique_fields = ("class_key",)
    error_fields = {"class_key": "school_class"}

    def clean_row(self, values, row, lookups):
        if values.get("grade") and values.get("school_class"):
            values["class_key"] = f"{values['grade']} {values['school_class']}"
            if class_keys(values["grade"], values["school_class"]) & set(lookups.classes):
                row.error("school_class", _("%(value)s already exists") % {"value": values["class_key"]})

    def duplicate_message(self, field, value, other_row):
        return _("%(value)s is also in row %(other)s") % {"value": value, "other": other_row}

    def apply(self, record, rows, user, progress):
        created = 0
        school = record.school
        before = set(SchoolClass.objects.filter(school=school).values_list("pk", flat=True))
        classes = _new_classes(record, rows)
        for _number, values in rows:
            school_class = _class_of(classes, values)
            if school_class.pk not in before:
                created += 1
            changed = False
            if values.get("head_teacher") is not None:
                school_class.head_teacher = values["head_teacher"]
                changed = True
                Membership.objects.get_or_create(user=values["head_teacher"], school=school, role=Role.TEACHER)
            if values.get("room") is not None:
                school_class.room = values["room"]
                changed = True
            if changed:
                school_class.save()
        progress(len(rows))
        return created

    def done_message(self, count):
        return _("%(n)s classes created.") % {"n": count}

    def template_rows(self):
        return [["七年级", "1班", "", ""], ["七年级", "2班", "", ""]]


def _guardian_columns(n):
    return [
        Column(
            f"guardian{n}_name",
            gettext_lazy("Guardian %(n)s: name") % {"n": n},
            headers=(f"监护人{n}姓名", f"家庭成员{n}姓名", f"监护人{n}")
            + (("监护人姓名", "家长姓名") if n == 1 else ()),
            max_length=100,
            example="张伟" if n == 1 else "",
        ),
        Column(
            f"guardian{n}_relation",
            gettext_lazy("Guardian %(n)s: relation") % {"n": n},
            headers=(f"监护人{n}关系", f"家庭成员{n}关系", f"与学生关系{n}")
            + (("监护人关系", "关系", "与学生关系") if n == 1 else ()),
            choices=Relation,
            aliases=RELATION_ALIASES,
            example="父亲" if n == 1 else "",
        ),
        Column(
            f"guardian{n}_phone",
            gettext_lazy("Guardian %(n)s: phone") % {"n": n},
            headers=(f"监护人{n}电话", f"家庭成员{n}电话", f"监护人{n}手机", f"家庭成员{n}联系电话")
            + (("监护人电话", "联系电话", "家长电话", "家长手机") if n == 1 else ()),
            parse=parse_phone,
            display=show_phone,
            example="13800138000" if n == 1 else "",
        ),
    ]


class StudentImporter(PeopleImporter):
    """Students (学生) with up to two guardians, from a 学籍 export; missing grades and classes are created
    when the grade column is given."""

    code = "people.students"
    label = gettext_lazy("Students and guardians")
    help_text = gettext_lazy(
        "One student per row, as the 学籍 system exports them: name, student number, gender, grade, class, "
        "boarding, ID number, and up to two guardians with their phones."
    )
    columns = [
        Column(
            "name",
            gettext_lazy("Full name"),
            required=True,
            headers=("姓名", "学生姓名"),
            max_length=50,
            example="李小明",
        ),
        Column(
            "student_number",
            gettext_lazy("Student number"),
            required=True,
            headers=("学号", "校内学号", "学生编号", "学籍号"),
            max_length=30,
            example="20240701",
        ),
        Column(
            "gender", gettext_lazy("Gender"), headers=("性别",), choices=Gender, aliases=GENDER_ALIASES, example="男"
        ),
        Column("grade", gettext_lazy("Grade"), headers=("年级", "年级名称"), max_length=50, example="七年级"),
        Column(
            "school_class",
            gettext_lazy("Class"),
            required=True,
            headers=("班级", "班级名称", "所在班级"),
            max_length=50,
            example="1班",
        ),
        Column(
            "boarding",
            gettext_lazy("Boarding"),
            headers=("住宿情况", "是否住校", "住校", "就读方式", "寄宿"),
            parse=parse_boarding,
            display=lambda v: str(_("Boarder") if v else _("Day student")),
            example="走读",
        ),
        Column(
            "id_number",
            gettext_lazy("ID number"),
            headers=("身份证号", "身份证件号", "身份证件号码", "身份证号码", "证件号码"),
            parse=parse_id_number,
            sensitive=True,
        ),
        *_guardian_columns(1),
        *_guardian_columns(2),
    ]
    unique_fields = ("student_number", "id_number")

    def clean_row(self, values, row, lookups):
        number = values.get("student_number", "")
        if number and NATIONAL_NUMBER.match(number):
            row.error(
                "student_number",
                _(
                    "this looks like the national 学籍号 (a letter and the ID number): use the school's own student number"
                ),
            )
        if values.get("school_class"):
            school_class, message = lookups.find_class(values.get("grade", ""), values["school_class"])
            if message:
                row.error("school_class", message)
            values["_class"] = school_class
        for n in (1, 2):
            name, phone = values.get(f"guardian{n}_name", ""), values.get(f"guardian{n}_phone")
            if name and phone is None and not row.has(f"guardian{n}_phone"):
                row.error(f"guardian{n}_phone", _("a guardian needs a phone number (it becomes their sign-in)"))
            if (
                phone is not None
                and values.get(f"guardian{n}_relation") is None
                and not row.has(f"guardian{n}_relation")
            ):
                values[f"guardian{n}_relation"] = Relation.OTHER

    def check_rows(self, record, rows):
        """A phone given for two guardians with different names is an error (one account per phone)."""
        errors, seen = [], {}
        for number, values in rows:
            for n in (1, 2):
                phone = values.get(f"guardian{n}_phone")
                if phone is None:
                    continue
                key, name = str(phone), normalise(values.get(f"guardian{n}_name", ""))
                first = seen.setdefault(key, (number, name))
                if name and first[1] and first[1] != name:
                    errors.append(
                        {
                            "row": number,
                            "field": f"guardian{n}_phone",
                            "message": _("%(phone)s is also given for another guardian in row %(other)s")
                            % {"phone": show_phone(phone), "other": first[0]},
                        }
                    )
        return errors

    def existing(self, record, field, values):
        if field == "student_number":
            found = Student.objects.filter(school=record.school, student_number__in=values)
            return set(found.values_list("student_number", flat=True))
        found = Student.objects.filter(school=record.school, id_number__in=values)
        return set(found.values_list("id_number", flat=True))

    def duplicate_message(self, field, value, other_row):
        if field == "id_number":
            value = mask_text(value)
        return _("“%(value)s” appears twice in the file (also in row %(other)s)") % {"value": value, "other": other_row}

    def existing_message(self, field, value):
        if field == "id_number":
            return _("a student with the ID number %(value)s is already enrolled") % {"value": mask_text(value)}
        return _("a student with the student number %(value)s is already enrolled") % {"value": value}

    def done_message(self, count):
        return _("%(n)s students imported.") % {"n": count}

    def apply(self, record, rows, user, progress):
        school = record.school
        classes = _new_classes(record, rows)
        now = timezone.now()
        students = []
        for _number, values in rows:
            school_class = values.get("_class")
            if school_class is None:
                school_class = _class_of(classes, values)
            students.append(
                Student(
                    school=school,
                    school_class=school_class,
                    name=values["name"],
                    student_number=values["student_number"],
                    gender=values.get("gender") or "",
                    boarding=bool(values.get("boarding")),
                    id_number=values.get("id_number") or "",
                    created=now,
                    updated=now,
                    created_by=user,
                    updated_by=user,
                )
            )
        for start in range(0, len(students), CHUNK):
            chunk = students[start : start + CHUNK]
            Student.objects.bulk_create(chunk)
            record_bulk_create(chunk)
            progress(start + len(chunk))
        links = []
        for (_number, values), student in zip(rows, students, strict=True):
            for n in (1, 2):
                phone = values.get(f"guardian{n}_phone")
                if phone is not None:
                    links.append((student, phone, values.get(f"guardian{n}_name", ""), values[f"guardian{n}_relation"]))
        link_guardians(school, links, user)
        return len(students)


class GuardianImporter(PeopleImporter):
    """Guardians of enrolled students (监护人): student number, guardian's name, relation and phone."""

    code = "people.guardians"
    label = gettext_lazy("Guardians")
    help_text = gettext_lazy("One guardian per row: the student's number, the guardian's name, relation and phone.")
    columns = [
        Column(
            "student_number",
            gettext_lazy("Student number"),
            required=True,
            headers=("学号", "校内学号", "学生编号"),
            parse=lambda raw, lk: _student(raw, lk),
            example="20240701",
        ),
        Column(
            "guardian_name",
            gettext_lazy("Guardian's name"),
            required=True,
            headers=("监护人姓名", "家长姓名", "姓名"),
            max_length=100,
            example="张伟",
        ),
        Column(
            "relation",
            gettext_lazy("Relation"),
            headers=("关系", "与学生关系", "监护人关系"),
            choices=Relation,
            aliases=RELATION_ALIASES,
            example="父亲",
        ),
        Column(
            "phone",
            gettext_lazy("Phone"),
            required=True,
            headers=("电话", "手机", "手机号", "联系电话", "监护人电话"),
            parse=parse_phone,
            display=show_phone,
            example="13800138000",
        ),
    ]

    def lookups(self, record):
        lookups = SchoolLookups(record)
        lookups.students = {s.student_number: s for s in Student.objects.filter(school=record.school, active=True)}
        return lookups

    def check_rows(self, record, rows):
        errors, seen = [], {}
        for number, values in rows:
            student, phone = values.get("student_number"), values.get("phone")
            if student is None or phone is None:
                continue
            key = (student.pk, str(phone))
            if key in seen:
                errors.append(
                    {
                        "row": number,
                        "field": "phone",
                        "message": _("the same guardian is also in row %(other)s") % {"other": seen[key]},
                    }
                )
            seen.setdefault(key, number)
        return errors

    def done_message(self, count):
        return _("%(n)s guardian links made.") % {"n": count}

    def apply(self, record, rows, user, progress):
        links = [
            (
                values["student_number"],
                values["phone"],
                values["guardian_name"],
                values.get("relation") or Relation.OTHER,
            )
            for _number, values in rows
        ]
        made = link_guardians(record.school, links, user)
        progress(len(rows))
        return made


def _student(raw, lookups):
    value = text()(raw)
    student = lookups.students.get(value)
    if student is None:
        raise CellError(_("no enrolled student has the number %(value)s") % {"value": value})
    return student


def link_guardians(school, links, actor):
    """Link each (student, phone, name, relation): the account of that phone, or a new one without a
    password (the guardian sets it by accepting the class's invitation); the parent role in the school.
    Returns the number of links made. Bulk writes, each on the record."""
    User = get_user_model()
    usernames = {}
    for _student, phone, name, _relation in links:
        usernames.setdefault(phones.username_for(phone), (phone, name))
    accounts = {}
    names = list(usernames)
    for start in range(0, len(names), CHUNK):
        for account in User.objects.filter(username__in=names[start : start + CHUNK]):
            accounts[account.username] = account
    new_accounts = []
    for username, (phone, name) in usernames.items():
        if username not in accounts:
            account = User(username=username, phone=phone, display_name=(name or "").strip() or username)
            account.set_unusable_password()
            new_accounts.append(account)
    if new_accounts:
        User.objects.bulk_create(new_accounts, batch_size=CHUNK)
        new_accounts = list(User.objects.filter(username__in=[a.username for a in new_accounts]))
        record_bulk_create(new_accounts, school=school)
        accounts.update({a.username: a for a in new_accounts})
    guardian_ids = {a.pk for a in accounts.values()}
    members = set(
        Membership.objects.filter(school=school, role=Role.PARENT, user_id__in=guardian_ids).values_list(
            "user_id", flat=True
        )
    )
    by_pk = {a.pk: a for a in accounts.values()}
    memberships = [Membership(user=by_pk[pk], school=school, role=Role.PARENT) for pk in guardian_ids - members]
    Membership.objects.bulk_create(memberships, batch_size=CHUNK)
    record_bulk_create(memberships)
    inactive = Membership.objects.filter(school=school, role=Role.PARENT, user_id__in=members, active=False)
    for membership in inactive:
        membership.active = True
        membership.save()
    existing = set(
        GuardianLink.objects.filter(school=school, guardian_id__in=guardian_ids).values_list(
            "student_id", "guardian_id"
        )
    )
    new_links = []
    for student, phone, _name, relation in links:
        guardian = accounts[phones.username_for(phone)]
        if (student.pk, guardian.pk) in existing:
            continue
        existing.add((student.pk, guardian.pk))
        new_links.append(
            GuardianLink(
                school=school, student=student, guardian=guardian, relation=relation, created_by=actor, updated_by=actor
            )
        )
    GuardianLink.objects.bulk_create(new_links, batch_size=CHUNK)
    record_bulk_create(new_links)
    return len(new_links)


class StaffImporter(PeopleImporter):
    """Staff (教职工) with a role each: name, phone (their sign-in), role, a repair worker's trades, a
    guard's post. A phone or username that already has an account is an error (give that person a role
    on their staff page)."""

    code = "people.staff"
    label = gettext_lazy("Staff")
    help_text = gettext_lazy(
        "One person per row: name, mobile phone (their sign-in), role; trades for repair workers, the post for guards."
    )
    columns = [
        Column(
            "display_name",
            pgettext_lazy("a person's name", "Name"),
            required=True,
            headers=("姓名", "教职工姓名"),
            max_length=100,
            example="王芳",
        ),
        Column(
            "phone",
            gettext_lazy("Phone"),
            required=True,
            headers=("手机号", "手机", "电话", "联系电话", "手机号码"),
            parse=parse_phone,
            display=show_phone,
            example="13900139000",
        ),
        Column(
            "role",
            gettext_lazy("Role"),
            required=True,
            headers=("角色", "岗位类别", "职务", "身份"),
            parse=parse_role,
            display=role_label,
            example="教师",
        ),
        Column("username", gettext_lazy("Username"), headers=("用户名", "登录名", "账号"), max_length=150),
        Column("email", gettext_lazy("Email"), headers=("邮箱", "电子邮箱", "email"), max_length=254),
        Column(
            "trades", gettext_lazy("Trades"), headers=("工种", "维修工种"), parse=parse_trades, display=trades_label
        ),
        Column("post", gettext_lazy("Post"), headers=("岗位", "执勤岗位"), max_length=100),
    ]
    unique_fields = ("login",)
    error_fields = {"login": "phone"}

    def clean_row(self, values, row, lookups):
        phone = values.get("phone")
        if phone is not None:
            values["login"] = (values.get("username") or "").strip() or phones.username_for(phone)
        if values.get("email"):
            from django.core.validators import validate_email

            try:
                validate_email(values["email"])
            except ValidationError:
                row.error("email", _("“%(value)s” is not an email address") % {"value": values["email"]})
        if values.get("role") == Role.REPAIR_WORKER and not values.get("trades") and not row.has("trades"):
            row.error("trades", _("a repair worker needs at least one trade"))

    def existing(self, record, field, values):
        User = get_user_model()
        lowered = {v.lower(): v for v in values}
        found = User.objects.filter(username__in=list(values)).values_list("username", flat=True)
        return {lowered.get(v.lower(), v) for v in found}

    def duplicate_message(self, field, value, other_row):
        return _("the sign-in %(value)s is also in row %(other)s") % {"value": value, "other": other_row}

    def existing_message(self, field, value):
        return _("%(value)s already has an account: give that person a role on the staff page") % {"value": value}

    def done_message(self, count):
        return _(
            "%(n)s staff accounts created; print their first passwords from “First passwords” on the staff list."
        ) % {"n": count}

    def apply(self, record, rows, user, progress):
        from .services import staff as staff_services

        school = record.school
        User = get_user_model()
        accounts = []
        for _number, values in rows:
            account = User(
                username=values["login"],
                display_name=values["display_name"],
                phone=values["phone"],
                email=values.get("email") or "",
                must_change_password=True,
            )
            account.set_unusable_password()
            accounts.append(account)
        User.objects.bulk_create(accounts, batch_size=CHUNK)
        accounts = {a.username: a for a in User.objects.filter(username__in=[a.username for a in accounts])}
        record_bulk_create(list(accounts.values()), school=school)
        for done, (_number, values) in enumerate(rows, start=1):
            account = accounts[values["login"]]
            record_event(
                account, "staff.added", _("Account created by an import"), {"import": record.pk}, school=school
            )
            staff_services.grant_role(
                school=school,
                actor=user,
                user=account,
                role=values["role"],
                trades=values.get("trades") or "",
                post=values.get("post") or "",
            )
            if done % 100 == 0:
                progress(done)
        return len(accounts)


IMPORTERS = (StaffImporter, ClassImporter, StudentImporter, GuardianImporter)

__all__ = ["IMPORTERS", "PeopleImport"]
