"""Forms of the assets app: model forms for records, the input of each declared step (on the
workflow's ``StepForm``: every choice narrowed to the record's school) and small action forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.accounts import permissions
from logistics.attachments.validators import validate_document
from logistics.imports.forms import MappingForm as BaseMappingForm
from logistics.imports.forms import UploadForm
from logistics.people.models import SchoolClass, Student
from logistics.tenancy.models import Room
from logistics.ui.forms import SchoolScopedForm, restrict_choices
from logistics.workflow.forms import StepForm

from .choices import Condition, DisposalMethod
from .models import Asset, Category, Consumable, DamageRecord, IssueRequest, StockTake
from .settings_rules import check_consumable_price, check_damage_amount, check_price

DATE = forms.DateInput(attrs={"type": "date"})


def members(school):
    if school is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(memberships__school=school, memberships__active=True)
        .distinct()
        .order_by("display_name", "username")
    )


class ActionForm(forms.Form):
    """A small form of an action that is not a step (scan, receipt, import); choice lists restricted
    to the user's school."""

    def __init__(self, *args, user=None, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.school = school
        restrict_choices(self, user, school)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        for name in ("custodian", "borrower"):
            if name in self.fields:
                self.fields[name].queryset = members(school)


def place_after(form, name, after):
    """Show field ``name`` right after field ``after``."""
    order = [n for n in form.fields if n != name]
    order.insert(order.index(after) + 1, name)
    form.order_fields(order)


CARD_FIELDS = [
    "name",
    "category",
    "model_spec",
    "serial_number",
    "unit_price",
    "purchase_date",
    "funding_source",
    "supplier",
    "invoice_number",
    "warranty_end",
    "life_years",
    "department",
    "bulk_item",
    "notes",
]


class AssetForm(SchoolScopedForm):
    """Correct an asset card's descriptive fields; room, custodian and status change by movements."""

    class Meta:
        model = Asset
        fields = CARD_FIELDS
        widgets = {"purchase_date": DATE, "warranty_end": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    price_confirmed = forms.BooleanField(
        label=_("The unit price is correct"),
        required=False,
        help_text=_("Tick only when asked: an unusually high unit price must be confirmed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place_after(self, "price_confirmed", "unit_price")

    def clean(self):
        data = super().clean()
        from .services import check_threshold

        if self.school is not None and data.get("unit_price") is not None:
            try:
                if "unit_price" in self.changed_data:
                    check_price(self.school, data["unit_price"], data.get("price_confirmed"))
                check_threshold(self.school, data["unit_price"], data.get("bulk_item", False))
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data


class AcquireForm(SchoolScopedForm):
    """Acquisition (登记入帐): one card per item; quantity 40 makes 40 cards."""

    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1000, initial=1)
    price_confirmed = forms.BooleanField(
        label=_("The unit price is correct"),
        required=False,
        help_text=_("Tick only when asked: an unusually high unit price must be confirmed."),
    )

    class Meta:
        model = Asset
        fields = ["quantity", *CARD_FIELDS[:10], "room", "custodian", "department", "life_years", "bulk_item", "notes"]
        widgets = {"purchase_date": DATE, "warranty_end": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place_after(self, "price_confirmed", "unit_price")
        self.fields["custodian"].queryset = members(self.school)
        self.fields["room"].queryset = self.fields["room"].queryset.select_related("building")

    def clean(self):
        data = super().clean()
        if self.school is not None and data.get("unit_price") is not None:
            try:
                check_price(self.school, data["unit_price"], data.get("price_confirmed"))
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data


class CategoryForm(SchoolScopedForm):
    class Meta:
        model = Category
        fields = ["code", "name", "life_years", "is_fixed_asset"]


class TransferForm(StepForm):
    room = forms.ModelChoiceField(Room.objects.select_related("building"), label=_("new room"), required=False)
    custodian = forms.ModelChoiceField(
        get_user_model().objects.order_by("display_name", "username"), label=_("new custodian"), required=False
    )
    department = forms.CharField(label=_("managing department"), required=False, max_length=100)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class LendForm(StepForm):
    borrower = forms.ModelChoiceField(
        get_user_model().objects.order_by("display_name", "username"), label=_("borrower"), required=False
    )
    borrower_name = forms.CharField(
        label=_("borrower (name)"), required=False, max_length=100, help_text=_("When the borrower has no account.")
    )
    expected_return = forms.DateField(label=_("expected return"), widget=DATE, required=False)
    purpose = forms.CharField(label=_("purpose"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:  # a colleague borrows; the school's parents are not listed
            borrowers = self.fields["borrower"].queryset
            self.fields["borrower"].queryset = permissions.people_of(
                borrowers, self.obj.school_id, None, staff_only=True
            ).order_by("display_name", "username")


class NoteForm(StepForm):
    note = forms.CharField(label=_("note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(StepForm):
    note = forms.CharField(label=_("what happened"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DisposalForm(StepForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(label=_("method"), choices=DisposalMethod.choices)


class DecisionNoteForm(StepForm):
    note = forms.CharField(
        label=_("Decision note (e.g. meeting that decided)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequiredDecisionNoteForm(StepForm):
    note = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class WriteOffForm(StepForm):
    date = forms.DateField(label=_("written off on"), widget=DATE, required=False)
    proceeds = forms.DecimalField(label=_("proceeds (yuan)"), required=False, min_value=0, decimal_places=2)


def _price_box():
    return forms.BooleanField(
        label=_("The unit price is correct"),
        required=False,
        help_text=_("Tick only when asked: an unusually high unit price must be confirmed."),
    )


class ConsumableForm(SchoolScopedForm):
    """A consumable's card; its unit price is bounded by the rules ``assets.consumable_price_*``."""

    class Meta:
        model = Consumable
        fields = ["name", "spec", "unit", "unit_price", "minimum_level", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    price_confirmed = _price_box()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place_after(self, "price_confirmed", "unit_price")

    def clean(self):
        data = super().clean()
        if self.school is not None and "unit_price" in self.changed_data:
            try:
                check_consumable_price(self.school, data.get("unit_price"), data.get("price_confirmed"))
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data


class ReceiveForm(ActionForm):
    store = forms.ModelChoiceField(Room.objects.select_related("building"), label=_("store room"))
    quantity = forms.DecimalField(label=_("quantity"), min_value=0.01, decimal_places=2)
    unit_price = forms.DecimalField(label=_("unit price (yuan)"), required=False, min_value=0, decimal_places=2)
    price_confirmed = _price_box()
    reason = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stores = self.fields["store"].queryset.filter(kind="store")
        if stores.exists():
            self.fields["store"].queryset = stores


class IssueRequestForm(SchoolScopedForm):
    class Meta:
        model = IssueRequest
        fields = ["consumable", "quantity", "purpose"]


class IssueDecisionForm(StepForm):
    store = forms.ModelChoiceField(
        Room.objects.select_related("building"),
        label=_("issue from"),
        required=False,
        help_text=_("Empty: from the stores holding most."),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class StockTakeForm(SchoolScopedForm):
    class Meta:
        model = StockTake
        fields = ["name", "whole_school", "rooms", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}), "rooms": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rooms"].queryset = self.fields["rooms"].queryset.select_related("building")
        self.fields["rooms"].label_from_instance = lambda r: f"{r.building.name} {r.name}"


class ScanForm(ActionForm):
    code = forms.CharField(
        label=_("asset code or label address"),
        max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )
    condition = forms.ChoiceField(label=_("condition"), choices=[("", "—"), *Condition.choices], required=False)


class UnledgeredForm(ActionForm):
    item_name = forms.CharField(label=_("item name"), max_length=200)
    item_category = forms.ModelChoiceField(Category.objects.all(), label=_("category"), required=False)
    item_value = forms.DecimalField(label=_("estimated value (yuan)"), required=False, min_value=0, decimal_places=2)
    condition = forms.ChoiceField(label=_("condition"), choices=[("", "—"), *Condition.choices], required=False)
    explanation = forms.CharField(label=_("explanation"), required=False, max_length=500)


class ExplainForm(ActionForm):
    explanation = forms.CharField(label=_("explanation"), max_length=2000, widget=forms.TextInput())


class DamageRecordForm(SchoolScopedForm):
    asset_code = forms.CharField(label=_("asset code"), required=False, max_length=40)

    class Meta:
        model = DamageRecord
        fields = [
            "asset_code",
            "room",
            "responsible_class",
            "responsible_student",
            "responsible_person",
            "description",
            "occurred_on",
            "amount",
        ]
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    price_confirmed = forms.BooleanField(
        label=_("The amount is correct"),
        required=False,
        help_text=_("Tick only when asked: an unusually high amount must be confirmed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place_after(self, "price_confirmed", "amount")
        self.fields["room"].queryset = self.fields["room"].queryset.select_related("building")
        self.fields["responsible_student"].queryset = self.fields["responsible_student"].queryset.select_related(
            "school_class"
        )
        if self.instance.asset_id:
            self.fields["asset_code"].initial = self.instance.asset.code

    def clean_asset_code(self):
        code = self.cleaned_data.get("asset_code", "").strip()
        if not code:
            return None
        asset = Asset.objects.restrict(self.user, "view").in_school(self.school).filter(code=code).first()
        if asset is None:
            raise forms.ValidationError(_("No asset with this code."))
        return asset

    def clean(self):
        data = super().clean()
        if self.school is not None and "amount" in self.changed_data:
            try:
                check_damage_amount(self.school, data.get("amount"), data.get("price_confirmed"))
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data

    def save(self, commit=True):
        self.instance.asset = self.cleaned_data.get("asset_code")
        return super().save(commit)


DamageRecordForm.base_fields["responsible_class"].queryset = SchoolClass.objects.all()
DamageRecordForm.base_fields["responsible_student"].queryset = Student.objects.all()


class PaymentForm(StepForm):
    receipt_number = forms.CharField(label=_("receipt number"), required=False, max_length=60)
    receipt = forms.FileField(label=_("receipt"), required=False, validators=[validate_document])


class ImportUploadForm(UploadForm):
    """The ledger file; an unreadable one is refused with one message and nothing is stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("ledger file (XLSX or CSV)")
        self.fields["file"].help_text = _("First row: column headers. One asset per row.")


class MappingForm(BaseMappingForm):
    """One select per ledger field: which column of the file holds it."""

    option_fields = ("bulk_below_threshold", "old_codes")
    bulk_below_threshold = forms.BooleanField(
        label=_("Items below the threshold are bulk similar items (大批同类物资)"), required=False
    )
    old_codes = forms.BooleanField(
        label=_("The ledger's category codes are the old ones (before GB/T 14885-2022)"),
        required=False,
        help_text=_("Then A02010104 is read as 台式计算机 (now A02010105), not as 服务器."),
    )

    def __init__(self, *args, initial_mapping=None, **kwargs):
        from logistics.imports import registry

        kwargs.setdefault("importer", registry.get("assets.ledger"))
        super().__init__(*args, initial_mapping=initial_mapping, **kwargs)
        self.fields["bulk_below_threshold"].initial = bool((initial_mapping or {}).get("_bulk"))

    def options(self):
        return {
            "bulk": bool(self.cleaned_data.get("bulk_below_threshold")),
            "old_codes": bool(self.cleaned_data.get("old_codes")),
        }


LABEL_LAYOUTS = {"3x8": (3, 8), "2x5": (2, 5), "3x7": (3, 7), "4x10": (4, 10)}


class LabelsForm(ActionForm):
    layout = forms.ChoiceField(
        label=_("layout"),
        choices=[
            ("3x8", _("3 × 8 (24 per A4 sheet)")),
            ("3x7", _("3 × 7 (21)")),
            ("2x5", _("2 × 5 (10)")),
            ("4x10", _("4 × 10 (40)")),
        ],
        initial="3x8",
    )
