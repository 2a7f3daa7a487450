"""One FilterSet per model, used by the HTML lists and the API alike."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.widgets import FastSelect

from .choices import DeliveryStatus, DisinfectionMethod, Meal, MenuStatus, SampleStatus
from .models import (
    ColdEpisode,
    ColdReading,
    ColdStore,
    Delivery,
    Dish,
    Disinfection,
    FoodSample,
    HealthCertificate,
    MealService,
    MorningCheck,
    Supplier,
    SupplierLicence,
    WeeklyMenu,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MealServiceFilterSet(BaseFilterSet):
    search_fields = ("canteen", "note", "dishes__name")
    meal = django_filters.MultipleChoiceFilter(choices=Meal.choices, label=pgettext_lazy("canteen", "meal"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)

    class Meta:
        model = MealService
        fields = ["meal", "canteen"]


class DishFilterSet(BaseFilterSet):
    search_fields = ("name", "main_ingredients")

    class Meta:
        model = Dish
        fields = ["meal", "served"]


class FoodSampleFilterSet(BaseFilterSet):
    search_fields = ("reference", "dish_name", "container")
    # the hot list: its selects rendered by string joins (FastSelect), not one template per option
    meal = django_filters.MultipleChoiceFilter(
        field_name="meal_kind",
        choices=Meal.choices,
        label=pgettext_lazy("canteen", "meal"),
        distinct=False,
        widget=FastSelect(multiple=True),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=SampleStatus.choices, label=_("status"), distinct=False, widget=FastSelect(multiple=True)
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)
    sampled_by = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(),
        label=_("sampled by"),
        # the hot list: the people rendered from values rows in one pass
        widget=FastSelect(
            values=("pk", "display_name", "first_name", "last_name", "username"),
            label=lambda row: row[1] or f"{row[2]} {row[3]}".strip() or row[4],
        ),
    )

    class Meta:
        model = FoodSample
        fields = ["meal", "status", "sampled_by"]


class SupplierFilterSet(BaseFilterSet):
    search_fields = ("name", "supplies", "contact")

    class Meta:
        model = Supplier
        fields = ["active"]


class SupplierLicenceFilterSet(BaseFilterSet):
    search_fields = ("number", "scope")
    valid_before = django_filters.DateFilter(
        field_name="valid_until", lookup_expr="lte", label=_("valid until before"), widget=DATE
    )

    class Meta:
        model = SupplierLicence
        fields = ["supplier", "kind"]


class DeliveryFilterSet(BaseFilterSet):
    search_fields = ("reference", "note", "supplier__name")
    status = django_filters.MultipleChoiceFilter(choices=DeliveryStatus.choices, label=_("status"), distinct=False)
    supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.all(), label=_("supplier"))
    date_after = django_filters.DateFilter(field_name="delivered_on", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="delivered_on", lookup_expr="lte", label=_("to"), widget=DATE)

    class Meta:
        model = Delivery
        fields = ["status", "supplier"]


class HealthCertificateFilterSet(BaseFilterSet):
    search_fields = ("number", "person__display_name", "person__username")
    person = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("person"))

    class Meta:
        model = HealthCertificate
        fields = ["person"]


class MorningCheckFilterSet(BaseFilterSet):
    search_fields = ("person__display_name", "person__username", "off_duty_reason")
    person = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("person"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)

    class Meta:
        model = MorningCheck
        fields = ["person", "on_duty"]


class WeeklyMenuFilterSet(BaseFilterSet):
    search_fields = ("canteen", "note")
    status = django_filters.MultipleChoiceFilter(choices=MenuStatus.choices, label=_("status"), distinct=False)
    week_after = django_filters.DateFilter(field_name="week_start", lookup_expr="gte", label=_("from"), widget=DATE)
    week_before = django_filters.DateFilter(field_name="week_start", lookup_expr="lte", label=_("to"), widget=DATE)

    class Meta:
        model = WeeklyMenu
        fields = ["status", "canteen"]


class DisinfectionFilterSet(BaseFilterSet):
    search_fields = ("problems",)
    meal = django_filters.MultipleChoiceFilter(
        choices=Meal.choices, label=pgettext_lazy("canteen", "meal"), distinct=False
    )
    method = django_filters.MultipleChoiceFilter(
        choices=DisinfectionMethod.choices, label=pgettext_lazy("disinfection", "method"), distinct=False
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"), widget=DATE)
    done_by = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("done by"))

    class Meta:
        model = Disinfection
        fields = ["meal", "method", "in_range", "done_by"]


class ColdReadingFilterSet(BaseFilterSet):
    store = django_filters.ModelChoiceFilter(queryset=ColdStore.objects.all(), label=_("cold store"))
    date_after = django_filters.DateFilter(field_name="taken_at", lookup_expr="date__gte", label=_("from"), widget=DATE)
    date_before = django_filters.DateFilter(field_name="taken_at", lookup_expr="date__lte", label=_("to"), widget=DATE)

    class Meta:
        model = ColdReading
        fields = ["store", "in_range"]


class ColdEpisodeFilterSet(BaseFilterSet):
    store = django_filters.ModelChoiceFilter(queryset=ColdStore.objects.all(), label=_("cold store"))

    class Meta:
        model = ColdEpisode
        fields = ["store"]
