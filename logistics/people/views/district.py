"""A district officer's schools and district officers (教育局): list, create a school with its campuses and its
first principal and logistics head (first passwords shown once), give and take district roles."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts.roles import Role
from logistics.tenancy.models import Campus, Membership, School

from ..forms import OfficerForm, SchoolCreateForm
from ..models import Student
from ..services import schools as services


class DistrictMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.district = services.districts_of(request.user).order_by("pk").first()
            if self.district is None:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def crumbs(self, title):
        return [
            (_("Home"), reverse("dashboard:home")),
            (_("District schools"), reverse("people:district_school_list")),
            (title, None),
        ]


class SchoolListView(DistrictMixin, TemplateView):
    template_name = "people/district_schools.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        district = self.district
        context["district"] = district
        schools = list(School.objects.filter(district=district).order_by("name"))
        ids = [s.pk for s in schools]
        campuses = dict(Campus.objects.filter(school__in=ids).values_list("school").annotate(n=Count("pk")).order_by())
        # district officers see counts only (issue 8): no student row leaves this query
        students = dict(
            Student.objects.filter(school__in=ids, active=True).values_list("school").annotate(n=Count("pk")).order_by()
        )
        for school in schools:
            school.campus_count = campuses.get(school.pk, 0)
            school.student_count = students.get(school.pk, 0)
        context["schools"] = schools
        context["officers"] = Membership.objects.filter(
            district=district, role=Role.DISTRICT_OFFICER, active=True
        ).select_related("user")
        context["officer_form"] = kwargs.get("officer_form") or OfficerForm()
        context["title"] = _("District schools")
        context["breadcrumbs"] = [(_("Home"), reverse("dashboard:home")), (context["title"], None)]
        context["first_passwords"] = self.request.session.pop("houqin_first_passwords", None)
        return context

    def post(self, request):
        action = request.POST.get("action")
        if action == "revoke":
            from django.contrib.auth import get_user_model

            user = get_object_or_404(get_user_model(), pk=request.POST.get("user"))
            try:
                services.revoke_district_role(district=self.district, actor=request.user, user=user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("people:district_school_list")
        form = OfficerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(officer_form=form), status=400)
        user, password = services.grant_district_role(district=self.district, actor=request.user, **form.cleaned_data)
        request.session["houqin_first_passwords"] = [(str(user), user.username, password)] if password else None
        messages.success(request, _("%(name)s is a district officer.") % {"name": user})
        return redirect("people:district_school_list")


class SchoolCreateView(DistrictMixin, TemplateView):
    template_name = "people/district_school_add.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SchoolCreateForm())
        context["title"] = _("Add a school")
        context["breadcrumbs"] = self.crumbs(context["title"])
        return context

    def post(self, request):
        form = SchoolCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                school, people = services.create_school(
                    district=self.district,
                    actor=request.user,
                    name=data["name"],
                    slug=data["slug"],
                    code=data["code"],
                    campuses=[c for c in data["campuses"].splitlines() if c.strip()],
                    people=[
                        (Role.PRINCIPAL, data["principal_name"], data["principal_phone"], ""),
                        (Role.LOGISTICS_HEAD, data["head_name"], data["head_phone"], ""),
                    ],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                request.session["houqin_first_passwords"] = [
                    (f"{user} · {Role(role).label}", user.username, password) for user, role, password in people
                ]
                messages.success(request, _("School “%(school)s” created.") % {"school": school})
                return redirect("people:district_school_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)
