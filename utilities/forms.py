"""Forms of the utilities pages: a meter, a month's readings of a campus (one row per meter), and the
correction of a reading (the ``correct`` step)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.tenancy.models import Campus
from logistics.ui.forms import SchoolScopedForm
from logistics.workflow.forms import StepForm

from .models import Meter


class MeterForm(SchoolScopedForm):
    class Meta:
        model = Meter
        fields = ["kind", "name", "campus", "building", "number", "active", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.school is not None:
            self.fields["campus"].queryset = self.fields["campus"].queryset.filter(school=self.school)
            self.fields["building"].queryset = (
                self.fields["building"].queryset.filter(school=self.school).select_related("campus")
            )
            self.fields["building"].label_from_instance = lambda b: f"{b.campus.name} · {b.name}"


def _decimal(label, help_text=""):
    return forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "class": "form-control"}),
    )


class EntryChoiceForm(forms.Form):
    """Which campus and month the entry page is for (GET)."""

    campus = forms.ModelChoiceField(queryset=Campus.objects.none(), label=_("campus"))
    month = forms.CharField(label=_("month"), widget=forms.DateInput(attrs={"type": "month", "class": "form-control"}))
    read_on = forms.DateField(
        label=_("reading date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, school=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = Campus.objects.restrict(user, "view").in_school(school).order_by("name")
        self.fields["campus"].widget.attrs["class"] = "form-select"


class ReadingRowForm(forms.Form):
    """One meter's line on the month's entry form."""

    value = _decimal(_("meter value"))
    consumption = _decimal(pgettext_lazy("utility consumption", "use"), _("Only for a meter read from the bill."))
    replacement = forms.BooleanField(
        required=False,
        label=_("meter replaced or rolled over"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("reason"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def is_empty(self):
        data = self.cleaned_data
        return data.get("value") is None and data.get("consumption") is None


class CorrectReadingForm(StepForm):
    value = _decimal(_("meter value"))
    consumption = _decimal(
        pgettext_lazy("utility consumption", "use"), _("Only for a meter read from the bill, or after a replacement.")
    )
    replacement = forms.BooleanField(required=False, label=_("meter replaced or rolled over"))
    reason = forms.CharField(max_length=200, label=_("reason for the correction"))

    def initial_for(self, obj):
        # the use is computed from the value; it is typed only for a meter read from the bill or a replacement
        typed_use = obj.value is None or obj.replacement
        return {
            "value": obj.value,
            "consumption": obj.consumption if typed_use else None,
            "replacement": obj.replacement,
        }
