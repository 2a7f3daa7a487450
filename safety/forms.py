"""Forms of the safety pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.accounts.roles import Role
from logistics.attachments.validators import validate_image
from logistics.corrective.choices import ActionLevel
from logistics.tenancy.models import Room
from logistics.ui.forms import SchoolScopedForm
from logistics.workflow.forms import StepForm

from .choices import DRILL_KINDS, WEEKDAYS
from .models import Checklist, Checkpoint, Equipment, PatrolSchedule, Route, RouteStop, SafetyEvent


def _room_field(field):
    field.queryset = field.queryset.select_related("building").order_by("building__name", "name")
    field.label_from_instance = lambda room: f"{room.building.name} {room.name}"


def members_with_roles(school, roles):
    return (
        get_user_model()
        .objects.filter(memberships__school=school, memberships__role__in=roles, memberships__active=True)
        .distinct()
        .order_by("display_name", "username")
    )


class HazardForm(StepForm):
    """Report a hazard from the phone: what, where, how serious, a photo."""

    title = forms.CharField(max_length=200, label=_("hazard"))
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
        _room_field(self.fields["room"])
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})

    def clean(self):
        data = super().clean()
        if not data.get("room") and not (data.get("spot") or "").strip():
            self.add_error("spot", _("Choose the room or say where it is."))
        return data


class RepairTicketForm(StepForm):
    """Open a repair ticket for a hazard (the repairs app's service)."""

    room = forms.ModelChoiceField(queryset=Room.objects.all(), label=_("room"))
    trade = forms.ChoiceField(label=_("trade"), choices=())
    description = forms.CharField(required=False, label=_("description"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from repairs.choices import Trade

        super().__init__(*args, **kwargs)
        _room_field(self.fields["room"])
        self.fields["trade"].choices = Trade.choices
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("room", self.obj.room_id)
            self.initial.setdefault("description", self.obj.title)


class ExplainForm(StepForm):
    explanation = forms.CharField(
        label=pgettext_lazy("patrol round", "explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, and what was done instead."),
    )


class CheckpointForm(SchoolScopedForm):
    class Meta:
        model = Checkpoint
        fields = ["name", "kind", "room", "spot", "key_area", "proof", "rotation_minutes", "nfc_id", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _room_field(self.fields["room"])

    def clean(self):
        data = super().clean()
        if data.get("proof") == "nfc" and not (data.get("nfc_id") or "").strip():
            self.add_error("nfc_id", _("Enter the NFC tag's id for a checkpoint proved by NFC."))
        return data


class RouteForm(SchoolScopedForm):
    """A route and the order of its checkpoints: a number beside each checkpoint on the route."""

    class Meta:
        model = Route
        fields = ["name", "supervisor", "min_seconds_between", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        school = self.school
        self.fields["supervisor"].queryset = members_with_roles(
            school, [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF, Role.PRINCIPAL]
        )
        current = {}
        if self.instance.pk:
            current = dict(RouteStop.objects.filter(route=self.instance).values_list("checkpoint_id", "position"))
        self.checkpoints = (
            list(Checkpoint.objects.in_school(school).filter(active=True).order_by("name")) if school else []
        )
        for checkpoint in self.checkpoints:
            self.fields[f"stop_{checkpoint.pk}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=200,
                label=f"{checkpoint.name}{' ★' if checkpoint.key_area else ''}",
                initial=current.get(checkpoint.pk),
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}),
            )
        self.stop_names = [f"stop_{c.pk}" for c in self.checkpoints]

    def clean(self):
        data = super().clean()
        positions = [(data.get(name), cp) for name, cp in zip(self.stop_names, self.checkpoints, strict=True)]
        chosen = [(p, cp) for p, cp in positions if p]
        if not chosen:
            raise forms.ValidationError(_("Give at least one checkpoint its place in the route (1, 2, 3…)."))
        numbers = [p for p, _cp in chosen]
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("Two checkpoints have the same place in the route."))
        self.ordered = [cp for _p, cp in sorted(chosen, key=lambda item: item[0])]
        return data

    def save(self, commit=True):
        route = super().save(commit=commit)
        wanted = {cp.pk: index for index, cp in enumerate(self.ordered, start=1)}
        for stop in RouteStop.objects.filter(route=route):
            if stop.checkpoint_id not in wanted:
                stop.delete()
        existing = {s.checkpoint_id: s for s in RouteStop.objects.filter(route=route)}
        # two passes: move every kept stop out of the way, then to its place (positions stay unique)
        for checkpoint_id, position in wanted.items():
            stop = existing.get(checkpoint_id)
            if stop is None:
                RouteStop.objects.create(
                    school_id=route.school_id, route=route, checkpoint_id=checkpoint_id, position=position
                )
            elif stop.position != position:
                stop.position = position
                stop.save()
        return route


class ScheduleForm(SchoolScopedForm):
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS, label=_("days of the week"), widget=forms.CheckboxSelectMultiple, initial=list("1234567")
    )

    class Meta:
        model = PatrolSchedule
        fields = ["route", "start_time", "window_minutes", "grace_minutes", "weekdays", "guard", "active"]
        widgets = {"start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guard"].queryset = members_with_roles(self.school, [Role.GUARD])
        self.fields["weekdays"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["weekdays"] = list(self.instance.weekdays)

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data["weekdays"])))


