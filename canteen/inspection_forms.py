"""Forms of the hygiene self-inspections, their checklists, the failed item's corrective action and the
duty roster."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.accounts.roles import STAFF_ROLES
from logistics.attachments.validators import validate_image
from logistics.ui.forms import SchoolScopedForm

from . import health
from .choices import Meal
from .inspection_choices import ItemResult
from .models import ChecklistTemplate

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CRITICAL_MARKS = ("关键", "*", "！", "!", "critical")


def staff_of(school):
    """The school's staff (no parents or students) who may inspect or own a corrective action."""
    return (
        get_user_model()
        .objects.filter(memberships__school=school, memberships__active=True, memberships__role__in=STAFF_ROLES)
        .distinct()
        .order_by("display_name", "pk")
    )


def parse_items(text):
    """Lines ``item｜points｜关键`` → [(text, points, critical)]; points default 5. Raises ValidationError
    naming the line."""
    rows, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        name, points, critical = parts[0][:200], 5, False
        for part in parts[1:]:
            if part.isdigit():
                points = int(part)
            elif part.lower() in CRITICAL_MARKS:
                critical = True
            elif part:
                raise ValidationError(
                    _("Line %(n)s: “%(part)s” is neither points nor 关键.") % {"n": number, "part": part}
                )
        if not 1 <= points <= 100:
            raise ValidationError(_("Line %(n)s: an item is worth 1 to 100 points.") % {"n": number})
        if name in seen:
            raise ValidationError(_("Line %(n)s: this item is listed twice.") % {"n": number})
        seen.add(name)
        rows.append((name, points, critical))
    if not rows:
        raise ValidationError(_("List at least one item."))
    return rows


class ChecklistTemplateForm(SchoolScopedForm):
    """A checklist and its items, one per line (``item｜points｜关键``)."""

    items_text = forms.CharField(
        label=_("items"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One item per line, in order; after a vertical bar its points (default 5) and 关键 for a critical "
            "item, e.g. 餐用具清洗消毒后放入保洁柜｜10｜关键. An item taken off stays on past inspections."
        ),
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["name", "kind", "frequency", "weekday", "month_day", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["items_text"] = "\n".join(
                f"{i.text}｜{i.points}" + ("｜关键" if i.critical else "")
                for i in self.instance.items.filter(active=True).order_by("position", "pk")
            )

    def clean_items_text(self):
        return parse_items(self.cleaned_data["items_text"])


class InspectionForm(forms.Form):
    """One inspection on one screen: the date, who inspected, and each item's result (pass / fail / not
    applicable) with an optional note and photo."""

    date = forms.DateField(label=_("date"), widget=DATE)
    inspector = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("inspector"))
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, template, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        school = template.school
        self.items = list(template.items.filter(active=True).order_by("position", "pk"))
        members = staff_of(school)
        self.fields["inspector"].queryset = members
        self.fields["inspector"].widget.attrs["class"] = "form-select form-select-lg"
        self.fields["date"].widget.attrs["class"] = "form-control form-control-lg"
        self.fields["note"].widget.attrs["class"] = "form-control"
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            team = {p.pk for p in health.team_of(school)}
            if user.pk in team or members.filter(pk=user.pk).exists():
                self.initial.setdefault("inspector", user.pk)
        for item in self.items:
            self.fields[f"r{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=ItemResult.choices,
                widget=forms.RadioSelect,
                required=True,
                error_messages={"required": _("Choose pass, fail or not applicable.")},
            )
            self.fields[f"n{item.pk}"] = forms.CharField(
                label=_("note"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
            )
            self.fields[f"p{item.pk}"] = forms.ImageField(
                label=_("photo"),
                required=False,
                validators=[validate_image],
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/*", "capture": "environment", "class": "form-control form-control-sm"}
                ),
            )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("An inspection cannot be dated in the future."))
        return day

    def rows(self):
        """[(item, result field, note field, photo field)] for the template."""
        return [(item, self[f"r{item.pk}"], self[f"n{item.pk}"], self[f"p{item.pk}"]) for item in self.items]

    def answers(self):
        return {
            item.pk: (self.cleaned_data[f"r{item.pk}"], self.cleaned_data.get(f"n{item.pk}", "")) for item in self.items
        }

    def photos(self):
        return {
            item.pk: self.cleaned_data.get(f"p{item.pk}") for item in self.items if self.cleaned_data.get(f"p{item.pk}")
        }


class ItemActionForm(forms.Form):
    """The corrective action of a failed item: who puts it right, by when, how."""

    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("owner"))
    deadline = forms.DateField(label=_("deadline"), widget=DATE)
    measures = forms.CharField(label=_("measures"), max_length=500, required=False)

    def __init__(self, *args, school, deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_of(school)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "owner" else "form-control"
        if deadline and not self.is_bound:
            self.initial["deadline"] = deadline

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return day


class DutyForm(forms.Form):
    """Put a person on a meal of the day's roster."""

    meal = forms.ChoiceField(label=pgettext_lazy("canteen", "meal"), choices=Meal.choices)
    person = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("person"))
    post = forms.CharField(label=pgettext_lazy("duty", "post"), max_length=50, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        team = [p.pk for p in health.team_of(school)]
        self.fields["person"].queryset = get_user_model().objects.filter(pk__in=team).order_by("display_name", "pk")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-lg" if name != "post" else "form-control form-control-lg"
            )


class WithdrawDutyForm(forms.Form):
    """Why a roster entry made by mistake is withdrawn (kept on record)."""

    reason = forms.CharField(
        label=_("reason for the withdrawal"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. entered for the wrong meal")}),
    )
