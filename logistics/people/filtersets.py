"""One FilterSet per model, used by the list page and the API alike."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.imports.choices import ImportStatus
from logistics.ui.filtersets import BaseFilterSet

from .models import Grade, GuardianLink, PeopleImport, SchoolClass, Student


class YesNoFilter(django_filters.ChoiceFilter):
    """``?boarding=yes|no`` — a yes/no question shown as 是/否 (never True/False), empty = either."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", (("yes", _("Yes")), ("no", _("No"))))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("yes", "no"):
            return qs.filter(**{self.field_name: value == "yes"})
        return qs


class GradeFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Grade
        fields = ["school"]


class SchoolClassFilterSet(BaseFilterSet):
    search_fields = ("name",)
    grade = django_filters.ModelChoiceFilter(queryset=Grade.objects.all(), label=_("grade"))
    active = YesNoFilter(label=_("current"))

    class Meta:
        model = SchoolClass
        fields = ["school", "grade", "active", "head_teacher"]


class StudentFilterSet(BaseFilterSet):
    search_fields = ("name", "student_number")
    school_class = django_filters.ModelChoiceFilter(queryset=SchoolClass.objects.all(), label=_("class"))
    boarding = YesNoFilter(label=_("boarder"))
    active = YesNoFilter(label=_("enrolled"))

    class Meta:
        model = Student
        fields = ["school", "school_class", "gender", "boarding", "active"]


class GuardianLinkFilterSet(BaseFilterSet):
    search_fields = ("guardian__display_name", "student__name")
    student = django_filters.ModelChoiceFilter(queryset=Student.objects.all(), label=_("student"))

    class Meta:
        model = GuardianLink
        fields = ["school", "student", "relation"]


class StaffFilterSet(BaseFilterSet):
    """Staff of the current school (the view narrows to them): by name, username or phone, and by role."""

    search_fields = ("display_name", "username", "phone")
    role = django_filters.ChoiceFilter(label=_("role"), method="by_role", choices=())

    class Meta:
        model = get_user_model()
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services.staff import SCHOOL_STAFF_ROLES

        if "role" in self.filters:  # the API builds only the filters a request names
            self.filters["role"].extra["choices"] = [(str(r), r.label) for r in SCHOOL_STAFF_ROLES]
            self.form.fields["role"].choices = [("", "---------"), *self.filters["role"].extra["choices"]]

    def by_role(self, queryset, name, value):
        school = getattr(self.request, "school", None)
        return queryset.filter(memberships__school=school, memberships__role=value, memberships__active=True)


class PeopleImportFilterSet(BaseFilterSet):
    search_fields = ("original_name",)
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("status"))

    class Meta:
        model = PeopleImport
        fields = ["q", "status"]