class VisitorForm(forms.Form):
    """Check a visitor in, in under 30 seconds on the guard's phone."""

    name = forms.CharField(max_length=50, label=pgettext_lazy("person", "name"))
    id_number = forms.CharField(
        max_length=18, required=False, label=_("ID number"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        max_length=20, required=False, label=_("phone"), widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    organisation = forms.CharField(max_length=100, required=False, label=_("organisation"))
    reason = forms.CharField(max_length=200, label=_("reason for the visit"))
    host = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, label=_("host"))

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        from logistics.accounts.roles import STAFF_ROLES

        self.fields["host"].queryset = members_with_roles(school, list(STAFF_ROLES))
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def clean_id_number(self):
        from logistics.people import idnumbers

        value = idnumbers.normalise(self.cleaned_data["id_number"])
        if value:
            idnumbers.validate_id_number(value)
        return value


class VehicleForm(SchoolScopedForm):
    class Meta:
        from .models import VehicleEntry

        model = VehicleEntry
        fields = ["plate", "driver", "purpose"]


class GateGoodsForm(SchoolScopedForm):
    class Meta:
        from .models import GateGoods

        model = GateGoods
        fields = ["kind", "what", "weight_kg", "party", "at"]
        widgets = {"at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class LeavePassForm(forms.Form):
    """A leave pass asked for by the class teacher or a guardian."""

    student = forms.ModelChoiceField(queryset=None, label=_("student"))
    reason = forms.CharField(max_length=200, label=_("reason"))
    leave_at = forms.DateTimeField(label=_("leaves at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    return_by = forms.DateTimeField(label=_("back by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    picked_up_by = forms.CharField(max_length=50, required=False, label=_("picked up by"))

    def __init__(self, *args, user=None, school=None, **kwargs):
        from .passes import students_to_ask_for

        super().__init__(*args, **kwargs)
        students = students_to_ask_for(user, school).select_related("school_class")
        self.fields["student"].queryset = students.order_by("school_class__name", "name")
        self.fields["student"].label_from_instance = lambda s: f"{s.school_class.name} {s.name}"
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class DutyLeaderForm(SchoolScopedForm):
    class Meta:
        from .models import DutyLeader

        model = DutyLeader
        fields = ["day", "leader"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = members_with_roles(
            self.school, [Role.PRINCIPAL, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF, Role.TEACHER]
        )


# --- equipment inspections, checklists, education and drills ----------------------------------------


class EquipmentForm(SchoolScopedForm):
    class Meta:
        model = Equipment
        fields = [
            "kind",
            "number",
            "name",
            "room",
            "spot",
            "asset",
            "key",
            "interval_days",
            "serviced_on",
            "expires_on",
            "active",
        ]
        widgets = {
            "serviced_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        from logistics.ui.widgets import FastSelect

        super().__init__(*args, **kwargs)
        _room_field(self.fields["room"])
        asset = self.fields["asset"]
        asset.queryset = asset.queryset.order_by("code")
        asset.label_from_instance = lambda a: f"{a.code} {a.name}"
        asset.widget = FastSelect(
            values=("pk", "code", "name"), attrs={"class": "form-select"}, label=lambda row: f"{row[1]} {row[2]}"
        )
        asset.widget.choices = asset.choices

    def clean(self):
        data = super().clean()
        if not data.get("room") and not (data.get("spot") or "").strip():
            self.add_error("spot", _("Choose the room or say where it is."))
        serviced, expires = data.get("serviced_on"), data.get("expires_on")
        if serviced and expires and expires < serviced:
            self.add_error("expires_on", _("The refill / service date cannot be before the last service."))
        return data


class ChecklistForm(SchoolScopedForm):
    class Meta:
        model = Checklist
        fields = ["kind", "items"]
        widgets = {"items": forms.Textarea(attrs={"rows": 8})}

    def clean_items(self):
        items = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not items:
            raise forms.ValidationError(_("Write at least one item."))
        if any(len(item) > 200 for item in items):
            raise forms.ValidationError(_("An item may have at most 200 characters."))
        return "\n".join(items)


class InspectionForm(forms.Form):
    """An inspection on the phone: each checklist item passed or failed (with a note when failed), a
    general note, a photo. The client id makes a second send of the same form harmless."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(required=False, label=_("photo"), validators=[validate_image])

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        choices = [("1", pgettext_lazy("inspection item", "OK")), ("0", pgettext_lazy("inspection item", "Fault"))]
        for index, text in enumerate(self.items, start=1):
            self.fields[f"item_{index}"] = forms.ChoiceField(
                label=text,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Mark this item OK or fault.")},
            )
            self.fields[f"note_{index}"] = forms.CharField(required=False, max_length=300, label=_("what is wrong"))
        self.fields["note"].widget.attrs["class"] = "form-control"
        self.fields["photo"].widget.attrs.update(
            {"accept": "image/*", "capture": "environment", "class": "form-control"}
        )

    def rows(self):
        """[(item field, note field)] for the template."""
        return [(self[f"item_{i}"], self[f"note_{i}"]) for i in range(1, len(self.items) + 1)]

    def clean(self):
        data = super().clean()
        for index in range(1, len(self.items) + 1):
            if data.get(f"item_{index}") == "0" and not (data.get(f"note_{index}") or "").strip():
                self.add_error(f"note_{index}", _("Say what is wrong."))
        return data

    def results(self):
        data = self.cleaned_data
        return [(data[f"item_{i}"] == "1", data.get(f"note_{i}", "")) for i in range(1, len(self.items) + 1)]


class SafetyEventForm(SchoolScopedForm):
    photo = forms.ImageField(required=False, label=_("photo"), validators=[validate_image])

    class Meta:
        model = SafetyEvent
        fields = [
            "kind",
            "title",
            "held_on",
            "start_time",
            "duration_minutes",
            "place",
            "organiser",
            "participants",
            "classes",
            "evacuation_seconds",
            "evaluation",
            "problems",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "classes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        from logistics.accounts.roles import STAFF_ROLES

        super().__init__(*args, **kwargs)
        if self.school is not None:
            self.fields["organiser"].queryset = members_with_roles(self.school, STAFF_ROLES)
            self.fields["classes"].queryset = self.fields["classes"].queryset.filter(active=True).order_by("name")
        if not self.instance.pk and self.user is not None and not self.is_bound:
            self.initial.setdefault("organiser", self.user.pk)
        self.fields["classes"].widget.attrs.pop("class", None)
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "class": "form-control"})

    def clean_held_on(self):
        from django.utils import timezone

        day = self.cleaned_data["held_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Record an event once it has taken place (the date is in the future)."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("evacuation_seconds") and data.get("kind") not in DRILL_KINDS:
            self.add_error("evacuation_seconds", _("The evacuation time belongs to a drill."))
        return data
