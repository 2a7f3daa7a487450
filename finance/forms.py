"""Forms of the finance pages: fee items, a new board version, the consent answer."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.attachments.validators import FileValidator
from logistics.people.models import Grade, GuardianLink
from logistics.ui.forms import SchoolScopedForm
from logistics.workflow.forms import StepForm

from .choices import FeeCategory, PaymentMethod, WaiverKind
from .models import FeeDisclosure, FeeItem, Settlement


class FeeItemForm(SchoolScopedForm):
    class Meta:
        model = FeeItem
        fields = [
            "category",
            "administrative_kind",
            "name",
            "amount",
            "unit",
            "basis_authority",
            "basis_document",
            "grades",
            "boarders_only",
            "scope_note",
            "period_label",
            "period_start",
            "period_end",
            "due_date",
            "waiver_policy",
            "voluntary",
            "complaint_phone",
            "on_board",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "waiver_policy": forms.Textarea(attrs={"rows": 3}),
            "grades": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grades"].queryset = Grade.objects.filter(school=self.school).order_by("order")
        self.fields["grades"].widget.attrs["class"] = "form-check-input"
        if not self.instance.pk and self.school is not None:
            self.initial.setdefault("complaint_phone", self.school.complaint_phone)


class FeeDisclosureForm(SchoolScopedForm):
    class Meta:
        model = FeeDisclosure
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class GiveConsentForm(StepForm):
    """A guardian answers with one button; the class teacher records the signed paper form."""

    signed_by = forms.CharField(max_length=50, required=False, label=_("signed by"))
    paper_form = forms.FileField(required=False, label=_("scan of the signed form"), validators=[FileValidator()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        obj, user = self.obj, self.user
        if obj is not None and user is not None:
            if GuardianLink.objects.filter(student_id=obj.student_id, guardian=user).exists():
                del self.fields["signed_by"]
                del self.fields["paper_form"]
            else:
                self.fields["signed_by"].required = True
                self.fields["paper_form"].required = True
                self.fields["paper_form"].widget.attrs.update({"accept": "image/*,application/pdf"})


class PaymentForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label=_("amount paid"))
    method = forms.ChoiceField(choices=PaymentMethod.choices, label=_("payment method"))
    receipt_number = forms.CharField(max_length=40, label=_("bill number"))
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class WaiverForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label=_("amount"))
    kind = forms.ChoiceField(
        choices=[(k, label) for k, label in WaiverKind.choices if k != WaiverKind.WITHDRAWN], label=_("kind")
    )
    reason = forms.CharField(max_length=300, label=_("reason"))


class RefundForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label=_("amount"))
    method = forms.ChoiceField(choices=PaymentMethod.choices, initial=PaymentMethod.BANK, label=_("payment method"))
    reason = forms.CharField(max_length=300, label=_("reason"))


def styled(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault(
            "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        )
    return form


class SettlementForm(SchoolScopedForm):
    class Meta:
        model = Settlement
        fields = ["fee_item", "split", "actual_total", "spending_note"]
        widgets = {"spending_note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_item"].queryset = self.fields["fee_item"].queryset.exclude(category=FeeCategory.ADMINISTRATIVE)
        self.fields["actual_total"].required = False
        self.fields["actual_total"].help_text = _("Per student: leave empty, it is the sum of the costs entered.")

    def clean(self):
        from .choices import CostSplit

        data = super().clean()
        if data.get("split") == CostSplit.PER_STUDENT:
            data["actual_total"] = data.get("actual_total") or Decimal("0")
        elif data.get("actual_total") is None and "actual_total" not in self.errors:
            self.add_error("actual_total", _("Enter the actual total, or choose to enter the cost per student."))
        return data
