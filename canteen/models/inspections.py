"""Hygiene self-inspections (卫生自查) from checklist templates, and the day's on-duty roster (上岗安排).

Rules: 学校食品安全与营养健康管理规定 (2019) asks the school to check its canteen's food safety regularly
(定期自查) and rectify what it finds; 餐饮服务食品安全操作规范 (2018) lists the daily close-down check
(收市检查), the cleaning of premises and 四防 (防尘、防潮、防鼠、防蝇). The score is the points of the
passed items over the applicable points; the grade A/B/C comes from the per-school Rules
``canteen.inspection_grade_a`` (90) and ``canteen.inspection_grade_b`` (75) — Houqin defaults in the spirit of
the 量化分级 (A/B/C) grading, not numbers set by a regulation. A failed *critical* item caps the grade at C.

The roster refuses a person without a valid health certificate or sent off duty by the day's morning check
(食品安全法 art. 45).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.tenancy.base import PrimaryModel

from ..choices import Meal
from ..inspection_choices import Frequency, Grade, ItemResult, TemplateKind

__all__ = ["ChecklistItem", "ChecklistTemplate", "DutyAssignment", "HygieneInspection", "InspectionResult"]


class ChecklistTemplate(PrimaryModel):
    """A checklist of a school (检查表): its kind, its schedule (daily / weekly on a weekday / monthly on a
    day) and its ordered items."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(pgettext_lazy("checklist", "kind"), max_length=20, choices=TemplateKind.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(
        _("weekday due"),
        null=True,
        blank=True,
        help_text=_("1 = Monday … 7 = Sunday, for a weekly checklist; empty: the school's rule."),
    )
    month_day = models.PositiveSmallIntegerField(
        _("day of the month due"),
        null=True,
        blank=True,
        help_text=_("1–28, for a monthly checklist; empty: the school's rule."),
    )
    active = models.BooleanField(pgettext_lazy("checklist", "in use"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["school", "kind", "name"]
        indexes = [models.Index(fields=["school", "active", "kind"], name="canteen_cltpl_school_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="canteen_cltpl_unique_name",
                violation_error_message=_("A checklist of this name already exists in this school."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__gte=1, weekday__lte=7),
                name="canteen_cltpl_weekday_range",
                violation_error_message=_("Choose a weekday from 1 (Monday) to 7 (Sunday)."),
            ),
            models.CheckConstraint(
                condition=Q(month_day__isnull=True) | Q(month_day__gte=1, month_day__lte=28),
                name="canteen_cltpl_month_day_range",
                violation_error_message=_("Choose a day of the month from 1 to 28."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("canteen:checklisttemplate_detail", args=[self.pk])


class ChecklistItem(PrimaryModel):
    """One item of a checklist: what is checked, its points, whether it is critical (关键项)."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="items", verbose_name=_("checklist template")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("item"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"), default=5)
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("A failed critical item caps the grade at C.")
    )
    active = models.BooleanField(pgettext_lazy("checklist", "in use"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position", "id"]
        indexes = [models.Index(fields=["school", "template", "position"], name="canteen_clitem_school_tpl")]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=1, points__lte=100),
                name="canteen_clitem_points_range",
                violation_error_message=_("An item is worth 1 to 100 points."),
            )
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.template.get_absolute_url()


class HygieneInspection(PrimaryModel):
    """One self-inspection (卫生自查记录): template, date, inspector, note; the score (passed points over
    applicable points, %) and the grade computed from the results when it is recorded. Never edited
    afterwards: a failed item is put right through its corrective action."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("checklist")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    passed_points = models.PositiveIntegerField(_("points passed"), default=0, editable=False)
    applicable_points = models.PositiveIntegerField(_("points applicable"), default=0, editable=False)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, editable=False)
    grade = models.CharField(
        pgettext_lazy("inspection", "grade"), max_length=1, choices=Grade.choices, blank=True, editable=False
    )
    failed_items = models.PositiveSmallIntegerField(_("failed items"), default=0, editable=False)
    critical_failed = models.BooleanField(_("critical item failed"), default=False, editable=False)

    class Meta:
        verbose_name = _("hygiene inspection")
        verbose_name_plural = _("hygiene inspections")
        ordering = ["-date", "-id"]
        permissions = [("rectify_hygieneinspection", "Can open the corrective action of a failed item")]
        indexes = [
            models.Index(fields=["school", "-date", "-id"], name="canteen_insp_school_date"),
            models.Index(fields=["school", "template", "-date"], name="canteen_insp_school_tpl"),
            models.Index(fields=["school", "grade", "-date"], name="canteen_insp_school_grade"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "template", "date"],
                name="canteen_insp_one_per_day",
                violation_error_message=_("This checklist was already inspected on that day."),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.template}"

    def get_absolute_url(self):
        return reverse("canteen:hygieneinspection_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope, user):
        """``today_or_own``: a worker sees today's inspections and the ones they did."""
        if scope == "today_or_own":
            return Q(date=timezone.localdate()) | Q(inspector=user)
        return super().scope_q(scope, user)


class InspectionResult(PrimaryModel):
    """One item's result in an inspection: pass / fail / not applicable, a note; the item's text, points
    and critical flag copied so the record stays what was checked even if the template changes."""

    inspection = models.ForeignKey(
        HygieneInspection, on_delete=models.PROTECT, related_name="results", verbose_name=_("hygiene inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist item")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("item"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"))
    critical = models.BooleanField(_("critical"), default=False)
    result = models.CharField(pgettext_lazy("inspection", "result"), max_length=4, choices=ItemResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["inspection", "position", "id"]
        indexes = [
            models.Index(fields=["school", "inspection", "position"], name="canteen_insres_school_insp"),
            models.Index(fields=["school", "result"], name="canteen_insres_school_result"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "inspection", "item"],
                name="canteen_insres_one_per_item",
                violation_error_message=_("This item already has a result in this inspection."),
            )
        ]

    def __str__(self):
        return f"{self.text}: {self.get_result_display()}"

    def get_absolute_url(self):
        return self.inspection.get_absolute_url()


class DutyAssignment(PrimaryModel):
    """Who works which meal of a day (上岗安排), with their post (e.g. 切配, 烹饪, 售饭). Refused for a
    person without a valid health certificate or off duty by the day's morning check (食品安全法 art. 45).

    An entry made by mistake is *withdrawn* (撤销) by the canteen manager with a reason — today's or a
    future day's, never a past day's (that is the record of who worked) — and stays on record, struck
    through, with who and when; it is never deleted."""

    date = models.DateField(_("date"), default=timezone.localdate)
    meal = models.CharField(pgettext_lazy("canteen", "meal"), max_length=20, choices=Meal.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    post = models.CharField(pgettext_lazy("duty", "post"), max_length=50, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.CharField(_("reason for the withdrawal"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        ordering = ["-date", "meal", "person"]
        permissions = [("withdraw_dutyassignment", "Can withdraw a roster entry made by mistake, with a reason")]
        indexes = [models.Index(fields=["school", "-date", "meal"], name="canteen_duty_school_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "date", "meal", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="canteen_duty_one_per_meal",
                violation_error_message=_("This person is already on the roster of that meal."),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_meal_display()} {self.person}"

    def get_absolute_url(self):
        return reverse("canteen:roster") + f"?date={self.date:%Y-%m-%d}"

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @classmethod
    def scope_q(cls, scope, user):
        """``today_or_own``: a worker sees today's roster and their own duties."""
        if scope == "today_or_own":
            return Q(date=timezone.localdate()) | Q(person=user)
        return super().scope_q(scope, user)
