"""FilterSets of the hygiene self-inspections, checklists and duty roster (pages and API alike)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.ui.filtersets import BaseFilterSet

from .choices import Meal
from .inspection_choices import Grade, TemplateKind
from .models import ChecklistTemplate, DutyAssignment, HygieneInspection

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HygieneInspectionFilterSet(BaseFilterSet):
    search_fields = ("note", "template__name")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)
    template = django_filters.ModelChoiceFilter(queryset=ChecklistTemplate.objects.all(), label=_("checklist"))
    grade = django_filters.MultipleChoiceFilter(
        choices=Grade.choices, label=pgettext_lazy("inspection", "grade"), distinct=False
    )
    failed = django_filters.BooleanFilter(method="filter_failed", label=_("with failed items"))
    inspector = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("inspector"))

    class Meta:
        model = HygieneInspection
        fields = ["template", "grade", "inspector"]

    def filter_failed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(failed_items__gt=0) if value else queryset.filter(failed_items=0)


class ChecklistTemplateFilterSet(BaseFilterSet):
    search_fields = ("name",)
    kind = django_filters.MultipleChoiceFilter(
        choices=TemplateKind.choices, label=pgettext_lazy("checklist", "kind"), distinct=False
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["kind", "frequency", "active"]


class DutyAssignmentFilterSet(BaseFilterSet):
    date = django_filters.DateFilter(field_name="date", label=_("date"), widget=DATE)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)
    meal = django_filters.MultipleChoiceFilter(
        choices=Meal.choices, label=pgettext_lazy("canteen", "meal"), distinct=False
    )
    person = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("person"))
    in_force = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", label=_("in force (not withdrawn)")
    )

    class Meta:
        model = DutyAssignment
        fields = ["date", "meal", "person"]
