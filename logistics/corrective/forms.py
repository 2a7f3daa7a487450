"""Forms of the corrective-action pages: reporting one, and each step's input."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.attachments.validators import validate_image
from logistics.tenancy.models import Room
from logistics.workflow.forms import StepForm

from . import registry
from .choices import ActionLevel
from .people import staff_users

DATE = forms.DateInput(attrs={"type": "date"})


class ActionForm(StepForm):
    """Report something that must be put right (anyone on staff): what, where, how serious, a photo."""

    origin = forms.ChoiceField(label=_("origin"), choices=())
    title = forms.CharField(max_length=200, label=_("what is wrong"))
    description = forms.CharField(required=False, label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    room = forms.ModelChoiceField(queryset=Room.objects.all(), required=False, label=_("room"))
    spot = forms.CharField(
        max_length=200,
        required=False,
        label=_("spot"),
        help_text=_("Where, when it is not a room: fence line, gate, yard…"),
    )
    level = forms.ChoiceField(choices=ActionLevel.choices, initial=ActionLevel.GENERAL, label=_("level"))
    photo = forms.ImageField(required=False, label=_("photo"), validators=[validate_image])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = registry.choices(manual_only=True)
        if len(self.fields["origin"].choices) == 1:
            self.fields["origin"].initial = self.fields["origin"].choices[0][0]
            self.fields["origin"].widget = forms.HiddenInput()
        self.fields["room"].queryset = (
            self.fields["room"].queryset.select_related("building").order_by("building__name", "name")
        )
        self.fields["room"].label_from_instance = lambda room: f"{room.building.name} {room.name}"
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})

    def clean(self):
        data = super().clean()
        if not data.get("room") and not (data.get("spot") or "").strip():
            self.add_error("spot", _("Choose the room or say where it is."))
        return data


class AssignForm(StepForm):
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.all(), label=_("responsible person"))
    measures = forms.CharField(label=_("measures"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("deadline"), widget=DATE)
    funding = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, label=_("funding (yuan)")
    )
    contingency_plan = forms.CharField(
        required=False,
        label=_("contingency plan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a major hazard: what protects people until it is put right."),
    )
    level = forms.ChoiceField(
        choices=ActionLevel.choices,
        required=False,  # left out: unchanged
        label=_("level"),
        help_text=_("Assessed as major on the spot? Raise it here: the principal is told (挂牌督办)."),
    )
    field_order = ["owner", "measures", "deadline", "level", "funding", "contingency_plan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = self.fields["owner"].queryset
        if self.obj is not None:  # the school's staff only (not its parents)
            owners = staff_users(self.obj.school_id)
        self.fields["owner"].queryset = owners.order_by("display_name", "username")

    def initial_for(self, action):
        return {
            "level": action.level,
            "owner": action.owner,
            "measures": action.measures,
            "deadline": action.deadline,
            "funding": action.funding,
            "contingency_plan": action.contingency_plan,
        }


class RectifyForm(StepForm):
    rectification = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(required=False, label=_("photo of the result"), validators=[validate_image])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})


class VerifyForm(StepForm):
    note = forms.CharField(
        required=False, max_length=1000, label=_("verification note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(StepForm):
    note = forms.CharField(required=False, max_length=1000, label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))
