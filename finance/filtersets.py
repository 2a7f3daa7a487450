"""One FilterSet per model, used by the HTML lists and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from logistics.people.models import SchoolClass
from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.widgets import FastSelect

from .choices import ApprovalStatus, ConsentStatus, DisclosureStatus, FeeCategory, PaymentMethod, PaymentStatus
from .models import Charge, Consent, FeeDisclosure, FeeItem, Payment, Refund, Waiver


def _item_label(row):
    """``FeeItem.__str__`` from a ``values_list`` row (pk, name, period)."""
    return f"{row[1]}（{row[2]}）" if row[2] else row[1]


def item_filter():
    """The fee item select of the lists, rendered in one pass from ``values_list`` rows (``FastSelect``):
    a school's 60 items rendered through the option templates cost more than the rest of the page."""
    return django_filters.ModelChoiceFilter(
        queryset=FeeItem.objects.all(),
        label=_("fee item"),
        widget=FastSelect(values=("pk", "name", "period_label"), label=_item_label),
    )


def class_filter():
    return django_filters.ModelChoiceFilter(
        field_name="student__school_class",
        queryset=SchoolClass.objects.all(),
        label=_("class"),
        widget=FastSelect(values=("pk", "name")),
    )


class FeeItemFilterSet(BaseFilterSet):
    search_fields = ("name", "basis_document", "period_label")
    category = django_filters.MultipleChoiceFilter(choices=FeeCategory.choices, label=_("category"), distinct=False)
    voluntary = django_filters.BooleanFilter(label=_("voluntary"))
    on_board = django_filters.BooleanFilter(label=_("on the board"))

    class Meta:
        model = FeeItem
        fields = ["category", "voluntary", "on_board"]


class FeeDisclosureFilterSet(BaseFilterSet):
    search_fields = ("note",)
    status = django_filters.MultipleChoiceFilter(choices=DisclosureStatus.choices, label=_("status"), distinct=False)

    class Meta:
        model = FeeDisclosure
        fields = ["status"]


class ConsentFilterSet(BaseFilterSet):
    search_fields = ("student__name", "student__student_number", "signed_by")
    status = django_filters.MultipleChoiceFilter(choices=ConsentStatus.choices, label=_("answer"), distinct=False)
    fee_item = item_filter()
    school_class = class_filter()

    class Meta:
        model = Consent
        fields = ["status", "fee_item", "school_class"]


class ChargeFilterSet(BaseFilterSet):
    search_fields = ("reference", "student__name", "student__student_number")
    fee_item = item_filter()
    school_class = class_filter()

    class Meta:
        model = Charge
        fields = ["fee_item", "school_class"]


class PaymentFilterSet(BaseFilterSet):
    search_fields = ("receipt_number", "charge__student__name")
    status = django_filters.MultipleChoiceFilter(choices=PaymentStatus.choices, label=_("status"), distinct=False)
    method = django_filters.MultipleChoiceFilter(
        choices=PaymentMethod.choices, label=_("payment method"), distinct=False
    )
    paid_after = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("from"))
    paid_before = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = Payment
        fields = ["status", "method"]


class WaiverFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ApprovalStatus.choices, label=_("status"), distinct=False)
    charge = django_filters.NumberFilter(field_name="charge_id", label=_("charge"))

    class Meta:
        model = Waiver
        fields = ["status", "charge"]


class RefundFilterSet(BaseFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ApprovalStatus.choices, label=_("status"), distinct=False)
    charge = django_filters.NumberFilter(field_name="charge_id", label=_("charge"))

    class Meta:
        model = Refund
        fields = ["status", "charge"]
