"""Forms of the people pages (staff, classes, students, guardians, invitations, district schools)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from logistics.accounts.roles import Role
from logistics.ui.forms import SchoolScopedForm

from . import phones, registry
from .choices import Relation
from .models import Grade, SchoolClass, Student
from .services.staff import SCHOOL_STAFF_ROLES


def style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PhoneField(forms.CharField):
    """A phone number, validated and returned normalised (a ``PhoneNumber``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("phone"))
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return phones.parse(value)


def role_choices():
    return [("", "---------"), *[(str(r), r.label) for r in SCHOOL_STAFF_ROLES]]


class RoleOptionsForm(forms.Form):
    """A role and what goes with it: a repair worker's trades, a guard's post, a teacher's classes."""

    role = forms.ChoiceField(label=_("role"), choices=role_choices)
    trades = forms.MultipleChoiceField(
        label=_("trades"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Repair workers: the trades whose tickets they take."),
    )
    post = forms.CharField(label=_("post"), max_length=50, required=False, help_text=_("Guards: e.g. 南门."))
    head_of = forms.ModelMultipleChoiceField(
        label=_("class teacher of"),
        queryset=SchoolClass.objects.none(),
        required=False,
        help_text=_("Teachers: the classes they head (班主任)."),
    )
    teaches = forms.ModelMultipleChoiceField(
        label=_("teaches"),
        queryset=SchoolClass.objects.none(),
        required=False,
        help_text=_("Teachers: the classes they teach."),
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        classes = SchoolClass.objects.filter(school=school, active=True).select_related("grade")
        self.fields["head_of"].queryset = classes
        self.fields["teaches"].queryset = classes
        trades = registry.trade_choices()
        if trades:
            self.fields["trades"].choices = trades
        else:
            self.fields["trades"] = forms.CharField(
                label=_("trades"), required=False, help_text=_("Repair workers: comma-separated trades.")
            )
        style(self)

    def role_options(self):
        data = self.cleaned_data
        trades = data.get("trades") or ""
        return {
            "role": data["role"],
            "trades": ",".join(trades) if isinstance(trades, list) else trades,
            "post": data.get("post", ""),
            "head_of": list(data.get("head_of") or []),
            "teaches": list(data.get("teaches") or []),
        }


class PersonForm(RoleOptionsForm):
    """A new staff member: name, phone, username (the phone number when left empty), optional email."""

    display_name = forms.CharField(label=_("full name"), max_length=100)
    phone = PhoneField()
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to sign in with the phone number."),
    )
    email = forms.EmailField(label=_("email"), required=False)

    field_order = ["display_name", "phone", "username", "email", "role", "trades", "post", "head_of", "teaches"]

    def clean_username(self):
        username = self.cleaned_data.get("username", "").strip()
        if username and get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username


class GradeForm(SchoolScopedForm):
    class Meta:
        model = Grade
        fields = ["name", "order"]


class SchoolClassForm(SchoolScopedForm):
    class Meta:
        model = SchoolClass
        fields = ["grade", "name", "head_teacher", "teachers", "room"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from logistics.tenancy.models import Membership

        teachers = Membership.objects.filter(school=self.school, role=Role.TEACHER, active=True).values("user_id")
        for name in ("head_teacher", "teachers"):
            self.fields[name].queryset = self.fields[name].queryset.filter(pk__in=teachers)
        self.fields["room"].queryset = self.fields["room"].queryset.select_related("building")


class StudentForm(SchoolScopedForm):
    class Meta:
        model = Student
        fields = ["name", "student_number", "gender", "school_class", "boarding", "photo", "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = self.fields["school_class"].queryset.filter(active=True)
        if self.instance.pk and self.instance.id_number:
            # the stored number is never sent to the browser: empty keeps it
            self.initial["id_number"] = ""
            self.fields["id_number"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.id_number_masked
            }

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        if not value and self.instance.pk:
            return self.instance.id_number
        return value


class GuardianForm(forms.Form):
    """Staff add a guardian to a student."""

    name = forms.CharField(label=_("full name"), max_length=100)
    phone = PhoneField()
    relation = forms.ChoiceField(label=_("relation"), choices=Relation.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class EndLinkForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class JoinForm(forms.Form):
    """A guardian accepts an invitation on a phone: code, phone number (their username), password."""

    code = forms.CharField(label=_("invitation code"), max_length=20)
    name = forms.CharField(label=_("your name"), max_length=100, required=False)
    phone = PhoneField(label=_("your mobile number"))
    relation = forms.ChoiceField(label=_("you are the student's"), choices=Relation.choices)
    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("New here: choose a password (8 or more characters). Already have an account: its password."),
    )

    def __init__(self, *args, signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            for name in ("name", "phone", "password"):
                del self.fields[name]
        style(self)


class SchoolCreateForm(forms.Form):
    """A district officer's new school: name, address slug, code, campuses, first principal and logistics head."""

    name = forms.CharField(label=_("name"), max_length=100)
    slug = forms.SlugField(label=_("address name"), help_text=_("Used in public addresses: /p/<slug>/"))
    code = forms.CharField(label=_("code"), max_length=12, help_text=_("Short prefix of reference numbers."))
    campuses = forms.CharField(
        label=_("campuses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; empty: one main campus."),
    )
    principal_name = forms.CharField(label=_("principal's name"), max_length=100)
    principal_phone = PhoneField(label=_("principal's phone"))
    head_name = forms.CharField(label=_("logistics head's name"), max_length=100)
    head_phone = PhoneField(label=_("logistics head's phone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class OfficerForm(forms.Form):
    display_name = forms.CharField(label=_("full name"), max_length=100)
    phone = PhoneField()
    username = forms.CharField(label=_("username"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
