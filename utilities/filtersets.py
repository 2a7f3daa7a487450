"""One FilterSet per model, used by the HTML lists and the API alike."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.imports.choices import ImportStatus
from logistics.tenancy.models import Building, Campus
from logistics.ui.filtersets import BaseFilterSet

from .choices import MeterKind, ReadingStatus
from .models import Meter, MeterReading, MeterReadingImport


def yes_no(label, field_name=None):
    """A yes/no filter whose empty choice means "either" (not django-filter's "unknown")."""
    choices = [("", "---------"), ("true", _("Yes")), ("false", _("No"))]
    widget = forms.Select(choices=choices, attrs={"class": "form-select form-select-sm"})
    return django_filters.BooleanFilter(field_name=field_name, label=label, widget=widget)


def month_field(label, lookup):
    return django_filters.DateFilter(
        field_name="month", lookup_expr=lookup, label=label, widget=forms.DateInput(attrs={"type": "date"})
    )


class MeterFilterSet(BaseFilterSet):
    search_fields = ("name", "number")
    kind = django_filters.ChoiceFilter(choices=MeterKind.choices, label=_("kind"))
    campus = django_filters.ModelChoiceFilter(queryset=Campus.objects.all(), label=_("campus"))
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.all(), label=_("building"))
    active = yes_no(_("in use"))

    class Meta:
        model = Meter
        fields = ["kind", "campus", "building", "active"]


class MeterReadingFilterSet(BaseFilterSet):
    search_fields = ("meter__name", "meter__number")
    meter = django_filters.ModelChoiceFilter(queryset=Meter.objects.all(), label=_("meter"))
    kind = django_filters.ChoiceFilter(field_name="meter__kind", choices=MeterKind.choices, label=_("kind"))
    campus = django_filters.ModelChoiceFilter(
        field_name="meter__campus", queryset=Campus.objects.all(), label=_("campus")
    )
    month_after = month_field(_("from month"), "gte")
    month_before = month_field(_("to month"), "lte")
    status = django_filters.ChoiceFilter(choices=ReadingStatus.choices, label=_("status"))
    flagged = yes_no(_("above the usual"))

    class Meta:
        model = MeterReading
        fields = ["meter", "kind", "campus", "month_after", "month_before", "status", "flagged"]


class MeterReadingImportFilterSet(BaseFilterSet):
    search_fields = ("original_name",)
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("status"))

    class Meta:
        model = MeterReadingImport
        fields = ["status"]
