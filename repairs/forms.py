"""Forms of the repairs pages: filing a ticket, one small form per step, plans and the rota."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.accounts.roles import Role
from logistics.attachments.validators import validate_image
from logistics.people.models import SchoolClass
from logistics.tenancy.models import Room
from logistics.ui.forms import SchoolScopedForm, restrict_choices
from logistics.workflow.forms import StepForm

from .choices import Cause, Trade, Urgency
from .models import DutySlot, MaintenancePlan, PartUsage
from .services import MAX_PHOTOS


def workers_of(school):
    """Active repair workers of a school (for assignment choices)."""
    return (
        get_user_model()
        .objects.filter(memberships__school=school, memberships__role=Role.REPAIR_WORKER, memberships__active=True)
        .distinct()
        .order_by("display_name", "username")
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to five photos in one input (taken on the phone or chosen)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos per ticket.") % {"n": MAX_PHOTOS})
        cleaned = [super(MultiplePhotoField, self).clean(f, initial) for f in files]
        for f in cleaned:
            validate_image(f)
        return cleaned


class StyledForm(forms.Form):
    """A form styled for Bootstrap; step forms accept (and may use) ``school`` and ``user``."""

    def __init__(self, *args, school=None, user=None, **kwargs):
        self.school, self.user = school, user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class TicketForm(StyledForm):
    """File a ticket: room (picked or from the room's QR code), trade, urgency, description, photos."""

    room = forms.ModelChoiceField(queryset=Room.objects.select_related("building"), label=_("room"))
    #: no trade is preselected: a broken light must not go to the plumber because nobody changed the default
    trade = forms.ChoiceField(choices=[("", _("— choose the trade —")), *Trade.choices], label=_("trade"))
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.NORMAL, label=_("urgency"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label=_("What is wrong?"))
    photos = MultiplePhotoField(label=_("Photos (up to 5)"))
    asset = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, school=None, **kwargs):
        super().__init__(*args, user=user, school=school, **kwargs)
        restrict_choices(self, user, school)
        rooms = self.fields["room"].queryset.order_by("building__name", "floor", "code", "name")
        self.fields["room"].queryset = rooms
        # grouped by building and floor, with a search box (static/repairs/rooms.js) instead of one long list
        groups = {}
        for r in rooms:
            groups.setdefault(
                _("%(building)s · floor %(floor)s") % {"building": r.building.name, "floor": r.floor}, []
            ).append((r.pk, f"{r.building.name} {r.name}"))
        self.fields["room"].choices = [("", _("— choose the room —")), *groups.items()]
        self.fields["room"].widget.attrs["data-room-search"] = _("Type to find the room (e.g. 302 or 实验楼)")
        self.fields["photos"].widget.attrs["capture"] = "environment"

    def clean_asset(self):
        """An asset of the school (from the asset page's "report a fault" link), or None."""
        asset_id = self.cleaned_data.get("asset")
        if not asset_id:
            return None
        from assets import services as asset_services

        asset = asset_services.assets_for_choice(self.user, self.school).filter(pk=asset_id).first()
        if asset is None:
            raise forms.ValidationError(_("Unknown asset."))
        return asset


