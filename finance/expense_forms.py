"""Forms of spending approval, budgets, collective decisions and the staff statement."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.attachments.validators import validate_document
from logistics.ui.forms import SchoolScopedForm
from logistics.workflow.forms import StepForm

from .choices import PayMethod
from .models import Budget, CollectiveDecision, Expense, StaffStatement

MAX_FILES = 5
DATE = {"type": "date"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Up to five scans or photos (images or PDF) in one input — on a phone, the camera."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/*,application/pdf", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(n)s files at a time.") % {"n": MAX_FILES})
        cleaned = [super(DocumentsField, self).clean(f, initial) for f in files]
        for f in cleaned:
            validate_document(f)
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"])
        return cleaned


class ExpenseForm(SchoolScopedForm):
    """A reimbursement: what, how much, from whom, who bought and who checked receipt, invoice scans."""

    invoices = DocumentsField(
        label=_("invoice scans or photos"), help_text=_("The invoice (发票) and any receipt; images or PDF.")
    )

    class Meta:
        model = Expense
        fields = ["purpose", "amount", "category", "supplier", "spent_on", "buyer", "receiver", "decision"]
        widgets = {"spent_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.user is not None and not self.is_bound:
            self.initial["buyer"] = self.initial.get("buyer") or self.user.pk
            self.initial["spent_on"] = self.initial.get("spent_on") or timezone.localdate()
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0.01"})

    def clean_spent_on(self):
        value = self.cleaned_data["spent_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The purchase date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("buyer") and data.get("receiver") and data["buyer"] == data["receiver"]:
            self.add_error(
                "receiver",
                _("The person who checked receipt (验收人) must be someone other than the buyer (经办人)."),
            )
        return data

    def save(self, commit=True):
        from .expenses import INVOICE, attach

        expense = self.instance
        if not expense.pk:
            expense.filed_by = self.user
        expense = super().save(commit=True)
        attach(expense, self.cleaned_data.get("invoices"), INVOICE)
        return expense


class SignForm(StepForm):
    comment = forms.CharField(
        label=_("comment"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PayForm(StepForm):
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    method = forms.ChoiceField(label=_("payment method"), choices=PayMethod.choices)
    voucher_number = forms.CharField(label=_("voucher number"), max_length=40)

    def initial_for(self, obj):
        return {"paid_on": timezone.localdate(), "method": PayMethod.BANK}


class BudgetForm(SchoolScopedForm):
    class Meta:
        model = Budget
        fields = ["year", "category", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial["year"] = self.initial.get("year") or timezone.localdate().year
        if self.instance.pk:  # the amount changes only by a revision with its reason
            for name in ("year", "category", "amount"):
                self.fields.pop(name)


class BudgetReviseForm(forms.Form):
    amount = forms.DecimalField(label=_("new amount (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class CollectiveDecisionForm(SchoolScopedForm):
    minutes = DocumentsField(label=_("minutes (会议纪要)"), help_text=_("Scan or photo of the signed minutes."))

    class Meta:
        model = CollectiveDecision
        fields = ["meeting_date", "subject", "participants", "decision"]
        widgets = {
            "meeting_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "decision": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_meeting_date(self):
        value = self.cleaned_data["meeting_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The meeting date cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("minutes"):
            self.add_error("minutes", _("Attach the minutes (会议纪要) of the meeting."))
        return data

    def save(self, commit=True):
        from .expenses import MINUTES, attach

        decision = super().save(commit=True)
        attach(decision, self.cleaned_data.get("minutes"), MINUTES)
        return decision


def half_term_default(today=None):
    """The half term containing ``today`` — autumn term 1 Sept–15 Nov and 16 Nov–31 Jan, spring term
    1 Feb–15 Apr and 16 Apr–31 Aug (a suggestion the officer changes to the school's calendar)."""
    today = today or timezone.localdate()
    y = today.year
    d = datetime.date
    if today.month == 1:
        return d(y - 1, 11, 16), d(y, 1, 31)
    for start, end in (
        (d(y, 2, 1), d(y, 4, 15)),
        (d(y, 4, 16), d(y, 8, 31)),
        (d(y, 9, 1), d(y, 11, 15)),
        (d(y, 11, 16), d(y + 1, 1, 31)),
    ):
        if start <= today <= end:
            return start, end
    return d(y, 9, 1), d(y, 11, 15)


class StaffStatementForm(SchoolScopedForm):
    class Meta:
        model = StaffStatement
        fields = ["title", "period_start", "period_end", "note"]
        widgets = {
            "period_start": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, corrects=None, **kwargs):
        self.corrects = corrects
        super().__init__(*args, **kwargs)
        if corrects is not None:
            self.fields.pop("period_start")
            self.fields.pop("period_end")
            if not self.is_bound:
                self.initial["title"] = self.initial.get("title") or corrects.title
        elif not self.is_bound and not self.instance.pk:
            start, end = half_term_default()
            self.initial["period_start"] = self.initial.get("period_start") or start
            self.initial["period_end"] = self.initial.get("period_end") or end
