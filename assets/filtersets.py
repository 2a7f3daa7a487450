"""One FilterSet per model, shared by the HTML lists and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.models import Building, Room
from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.widgets import FastSelect

from .choices import (
    AssetStatus,
    DisposalStatus,
    FundingSource,
    ImportStatus,
    IssueStatus,
    LineResult,
    MovementKind,
    StockTakeStatus,
)
from .models import (
    Asset,
    AssetImport,
    AssetLoan,
    AssetMovement,
    Category,
    ClassroomCheck,
    Consumable,
    DamageRecord,
    DisposalRequest,
    IssueRequest,
    StockTake,
    StockTakeLine,
)


def _category_label(row):
    return f"{row[1]} {row[2]}"


def _person_label(row):
    return row[1] or f"{row[2]} {row[3]}".strip() or row[4]


class AssetFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "model_spec", "serial_number")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), label=_("category"), widget=FastSelect)
    status = django_filters.MultipleChoiceFilter(
        choices=AssetStatus.choices, label=_("status"), widget=FastSelect(multiple=True), distinct=False
    )
    room = django_filters.ModelChoiceFilter(
        queryset=Room.objects.all(), label=_("room"), widget=FastSelect(values=("pk", "name"))
    )
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.all(),
        field_name="room__building",
        label=_("building"),
        widget=FastSelect(values=("pk", "name")),
    )
    custodian = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(),
        label=_("custodian"),
        method="by_custodian",
        widget=FastSelect(values=("pk", "display_name", "first_name", "last_name", "username"), label=_person_label),
    )
    funding_source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label=_("funding source"), widget=FastSelect
    )
    purchased_after = django_filters.DateFilter(
        field_name="purchase_date", lookup_expr="gte", label=_("purchased from")
    )
    purchased_before = django_filters.DateFilter(
        field_name="purchase_date", lookup_expr="lte", label=_("purchased until")
    )
    price_min = django_filters.NumberFilter(field_name="unit_price", lookup_expr="gte", label=_("price from"))
    price_max = django_filters.NumberFilter(field_name="unit_price", lookup_expr="lte", label=_("price up to"))

    class Meta:
        model = Asset
        fields = ["q", "category", "status", "building", "room", "custodian"]

    def by_custodian(self, queryset, name, value):
        return queryset.filter(custodian=value) if value else queryset


class CategoryFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = Category
        fields = ["q", "life_years"]


class AssetMovementFilterSet(BaseFilterSet):
    search_fields = ("asset__code", "asset__name", "note")
    kind = django_filters.ChoiceFilter(choices=MovementKind.choices, label=_("kind"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))
    asset = django_filters.NumberFilter(field_name="asset_id", label=_("asset id"))

    class Meta:
        model = AssetMovement
        fields = ["q", "kind", "asset"]


class AssetLoanFilterSet(BaseFilterSet):
    search_fields = ("asset__code", "asset__name", "borrower_name")
    open = django_filters.BooleanFilter(field_name="returned_on", lookup_expr="isnull", label=_("not returned"))

    class Meta:
        model = AssetLoan
        fields = ["q", "open"]


class DisposalRequestFilterSet(BaseFilterSet):
    search_fields = ("reference", "reason")
    status = django_filters.ChoiceFilter(choices=DisposalStatus.choices, label=_("status"))

    class Meta:
        model = DisposalRequest
        fields = ["q", "status"]


class ClassroomCheckFilterSet(BaseFilterSet):
    search_fields = ("room__name", "term")

    class Meta:
        model = ClassroomCheck
        fields = ["q", "term"]


class ConsumableFilterSet(BaseFilterSet):
    search_fields = ("name", "spec")
    low = django_filters.BooleanFilter(method="by_low", label=_("low stock"))

    class Meta:
        model = Consumable
        fields = ["q", "low"]

    def by_low(self, queryset, name, value):
        from django.db.models import F

        if value is None:
            return queryset
        low = queryset.filter(total_quantity__lte=F("minimum_level"))
        return low if value else queryset.exclude(pk__in=low.values("pk"))


class IssueRequestFilterSet(BaseFilterSet):
    search_fields = ("reference", "purpose", "consumable__name")
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, label=_("status"))

    class Meta:
        model = IssueRequest
        fields = ["q", "status", "consumable"]


class StockTakeFilterSet(BaseFilterSet):
    search_fields = ("reference", "name")
    status = django_filters.ChoiceFilter(choices=StockTakeStatus.choices, label=_("status"))

    class Meta:
        model = StockTake
        fields = ["q", "status"]


class StockTakeLineFilterSet(BaseFilterSet):
    search_fields = ("asset__code", "asset__name", "item_name")
    result = django_filters.MultipleChoiceFilter(choices=LineResult.choices, label=_("result"), distinct=False)
    room = django_filters.ModelChoiceFilter(queryset=Room.objects.all(), method="by_room", label=_("room"))

    class Meta:
        model = StockTakeLine
        fields = ["q", "result", "room"]

    def by_room(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(expected_room=value) | Q(found_room=value)) if value else queryset


class DamageRecordFilterSet(BaseFilterSet):
    search_fields = ("reference", "description", "responsible_person", "asset__code", "asset__name")
    paid = django_filters.BooleanFilter(label=_("paid"))
    date_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label=_("from"))
    date_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label=_("until"))
    asset = django_filters.NumberFilter(field_name="asset_id", label=_("asset id"))

    class Meta:
        model = DamageRecord
        fields = ["q", "paid", "responsible_class", "asset"]


class AssetImportFilterSet(BaseFilterSet):
    search_fields = ("original_name",)
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("status"))

    class Meta:
        model = AssetImport
        fields = ["q", "status"]
