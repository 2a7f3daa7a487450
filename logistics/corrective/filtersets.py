"""One FilterSet for corrective actions, used by the list page and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.ui.filtersets import BaseFilterSet

from . import registry
from .choices import OPEN_STATUSES, ActionLevel, ActionStatus
from .models import CorrectiveAction


class CorrectiveActionFilterSet(BaseFilterSet):
    search_fields = ("title", "reference", "spot", "description")

    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("status"))
    level = django_filters.ChoiceFilter(choices=ActionLevel.choices, label=_("level"))
    origin = django_filters.ChoiceFilter(choices=registry.choices, label=_("origin"))
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("responsible person"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    found_after = django_filters.DateFilter(field_name="found_at", lookup_expr="date__gte", label=_("found from"))
    found_before = django_filters.DateFilter(field_name="found_at", lookup_expr="date__lte", label=_("found until"))

    class Meta:
        model = CorrectiveAction
        fields = ["status", "level", "origin", "owner", "overdue", "found_after", "found_before"]

    def filter_overdue(self, queryset, name, value):
        condition = {"status__in": OPEN_STATUSES, "deadline__lt": timezone.localdate()}
        if value is True:
            return queryset.filter(**condition)
        if value is False:
            return queryset.exclude(**condition)
        return queryset
