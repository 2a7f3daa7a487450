"""Staff and roles of the current school: list, add (first password shown once), a person's page with
grant, revoke, reset password and deactivate. For the principal and logistics head."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.audit.models import ChangeRecord
from logistics.tenancy.models import Membership
from logistics.ui.views import ObjectListView

from .. import registry
from ..filtersets import StaffFilterSet
from ..forms import PersonForm, RoleOptionsForm
from ..models import SchoolClass
from ..services import staff as services
from ..tables import StaffTable, yes_no


def staff_queryset(school):
    return services.staff_of(school).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(school=school, active=True).order_by("role"),
            to_attr="school_memberships",
        )
    )


class StaffMixin(LoginRequiredMixin):
    perm = "people.view_staff"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(request.user, self.perm, request.school):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffListView(StaffMixin, ObjectListView):
    template_name = "people/staff_list.html"
    #: rows are users (get_base_queryset); the class attribute names the school-scoped model they come from
    queryset = Membership.objects.none()
    filterset = StaffFilterSet
    table = StaffTable
    export_name = "staff"

    def get_base_queryset(self):
        return staff_queryset(self.school_required())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Staff and roles")
        context["breadcrumbs"] = [(_("Home"), reverse("dashboard:home")), (context["title"], None)]
        can_manage = permissions.has_perm(self.request.user, "people.manage_staff", self.request.school)
        context["add_url"] = reverse("people:staff_add") if can_manage else None
        context["first_passwords_url"] = reverse("people:staff_first_passwords") if can_manage else None
        return context


class FirstPasswordsView(StaffMixin, TemplateView):
    """First passwords for the staff an import made (they have none): GET says how many are waiting,
    POST gives each one a first password and shows the sheet once — to print and hand out. Nothing
    stores the passwords; a lost sheet means resetting those people's passwords."""

    perm = "people.manage_staff"
    template_name = "people/staff_first_passwords.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("First passwords")
        context["breadcrumbs"] = [
            (_("Home"), reverse("dashboard:home")),
            (_("Staff and roles"), reverse("people:staff_list")),
            (context["title"], None),
        ]
        context.setdefault("waiting", services.awaiting_first_password(self.request.school).count())
        return context

    def post(self, request, *args, **kwargs):
        issued = services.issue_first_passwords(school=request.school, actor=request.user)
        response = self.render_to_response(self.get_context_data(issued=issued, waiting=0))
        response["Cache-Control"] = "no-store"
        return response


class StaffAddView(StaffMixin, TemplateView):
    perm = "people.manage_staff"
    template_name = "people/staff_add.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PersonForm(school=self.request.school))
        context["title"] = _("Add a person")
        context["breadcrumbs"] = [
            (_("Home"), reverse("dashboard:home")),
            (_("Staff and roles"), reverse("people:staff_list")),
            (context["title"], None),
        ]
        return context

    def post(self, request):
        form = PersonForm(request.POST, school=request.school)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, password = services.add_person(
                    school=request.school,
                    actor=request.user,
                    display_name=data["display_name"],
                    phone=data["phone"],
                    username=data["username"],
                    email=data["email"],
                    **form.role_options(),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # the first password is shown on the next page, once (kept in the session until then)
                request.session["houqin_first_password"] = {"user": user.pk, "password": password}
                return redirect("people:staff_detail", pk=user.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StaffDetailView(StaffMixin, TemplateView):
    template_name = "people/staff_detail.html"

    def get_person(self):
        return get_object_or_404(services.staff_of(self.request.school), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school, user = self.request.school, self.request.user
        person = self.get_person()
        memberships = list(Membership.objects.filter(user=person, school=school).order_by("-active", "role"))
        for membership in memberships:
            membership.trade_labels = [str(registry.trade_label(t)) for t in membership.trade_list]
        shown = self.request.session.pop("houqin_first_password", None)
        ct_user = ContentType.objects.get_for_model(person)
        ct_membership = ContentType.objects.get_for_model(Membership)
        timeline = (
            ChangeRecord.objects.filter(school=school, action="event")
            .filter(
                Q(content_type=ct_user, object_id=person.pk)
                | Q(content_type=ct_membership, object_id__in=[m.pk for m in memberships])
            )
            .order_by("-time", "-pk")[:50]
        )
        context.update(
            {
                "person": person,
                "title": str(person),
                "memberships": memberships,
                "head_of": SchoolClass.objects.filter(school=school, head_teacher=person),
                "teaches": SchoolClass.objects.filter(school=school, teachers=person),
                "can_manage": permissions.has_perm(user, "people.manage_staff", school),
                "grant_form": kwargs.get("grant_form") or RoleOptionsForm(school=school),
                "first_password": shown["password"] if shown and shown.get("user") == person.pk else None,
                "timeline": list(timeline),
                "active_label": yes_no(person.is_active),
                "breadcrumbs": [
                    (_("Home"), reverse("dashboard:home")),
                    (_("Staff and roles"), reverse("people:staff_list")),
                    (str(person), None),
                ],
            }
        )
        return context

    def post(self, request, pk):
        if not permissions.has_perm(request.user, "people.manage_staff", request.school):
            raise PermissionDenied
        person = self.get_person()
        action = request.POST.get("action")
        school = request.school
        try:
            if action == "grant":
                form = RoleOptionsForm(request.POST, school=school)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(grant_form=form), status=400)
                services.grant_role(school=school, actor=request.user, user=person, **form.role_options())
                messages.success(request, _("Role given."))
            elif action == "revoke":
                services.revoke_role(school=school, actor=request.user, user=person, role=request.POST.get("role"))
                messages.success(request, _("Role taken away."))
            elif action == "reset":
                password = services.reset_password(school=school, actor=request.user, user=person)
                request.session["houqin_first_password"] = {"user": person.pk, "password": password}
            elif action == "deactivate":
                services.deactivate(school=school, actor=request.user, user=person)
                messages.success(request, _("%(name)s was deactivated.") % {"name": person})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("people:staff_detail", pk=person.pk)
