"""Grades, classes (班级), students, their guardians (监护人) and the invitations guardians accept."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.attachments.validators import validate_image
from logistics.imports.models import ImportRecord
from logistics.tenancy.base import PrimaryModel

from . import idnumbers
from .choices import Gender, Relation

__all__ = ["Grade", "GuardianLink", "Invitation", "PeopleImport", "SchoolClass", "Staff", "Student"]


class Grade(PrimaryModel):
    """A grade (年级), e.g. 七年级; ``order`` runs from the first grade to the last (graduating) one."""

    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=1, help_text=_("1 for the first grade."))

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["school", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="grade_unique_name",
                violation_error_message=_("A grade with this name already exists in this school."),
            )
        ]
        permissions = [("promote_grade", "Can move every class up a grade at the start of a school year")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:grade_list")


def _teaching(user):
    """Classes the user heads (班主任) or teaches (任课)."""
    return SchoolClass.objects.filter(Q(head_teacher=user) | Q(teachers=user)).values("pk")


class SchoolClass(PrimaryModel):
    """A class (班级) with its class teacher (班主任), subject teachers and home room.

    A graduated class stays (inactive) with its students' records.
    """

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="classes", verbose_name=_("grade"))
    name = models.CharField(_("name"), max_length=50)
    head_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="head_of_classes",
        verbose_name=_("class teacher"),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_classes",
        verbose_name=_("subject teachers"),
    )
    room = models.ForeignKey(
        "tenancy.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("classroom"),
    )
    active = models.BooleanField(_("current"), default=True, help_text=_("No: the class has graduated."))

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "-active", "grade__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "grade", "name"],
                name="class_unique_name",
                violation_error_message=_("A class with this name already exists in this grade."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:schoolclass_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "taught":
            return Q(pk__in=_teaching(user))
        if scope == "own_class":
            return Q(head_teacher=user)
        return super().scope_q(scope, user)


def photo_path(instance, filename):
    return f"people/{instance.school_id}/photos/{secrets.token_hex(8)}-{filename[-40:]}"


class Student(PrimaryModel):
    """A student (学生). Minors' data: teachers see the classes they teach or head, parents their own
    children, principal and logistics head the whole school (issue 8 § Who sees what)."""

    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name=_("class"),
    )
    name = models.CharField(_("full name"), max_length=50)
    student_number = models.CharField(_("student number"), max_length=30)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    boarding = models.BooleanField(_("boarder"), default=False, help_text=_("Yes: lives at school (住校生)."))
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True, validators=[validate_image])
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        validators=[idnumbers.validate_id_number],
        help_text=_("Optional. Shown masked; only the principal and logistics head reveal it, and that is recorded."),
    )
    active = models.BooleanField(_("enrolled"), default=True, help_text=_("No: graduated or left; records stay."))
    guardians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GuardianLink",
        through_fields=("student", "guardian"),
        related_name="children",
        verbose_name=_("guardians"),
    )

    #: the ID number never goes into change records (they are shown to more people than may see it)
    audit_exclude = ("created", "updated", "updated_by", "id_number")

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                name="student_unique_number",
                violation_error_message=_("A student with this student number already exists in this school."),
            )
        ]
        permissions = [("reveal_student", "Can see a student's whole ID number (recorded)")]
        indexes = [models.Index(fields=["school", "school_class"], name="student_school_class")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:student_detail", args=[self.pk])

    @property
    def id_number_masked(self):
        return idnumbers.mask(self.id_number)

    def save(self, *args, **kwargs):
        self.id_number = idnumbers.normalise(self.id_number)
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "children":
            return Q(pk__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
        if scope == "own_class":
            return Q(school_class__head_teacher=user)
        if scope == "taught":
            return Q(school_class__in=_teaching(user))
        return super().scope_q(scope, user)


class GuardianLink(PrimaryModel):
    """A guardian ↔ student link (监护关系). Ending a link (custody changes) removes it; the student's
    history keeps who ended it, when and why."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="guardian_links", verbose_name=_("student")
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian_links",
        verbose_name=_("guardian"),
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices, default=Relation.OTHER)

    class Meta:
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")
        ordering = ["school", "student", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "guardian"],
                name="guardian_unique_link",
                violation_error_message=_("This guardian is already linked to this student."),
            )
        ]
        indexes = [models.Index(fields=["school", "guardian"], name="guardian_school_user")]

    def __str__(self):
        return f"{self.guardian} → {self.student}"

    def get_absolute_url(self):
        return self.student.get_absolute_url()

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "own":
            return Q(guardian=user)
        if scope == "own_class":
            return Q(student__school_class__head_teacher=user)
        return super().scope_q(scope, user)


class Staff(models.Model):
    """The staff pages' permissions (教职工管理); no table — staff are users with Memberships."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_staff", "Can see the school's staff and their roles"),
            ("manage_staff", "Can add staff, give and take roles, reset passwords, deactivate"),
        ]

    def __str__(self):
        return str(_("staff"))


#: no 0/O, 1/I/L: read aloud and typed from paper
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Invitation(PrimaryModel):
    """A guardian's invitation (家长邀请码) for one student: printed on the class sheet, accepted once,
    only at its own school's address."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("student")
    )
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    expires = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("accepted by"),
    )

    #: the code is a secret: never copied into change records
    audit_exclude = ("created", "updated", "updated_by", "code")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["school", "student", "-created"]
        indexes = [models.Index(fields=["school", "student"], name="invitation_school_student")]

    def __str__(self):
        return str(_("Invitation for %(student)s") % {"student": self.student})

    @property
    def usable(self):
        return self.used_at is None and self.expires > timezone.now()

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "own_class":
            return Q(student__school_class__head_teacher=user)
        return super().scope_q(scope, user)


class PeopleImport(ImportRecord):
    """A school's spreadsheet of staff, classes, students or guardians (人员导入), e.g. a 学籍 export, on the
    platform's import engine: mapping, a check of every row, all rows or none."""

    default_importer = "people.students"

    class Meta(ImportRecord.Meta):
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        indexes = [models.Index(fields=["school", "status"], name="people_import_status")]

    def get_absolute_url(self):
        return reverse("people:peopleimport_detail", args=[self.pk])
