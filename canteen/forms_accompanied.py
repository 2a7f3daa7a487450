"""Forms of 陪餐, the monthly accounts and corrections (the pages' input; the services decide)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.attachments.validators import validate_image
from logistics.ui.forms import SchoolScopedForm
from logistics.workflow.forms import StepForm

from . import accompanied
from .corrections import CORRECTABLE
from .models import ColdReading, Disinfection, FoodSample, MealService, MonthlyAccount

RATINGS = [(5, _("5 · very good")), (4, _("4 · good")), (3, _("3 · fair")), (2, _("2 · poor")), (1, _("1 · very poor"))]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from the phone's camera or gallery, each checked as an image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultiplePhotoField, self).clean(f, initial) for f in files]
        for photo in cleaned:
            validate_image(photo)
        if len(cleaned) > 6:
            raise forms.ValidationError(_("At most 6 photos."))
        return cleaned


class MealChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return accompanied.meal_label(obj)


class AccompaniedMealForm(forms.Form):
    """A leader's or a parent's 陪餐 of one meal (on a phone: pick the meal, tap a rating, a few words)."""

    meal = MealChoiceField(label=pgettext_lazy("canteen", "meal"), queryset=MealService.objects.none())
    companion_title = forms.CharField(
        label=pgettext_lazy("accompanied meal", "position"),
        max_length=50,
        required=False,
        help_text=_("E.g. 副校长, 总务主任, 三年级二班家长."),
    )
    rating = forms.TypedChoiceField(
        label=_("rating"), choices=RATINGS, coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    quality = forms.CharField(label=_("taste and quality"), max_length=500, required=False)
    quantity = forms.CharField(label=pgettext_lazy("accompanied meal", "quantity"), max_length=500, required=False)
    hygiene = forms.CharField(label=_("hygiene"), max_length=500, required=False)
    price = forms.CharField(label=_("price"), max_length=500, required=False)
    feedback = forms.CharField(
        label=_("suggestions"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    photos = MultiplePhotoField(label=_("photos"))

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        if school is not None:
            self.fields["meal"].queryset = accompanied.pickable_meals(school)
        for name, field in self.fields.items():
            if name != "rating":
                field.widget.attrs.setdefault("class", "form-select" if name == "meal" else "form-control")


class AnswerForm(StepForm):
    answer_text = forms.CharField(
        label=_("answer to the parent"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class MonthlyAccountForm(SchoolScopedForm):
    """A draft month's figures (a published month is never edited: the page refuses it)."""

    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    class Meta:
        model = MonthlyAccount
        fields = [
            "month",
            "opening_balance",
            "income_source",
            "meal_fee_income",
            "other_income",
            "food_source",
            "food_expense",
            "fuel_expense",
            "wage_expense",
            "other_expense",
            "notes",
            "reason",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["month"].disabled = True
            if self.instance.version == 1:
                del self.fields["reason"]
        else:
            del self.fields["reason"]
        for name in ("meal_fee_income", "food_expense"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Taken from the source above when it is not “entered”.")


class CorrectionForm(forms.Form):
    """The corrected values of a record's typo and the reason; fields by the record's model."""

    reason = forms.CharField(label=_("reason for the correction"), max_length=300)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        fields = {}
        for name in CORRECTABLE[type(record)]:
            model_field = record._meta.get_field(name)
            field = model_field.formfield()
            if isinstance(model_field, models.BooleanField):
                field.required = False  # unticked is an answer ("no")
            else:
                field.required = not model_field.blank and not model_field.null
            if isinstance(model_field, models.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.initial = getattr(record, name)
            fields[name] = field
        self.fields = {**fields, "reason": self.fields["reason"]}
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


__all__ = [
    "AccompaniedMealForm",
    "AnswerForm",
    "ColdReading",
    "CorrectionForm",
    "Disinfection",
    "FoodSample",
    "MonthlyAccountForm",
]
