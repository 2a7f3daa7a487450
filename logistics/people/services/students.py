"""Students and classes: revealing an ID number (recorded) and the start-of-year promotion."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions
from logistics.audit.models import ChangeRecord
from logistics.audit.recorder import record_event, recorded_update

from ..models import Grade, SchoolClass, Student
from . import acting


def may_reveal(user, student):
    return permissions.has_perm(user, "people.reveal_student", student.school_id)


def reveal_id_number(student, actor):
    """The whole ID number, for the principal and logistics head only; every look is recorded
    (issue 8: stored, never shown whole, on demand with the access recorded)."""
    if not may_reveal(actor, student):
        raise PermissionDenied(_("You may not see ID numbers."))
    with acting(actor):
        record_event(student, "student.id_number_revealed", _("ID number shown"), {})
    return student.id_number


def _promoted_this_year(school):
    year = timezone.localdate().year
    return ChangeRecord.objects.filter(
        school=school, event="people.promoted", time__year=year, content_type__model="school"
    ).exists()


def promotion_plan(school):
    """[(grade, next grade or None, [active classes])], first grade first."""
    grades = list(Grade.objects.filter(school=school).order_by("order"))
    classes = SchoolClass.objects.filter(school=school, active=True).order_by("name")
    by_grade = {g.pk: [] for g in grades}
    for school_class in classes:
        by_grade.setdefault(school_class.grade_id, []).append(school_class)
    return [(g, grades[i + 1] if i + 1 < len(grades) else None, by_grade[g.pk]) for i, g in enumerate(grades)]


@transaction.atomic
def promote(school, actor):
    """Start of a school year: every class moves up one grade in one step; the last grade's classes
    graduate (class and students inactive, records stay). Once per calendar year."""
    if not permissions.has_perm(actor, "people.promote_grade", school):
        raise PermissionDenied(_("You may not promote classes."))
    if _promoted_this_year(school):
        raise ValidationError(_("The classes were already moved up this year."))
    plan = promotion_plan(school)
    if not plan:
        raise ValidationError(_("There are no grades yet."))
    year = timezone.localdate().year
    graduated = moved = 0
    with acting(actor):
        for grade, following, classes in reversed(plan):
            for school_class in classes:
                if following is None:
                    school_class.active = False
                    school_class.name = _("%(name)s (class of %(year)s)") % {"name": school_class.name, "year": year}
                    school_class.save()
                    count = recorded_update(
                        Student.objects.filter(school_class=school_class, active=True), active=False
                    )
                    record_event(
                        school_class,
                        "class.graduated",
                        _("Graduated (%(n)s students)") % {"n": count},
                        {"students": count},
                    )
                    graduated += count
                else:
                    if school_class.name.startswith(grade.name):
                        school_class.name = following.name + school_class.name[len(grade.name) :]
                    school_class.grade = following
                    school_class.save()
                    moved += 1
        record_event(
            school,
            "people.promoted",
            _("Classes moved up a grade: %(moved)s classes; %(graduated)s students graduated")
            % {"moved": moved, "graduated": graduated},
            {"moved": moved, "graduated": graduated, "year": year},
        )
    return moved, graduated
