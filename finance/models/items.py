"""Fee items (收费项目): the school's catalogue of what it charges, from which each board version is drawn."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from ..choices import VOLUNTARY_CATEGORIES, AdministrativeKind, FeeCategory, FeeUnit

__all__ = ["FeeItem"]


class FeeItem(PrimaryModel):
    """A fee item (收费项目) with everything the disclosure board must show (DOMAIN.md § Finance,
    "价格服务进校园"): 收费项目, 收费标准 (amount and 计费单位), 收费依据 (approving body and 文号 —
    required for administrative fees), 收费范围, period, 减免政策 and the complaint phone.

    Service fees and fees collected on behalf are always voluntary (家长自愿, 签字手续方可收费).
    Editing an item never changes a published board: each board version keeps its own copy.
    """

    category = models.CharField(_("category"), max_length=20, choices=FeeCategory.choices)
    administrative_kind = models.CharField(
        _("kind of administrative fee"),
        max_length=20,
        choices=AdministrativeKind.choices,
        blank=True,
        help_text=_("Only for administrative fees."),
    )
    name = models.CharField(_("fee item"), max_length=100)
    amount = models.DecimalField(
        _("fee (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("billing unit"), max_length=10, choices=FeeUnit.choices, default=FeeUnit.TERM)
    basis_authority = models.CharField(
        _("approved by"), max_length=100, blank=True, help_text=_("The body that approved the fee, e.g. 省发展改革委.")
    )
    basis_document = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("The approving document's number (文号).")
    )
    grades = models.ManyToManyField(
        "people.Grade",
        blank=True,
        related_name="+",
        verbose_name=_("grades"),
        help_text=_("Leave empty for every grade."),
    )
    boarders_only = models.BooleanField(_("boarders only"), default=False)
    scope_note = models.CharField(_("scope note"), max_length=200, blank=True)
    period_label = models.CharField(_("period"), max_length=50, help_text=_("E.g. 2026年秋季学期."))
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    due_date = models.DateField(_("charge date"), null=True, blank=True, help_text=_("When the fee is collected."))
    waiver_policy = models.TextField(_("waiver policy"), blank=True)
    voluntary = models.BooleanField(
        _("voluntary"), default=True, help_text=_("Service fees and fees collected on behalf are always voluntary.")
    )
    complaint_phone = models.CharField(_("complaint and supervision phone"), max_length=30, blank=True)
    on_board = models.BooleanField(
        _("on the board"), default=True, help_text=_("No: left out of the next version of the disclosure board.")
    )

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["school", "category", "name"]
        permissions = [
            ("open_consents_feeitem", "Can ask the guardians in a fee item's scope for consent"),
            ("charge_feeitem", "Can charge the students in a fee item's scope"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name", "period_label"],
                name="finance_feeitem_unique_name",
                violation_error_message=_("A fee item with this name already exists for this period."),
            )
        ]
        indexes = [models.Index(fields=["school", "category"], name="finance_item_school_cat")]

    def __str__(self):
        return f"{self.name}（{self.period_label}）" if self.period_label else self.name

    def get_absolute_url(self):
        return reverse("finance:feeitem_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.category in VOLUNTARY_CATEGORIES:
            self.voluntary = True
            self.administrative_kind = ""
        elif self.category == FeeCategory.ADMINISTRATIVE:
            if not self.administrative_kind:
                errors["administrative_kind"] = _("Say which administrative fee this is.")
            if not self.basis_authority.strip():
                errors["basis_authority"] = _("An administrative fee needs the body that approved it (收费依据).")
            if not self.basis_document.strip():
                errors["basis_document"] = _("An administrative fee needs the approving document's number (文号).")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.category in VOLUNTARY_CATEGORIES:
            self.voluntary = True
            self.administrative_kind = ""
        super().save(*args, **kwargs)

    def scope_text(self, grades=None):
        """收费范围 in words: the grades (or every grade), boarders, and the note."""
        names = [g.name for g in (grades if grades is not None else self.grades.all())]
        parts = ["、".join(names) if names else str(_("every grade"))]
        if self.boarders_only:
            parts.append(str(_("boarders only")))
        if self.scope_note:
            parts.append(self.scope_note)
        return "；".join(parts)

    def students_in_scope(self):
        """The enrolled students this item is charged to (its grades, boarders when it says so)."""
        from logistics.people.models import Student

        students = Student.objects.filter(school_id=self.school_id, active=True, school_class__active=True)
        grade_ids = list(self.grades.values_list("pk", flat=True))
        if grade_ids:
            students = students.filter(school_class__grade_id__in=grade_ids)
        if self.boarders_only:
            students = students.filter(boarding=True)
        return students