class AssignForm(StepForm):
    assignees = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), label=_("repair workers"), widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(choices=[("", "—"), *Urgency.choices], required=False, label=_("urgency"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = workers_of(self.school)
        self.fields["assignees"].widget.attrs["class"] = "form-check-input"

    def initial_for(self, ticket):
        return {"assignees": list(ticket.assignees.all())}


class UrgencyForm(StepForm):
    urgency = forms.ChoiceField(choices=Urgency.choices, label=_("urgency"))

    def initial_for(self, ticket):
        return {"urgency": ticket.urgency}


class WorkLogForm(StepForm):
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60, label=_("minutes"))
    note = forms.CharField(max_length=300, required=False, label=_("note"))


class PartForm(StepForm):
    name = forms.CharField(max_length=100, required=False, label=_("part or material"))
    quantity = forms.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label=_("quantity"))
    unit = forms.CharField(max_length=20, required=False, label=_("unit"))
    unit_cost = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2, initial=0, label=_("unit cost"))
    price_confirmed = forms.BooleanField(
        label=_("The unit cost is correct"),
        required=False,
        help_text=_("Tick only when asked: an unusually high unit cost must be confirmed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consumable"] = forms.ModelChoiceField(
            queryset=consumable_queryset(self.user, self.school), required=False, label=_("consumable from stock")
        )
        self.fields["consumable"].widget.attrs["class"] = "form-select"
        self.order_fields(["consumable", "name", "quantity", "unit", "unit_cost", "price_confirmed"])

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("consumable"):
            raise forms.ValidationError(_("Name the part or choose a consumable."))
        return data


class ReversePartForm(StepForm):
    """Which recorded part to reverse, and why (the reason stays on the part and in the history)."""

    part = forms.ModelChoiceField(queryset=PartUsage.objects.none(), label=_("part"), empty_label=None)
    reason = forms.CharField(max_length=300, label=_("reason"), widget=forms.TextInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ticket = self.obj
        queryset = PartUsage.objects.none()
        if ticket is not None and ticket.pk:
            queryset = PartUsage.objects.filter(ticket=ticket, reversed_at__isnull=True).order_by("-pk")
        self.fields["part"].queryset = queryset
        self.fields["part"].label_from_instance = lambda part: (
            _("%(part)s %(unit)s · %(cost)s yuan")
            % {
                "part": part,
                "unit": part.unit,
                "cost": part.cost,
            }
        )


def consumable_queryset(user, school):
    """The consumables of the school's stock (assets) the user may see — through assets' services."""
    from assets import services as asset_services

    if school is None or user is None:
        return asset_services.consumables_for_choice().none()
    return asset_services.consumables_for_choice(user, school)


class CompleteForm(StepForm):
    cause = forms.ChoiceField(choices=Cause.choices, label=_("cause"))
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("work done"))
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60, required=False, label=_("time spent (minutes)"))
    photo = forms.ImageField(required=False, label=_("photo"), validators=[validate_image])
    damage_amount = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=2, required=False, label=_("damage amount")
    )
    damage_responsible = forms.CharField(max_length=100, required=False, label=_("responsible (class or person)"))
    responsible_class = forms.ModelChoiceField(
        queryset=SchoolClass.objects.none(), required=False, label=_("responsible class")
    )
    price_confirmed = forms.BooleanField(
        label=_("The amount is correct"),
        required=False,
        help_text=_("Tick only when asked: an unusually high damage amount must be confirmed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_class"].queryset = SchoolClass.objects.filter(school=self.school).order_by(
            "grade__order", "name"
        )
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})


class ConfirmForm(StepForm):
    rating = forms.TypedChoiceField(
        choices=[("", "—"), *[(i, "★" * i) for i in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("rating"),
    )
    comment = forms.CharField(max_length=300, required=False, label=_("comment"))


class TickForm(StepForm):
    index = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, label=_("done"))


class MaintenancePlanForm(SchoolScopedForm):
    assignees = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("repair workers")
    )

    class Meta:
        model = MaintenancePlan
        fields = [
            "name",
            "equipment",
            "trade",
            "urgency",
            "room",
            "checklist",
            "recurrence",
            "interval",
            "week_of_month",
            "weekday",
            "next_due",
            "lead_days",
            "assignees",
            "active",
        ]
        widgets = {"next_due": forms.DateInput(attrs={"type": "date"}), "checklist": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = workers_of(self.school)
        self.fields["assignees"].widget.attrs["class"] = "form-select"


class DutySlotForm(SchoolScopedForm):
    class Meta:
        model = DutySlot
        fields = ["trade", "weekday", "worker"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers_of(self.school)
