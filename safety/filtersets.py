"""One FilterSet per model, used by the safety pages and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.corrective.filtersets import CorrectiveActionFilterSet
from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.widgets import FastSelect

from .choices import CheckpointKind, DrillKind, EquipmentKind, InspectionResult, RoundStatus
from .models import Checkpoint, Equipment, Hazard, Inspection, PatrolRound, Route, SafetyEvent


class HazardFilterSet(CorrectiveActionFilterSet):
    class Meta(CorrectiveActionFilterSet.Meta):
        model = Hazard


class CheckpointFilterSet(BaseFilterSet):
    search_fields = ("name", "spot")
    kind = django_filters.ChoiceFilter(choices=CheckpointKind.choices, label=_("kind"))
    key_area = django_filters.BooleanFilter(label=_("key area (重点部位)"))

    class Meta:
        model = Checkpoint
        fields = ["kind", "key_area", "proof", "active"]


def _person_label(row):
    """A user's ``__str__`` from ``(pk, display_name, first_name, last_name, username)``."""
    return row[1] or f"{row[2]} {row[3]}".strip() or row[4]


class PatrolRoundFilterSet(BaseFilterSet):
    # the rounds list is a hot page: its selects rendered in one pass (FastSelect), from values() rows
    status = django_filters.MultipleChoiceFilter(
        choices=RoundStatus.choices, label=_("status"), widget=FastSelect(multiple=True)
    )
    route = django_filters.ModelChoiceFilter(
        queryset=Route.objects.all(), label=_("patrol route"), widget=FastSelect(values=("pk", "name"))
    )
    guard = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(),
        label=_("guard"),
        widget=FastSelect(values=("pk", "display_name", "first_name", "last_name", "username"), label=_person_label),
    )
    planned_after = django_filters.DateFilter(field_name="planned_start", lookup_expr="date__gte", label=_("from"))
    planned_before = django_filters.DateFilter(field_name="planned_start", lookup_expr="date__lte", label=_("until"))

    class Meta:
        model = PatrolRound
        fields = ["status", "route", "guard", "planned_after", "planned_before"]


class EquipmentFilterSet(BaseFilterSet):
    search_fields = ("number", "name", "spot")
    kind = django_filters.ChoiceFilter(choices=EquipmentKind.choices, label=_("kind"))

    class Meta:
        model = Equipment
        fields = ["kind", "key", "room", "active", "last_result"]


class InspectionFilterSet(BaseFilterSet):
    search_fields = ("equipment__number", "equipment__name")
    kind = django_filters.ChoiceFilter(field_name="equipment__kind", choices=EquipmentKind.choices, label=_("kind"))
    result = django_filters.ChoiceFilter(choices=InspectionResult.choices, label=_("result"))
    after = django_filters.DateFilter(field_name="inspected_at", lookup_expr="date__gte", label=_("from"))
    before = django_filters.DateFilter(field_name="inspected_at", lookup_expr="date__lte", label=_("until"))

    class Meta:
        model = Inspection
        fields = ["kind", "result", "equipment", "after", "before"]


class SafetyEventFilterSet(BaseFilterSet):
    search_fields = ("title", "place")
    kind = django_filters.ChoiceFilter(choices=DrillKind.choices, label=_("kind"))
    after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("from"))
    before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("until"))

    class Meta:
        model = SafetyEvent
        fields = ["kind", "after", "before"]
