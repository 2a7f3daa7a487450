"""FilterSets of 陪餐 and the monthly accounts (pages and API alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.ui.filtersets import BaseFilterSet

from .choices import AccompanimentStatus, AccountStatus, CompanionKind, Meal
from .models import AccompaniedMeal, MonthlyAccount

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccompaniedMealFilterSet(BaseFilterSet):
    search_fields = ("companion_title", "quality", "quantity", "hygiene", "price", "feedback")
    meal = django_filters.MultipleChoiceFilter(
        field_name="meal_kind", choices=Meal.choices, label=pgettext_lazy("canteen", "meal"), distinct=False
    )
    kind = django_filters.ChoiceFilter(
        choices=CompanionKind.choices, label=pgettext_lazy("accompanied meal", "who"), distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=AccompanimentStatus.choices, label=pgettext_lazy("accompanied meal", "status"), distinct=False
    )
    late_entry = django_filters.BooleanFilter(
        label=_("late entry"),
        widget=forms.Select(
            choices=[("", "---------"), ("true", _("Late entries only")), ("false", _("Entered on time"))]
        ),
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)

    class Meta:
        model = AccompaniedMeal
        fields = ["meal", "kind", "status"]


class MonthlyAccountFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=AccountStatus.choices, label=pgettext_lazy("canteen accounts", "status"), distinct=False
    )
    month_after = django_filters.DateFilter(field_name="month", lookup_expr="gte", label=_("from"), widget=DATE)
    month_before = django_filters.DateFilter(field_name="month", lookup_expr="lte", label=_("to"), widget=DATE)

    class Meta:
        model = MonthlyAccount
        fields = ["status"]
