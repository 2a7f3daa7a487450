"""Forms of the canteen pages: a meal with its dishes, a dish's sample, the discard step, suppliers and
deliveries, staff health, weekly menus."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.attachments.validators import validate_document, validate_image
from logistics.ui.forms import SchoolScopedForm
from logistics.workflow.forms import StepForm

from . import services
from .choices import MENU_MEALS, DisinfectionMethod, Disposal, LineDecision, Meal
from .models import (
    ColdStore,
    Delivery,
    DeliveryLine,
    Disinfection,
    HealthCertificate,
    MealService,
    ProductCategory,
    Supplier,
    SupplierLicence,
    WeeklyMenu,
)


def parse_dishes(text):
    """``红烧肉：猪肉、土豆`` lines → [(name, main ingredients)]; a colon (either width) separates them."""
    dishes = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, ingredients = line.replace("：", ":").partition(":")
        dishes.append((name.strip()[:100], ingredients.strip()[:200]))
    return dishes


class MealServiceForm(SchoolScopedForm):
    """A meal service and its dishes, one per line (``dish: main ingredients``)."""

    dishes = forms.CharField(
        label=_("dishes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One dish per line; main ingredients after a colon, e.g. 番茄炒蛋：番茄、鸡蛋."),
    )

    class Meta:
        model = MealService
        fields = ["date", "meal", "canteen", "starts_at", "ends_at", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["dishes"] = "\n".join(
                f"{d.name}：{d.main_ingredients}" if d.main_ingredients else d.name
                for d in self.instance.dishes.filter(served=True).order_by("position", "pk")
            )
        self.fields["starts_at"].help_text = _("Empty: the usual time of the meal.")

    def clean_dishes(self):
        dishes = parse_dishes(self.cleaned_data.get("dishes"))
        if not dishes:
            raise ValidationError(_("List at least one dish."))
        return dishes

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Serving must end after it starts."))
        return data

    def save(self, commit=True):
        with transaction.atomic():
            meal = super().save(commit=True)
            try:
                services.set_dishes(meal, self.cleaned_data["dishes"])
            except ValidationError as exc:
                self.add_error(None, exc)
                raise
        return meal


class SampleForm(forms.Form):
    """One dish's sample: weight, container or fridge, an optional photo (the phone's camera)."""

    weight_grams = forms.IntegerField(
        label=_("weight (g)"),
        min_value=0,
        max_value=5000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control form-control-lg"}),
    )
    container = forms.CharField(
        label=_("container or fridge"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        validators=[validate_image],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment", "class": "form-control"}),
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_weight_grams(self):
        grams = self.cleaned_data.get("weight_grams")
        try:
            services.check_weight(self.school, grams)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["weight_grams"]) from exc
        return grams


class DiscardForm(StepForm):
    note = forms.CharField(
        label=_("note"), max_length=300, required=False, help_text=_("e.g. discarded with the kitchen waste")
    )


# --- suppliers and deliveries ----------------------------------------------------------------------


class SupplierForm(SchoolScopedForm):
    class Meta:
        model = Supplier
        fields = ["name", "address", "contact", "phone", "supplies", "active"]


class SupplierLicenceForm(SchoolScopedForm):
    scan = forms.FileField(label=_("scan"), required=False, validators=[validate_document])

    class Meta:
        model = SupplierLicence
        fields = ["supplier", "kind", "number", "scope", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def save(self, commit=True):
        from django.contrib.contenttypes.models import ContentType

        from logistics.attachments.models import Attachment

        licence = super().save(commit=True)
        scan = self.cleaned_data.get("scan")
        if scan:
            Attachment.objects.create(
                school=licence.school,
                content_type=ContentType.objects.get_for_model(Supplier),
                object_id=licence.supplier_id,
                file=scan,
                kind="licence",
                caption=str(licence),
            )
        return licence


class ProductCategoryForm(SchoolScopedForm):
    class Meta:
        model = ProductCategory
        fields = ["name", "bulk_staple"]


class DeliveryForm(SchoolScopedForm):
    class Meta:
        model = Delivery
        fields = ["supplier", "delivered_on", "note"]
        widgets = {"delivered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = self.fields["supplier"].queryset.filter(active=True)


class DeliveryLineForm(forms.ModelForm):
    class Meta:
        model = DeliveryLine
        fields = [
            "category",
            "product",
            "spec",
            "quantity",
            "unit",
            "production_date",
            "batch",
            "shelf_life_days",
            "expiry_date",
            "price",
        ]
        widgets = {
            "production_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expiry_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, school=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from logistics.ui.forms import restrict_choices

        restrict_choices(self, user, school)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


DeliveryLineFormSet = forms.formset_factory(DeliveryLineForm, extra=4, max_num=40, validate_max=True)


class AcceptLineForm(StepForm):
    line = forms.ModelChoiceField(queryset=DeliveryLine.objects.all(), label=_("line"))
    inspectors = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.all(),
        required=False,
        label=_("other inspectors"),
        help_text=_("Bulk staples need two different inspectors; you count as one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["line"].queryset = self.fields["line"].queryset.filter(
                delivery=self.obj, decision=LineDecision.PENDING
            )


class RejectLineForm(StepForm):
    line = forms.ModelChoiceField(queryset=DeliveryLine.objects.all(), label=_("line"))
    reason = forms.CharField(label=_("reason"), max_length=300)
    disposal = forms.ChoiceField(label=_("disposal"), choices=Disposal.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["line"].queryset = self.fields["line"].queryset.filter(
                delivery=self.obj, decision=LineDecision.PENDING
            )


# --- staff health -----------------------------------------------------------------------------------


class HealthCertificateForm(SchoolScopedForm):
    scan = forms.FileField(label=_("scan"), required=False, validators=[validate_document])

    class Meta:
        model = HealthCertificate
        fields = ["person", "number", "issued_on", "valid_until"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import health

        team = [u.pk for u in health.team_of(self.school)] if self.school else []
        self.fields["person"].queryset = get_user_model().objects.filter(pk__in=team)

    def clean(self):
        data = super().clean()
        issued, until = data.get("issued_on"), data.get("valid_until")
        if issued and until and until < issued:
            self.add_error("valid_until", _("The certificate must be valid until a date after it was issued."))
        return data

    def save(self, commit=True):
        from django.contrib.contenttypes.models import ContentType

        from logistics.attachments.models import Attachment

        cert = super().save(commit=True)
        scan = self.cleaned_data.get("scan")
        if scan:
            Attachment.objects.create(
                school=cert.school,
                content_type=ContentType.objects.get_for_model(HealthCertificate),
                object_id=cert.pk,
                file=scan,
                kind="certificate",
                caption=cert.number,
            )
        return cert


class MorningCheckRowForm(forms.Form):
    """One person's row of the team's morning check."""

    temperature = forms.DecimalField(
        label=_("body temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        min_value=34,
        max_value=43,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "class": "form-control"}),
    )
    fever = forms.BooleanField(label=_("fever"), required=False)
    diarrhoea = forms.BooleanField(label=_("diarrhoea"), required=False)
    skin_wound = forms.BooleanField(label=_("skin wound or infection"), required=False)
    sore_throat = forms.BooleanField(label=_("sore throat or cough"), required=False)
    other_symptom = forms.BooleanField(label=_("other symptom"), required=False)


# --- weekly menus -----------------------------------------------------------------------------------


class WeeklyMenuForm(SchoolScopedForm):
    """A draft week: the Monday, the canteen and one box of dishes per day and meal (one dish a line,
    ``dish：main ingredients``)."""

    class Meta:
        model = WeeklyMenu
        fields = ["week_start", "canteen", "note"]
        widgets = {"week_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import menus

        self.cell_names = []
        current = menus.grid(self.instance) if self.instance.pk else {}
        for n in range(5):
            for meal in MENU_MEALS:
                name = f"d{n}_{meal}"
                self.cell_names.append((n, meal, name))
                initial = ""
                if self.instance.pk:
                    day = self.instance.week_start + datetime.timedelta(days=n)
                    initial = "\n".join(f"{d}：{i}" if i else d for d, i in current.get((day, meal), []))
                self.fields[name] = forms.CharField(
                    label=f"{menus.WEEKDAYS[n]} {Meal(meal).label}",
                    required=False,
                    initial=initial,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
                )

    def clean_week_start(self):
        day = self.cleaned_data["week_start"]
        if day.weekday() != 0:
            raise ValidationError(_("Choose the Monday of the week."))
        if self.instance.pk and day != self.instance.week_start:
            raise ValidationError(_("The week of a menu cannot change; draft a menu for the other week."))
        return day

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("week_start"):
            exists = WeeklyMenu.objects.filter(
                school=self.school, week_start=data["week_start"], canteen=data.get("canteen") or ""
            ).exists()
            if exists:
                self.add_error("week_start", _("This week already has a menu: open it to change it."))
        return data

    def save(self, commit=True):
        from . import menus

        with transaction.atomic():
            menu = super().save(commit=True)
            cells = {}
            for n, meal, name in self.cell_names:
                dishes = parse_dishes(self.cleaned_data.get(name))
                if dishes:
                    cells[(menu.week_start + datetime.timedelta(days=n), meal)] = dishes
            menus.set_items(menu, cells)
        return menu


class DisinfectionForm(SchoolScopedForm):
    """One disinfection of a meal's tableware; out-of-range values are saved and flagged."""

    class Meta:
        model = Disinfection
        fields = ["date", "meal", "method", "temperature", "minutes", "concentration", "done_by"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import health

        team = [u.pk for u in health.team_of(self.school)] if self.school else []
        self.fields["done_by"].queryset = get_user_model().objects.filter(pk__in=team)
        if self.user is not None and not self.is_bound and self.user.pk in team:
            self.initial.setdefault("done_by", self.user.pk)

    def clean(self):
        data = super().clean()
        if data.get("method") == DisinfectionMethod.CHEMICAL and data.get("concentration") is None:
            self.add_error("concentration", _("Enter the concentration of a chemical disinfection."))
        if data.get("method") and data.get("method") != DisinfectionMethod.CHEMICAL and data.get("temperature") is None:
            self.add_error("temperature", _("Enter the temperature."))
        return data


class ColdStoreForm(SchoolScopedForm):
    class Meta:
        model = ColdStore
        fields = ["name", "active"]


class ColdReadingForm(forms.Form):
    store = forms.ModelChoiceField(queryset=ColdStore.objects.all(), label=_("cold store"))
    celsius = forms.DecimalField(
        label=_("temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        min_value=-40,
        max_value=60,
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.1", "class": "form-control form-control-lg"}
        ),
    )

    taken_at = forms.DateTimeField(
        label=pgettext_lazy("cold reading", "read at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control form-control-lg"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Only for a reading taken earlier: the time it was read (marked as a late entry when late)."),
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = ColdStore.objects.filter(school=school, active=True)
        self.fields["store"].widget.attrs["class"] = "form-select form-select-lg"
