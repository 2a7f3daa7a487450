"""Grades, classes (班级), students and their guardians (家长)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

__all__ = ["Grade", "GuardianLink", "SchoolClass", "Student"]


class Grade(PrimaryModel):
    """A grade (年级), e.g. 七年级."""

    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["school", "order"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="grade_unique_name")]

    def __str__(self):
        return self.name


class SchoolClass(PrimaryModel):
    """A class (班级) with its class teacher (班主任) and home room."""

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
    room = models.ForeignKey(
        "tenancy.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("classroom"),
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "grade__order", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "grade", "name"], name="class_unique_name")]

    def __str__(self):
        return self.name


class Student(PrimaryModel):
    """A student (学生); parents see only their own children."""

    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name=_("class"),
    )
    name = models.CharField(_("name"), max_length=50)
    student_number = models.CharField(_("student number"), max_length=30)
    boarding = models.BooleanField(_("boarder"), default=False)
    guardians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GuardianLink",
        through_fields=("student", "guardian"),
        related_name="children",
        verbose_name=_("guardians"),
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school", "student_number"]
        constraints = [models.UniqueConstraint(fields=["school", "student_number"], name="student_unique_number")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:student_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "children":
            return Q(pk__in=GuardianLink.objects.filter(guardian=user).values("student_id"))
        if scope == "own_class":
            return Q(school_class__head_teacher=user)
        return super().scope_q(scope, user)


class GuardianLink(PrimaryModel):
    """A parent ↔ student link (监护关系)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian_links",
    )
    relation = models.CharField(_("relation"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")
        constraints = [models.UniqueConstraint(fields=["student", "guardian"], name="guardian_unique_link")]
        indexes = [models.Index(fields=["school", "guardian"], name="guardian_school_user")]

    def __str__(self):
        return f"{self.guardian} → {self.student}"

    @classmethod
    def scope_q(cls, scope, user):
        if scope == "own":
            return Q(guardian=user)
        return super().scope_q(scope, user)
