"""One FilterSet per model, used by the HTML lists and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.models import Building, Campus
from logistics.ui.filtersets import BaseFilterSet

from .choices import MeterKind, ReadingStatus
from .models import Meter, MeterReading


class MeterFilterSet(BaseFilterSet):
    search_fields = ("name", "number")
    kind = django_filters.ChoiceFilter(choices=MeterKind.choices, label=_("kind"))
    campus = django_filters.ModelChoiceFilter(queryset=Campus.objects.all(), label=_("campus"))
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.all(), label=_("building"))

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
    month_after = django_filters.DateFilter(field_name="month", lookup_expr="gte", label=_("from month"))
    month_before = django_filters.DateFilter(field_name="month", lookup_expr="lte", label=_("to month"))
    status = django_filters.ChoiceFilter(choices=ReadingStatus.choices, label=_("status"))
    flagged = django_filters.BooleanFilter(label=_("above the usual"))

    class Meta:
        model = MeterReading
        fields = ["meter", "kind", "campus", "month_after", "month_before", "status", "flagged"]
