import django_filters
from django.utils.translation import gettext_lazy as _

from logistics.ui.filtersets import BaseFilterSet

from .models import Building, Campus, Room, RoomKind


class CampusFilterSet(BaseFilterSet):
    search_fields = ("name", "address")

    class Meta:
        model = Campus
        fields = ["school"]


class BuildingFilterSet(BaseFilterSet):
    search_fields = ("name", "code")
    campus = django_filters.ModelChoiceFilter(queryset=Campus.objects.all(), label=_("campus"))

    class Meta:
        model = Building
        fields = ["school", "campus"]


class RoomFilterSet(BaseFilterSet):
    search_fields = ("name", "code", "building__name")
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.all(), label=_("building"))
    kind = django_filters.ChoiceFilter(choices=RoomKind.choices, label=_("kind"))

    class Meta:
        model = Room
        fields = ["school", "building", "kind", "floor"]
