from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.workflow.forms import StepForm


class PlanForm(StepForm):
    """Next month's plan, written by the logistics head against the open items listed above it."""

    plan = forms.CharField(
        label=_("next month's plan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What will be done about each open item, and the main work of next month."),
    )

    def initial_for(self, obj):
        return {"plan": obj.plan}


class SummaryForm(forms.Form):
    """The term or year a summary (学期工作总结) covers."""

    period = forms.ChoiceField(label=_("term or year"))
    fmt = forms.ChoiceField(
        label=_("format"),
        choices=[("pdf", "PDF"), ("xlsx", "XLSX")],
        initial="pdf",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices
        self.fields["period"].widget.attrs["class"] = "form-select"
