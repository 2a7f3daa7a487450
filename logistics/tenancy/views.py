from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui import nav
from logistics.ui.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)

from . import rules
from .filtersets import BuildingFilterSet, CampusFilterSet, RoomFilterSet
from .forms import BuildingForm, CampusForm, RoomForm
from .middleware import SESSION_KEY
from .models import Building, Campus, Room, School
from .tables import BuildingTable, CampusTable, RoomTable


@login_required
@require_POST
def switch_school(request):
    """Make another of the user's schools the current one."""
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = None
    if school_id in permissions.school_ids(request.user) or (
        request.user.is_superuser and School.objects.filter(pk=school_id).exists()
    ):
        request.session[SESSION_KEY] = school_id
    else:
        messages.error(request, _("You are not a member of that school."))
    # Back to the page the switcher was on (the header is cached, so it carries no ``next``).
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


class RulesView(LoginRequiredMixin, TemplateView):
    """The rules with numbers in force for the current school, each with its source; the logistics
    head (or principal) sets the school's own values of local rules."""

    template_name = "tenancy/rules.html"

    def can_change(self):
        return permissions.has_perm(self.request.user, "tenancy.change_school", self.request.school)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        if not school:
            raise PermissionDenied
        posted = kwargs.get("posted") or {}
        overrides = school.rule_overrides or {}
        rows = []
        for rule in rules.all_rules():
            value = rules.value(school, rule.key)
            own = overrides.get(rule.key)
            if rule.kind is bool:
                own_input = "" if rule.key not in overrides else ("yes" if own else "no")
            else:
                own_input = "" if rule.key not in overrides else (rule.display(own) if rule.clock else str(own))
            rows.append(
                {
                    "rule": rule,
                    "switch": rule.kind is bool,
                    "value": rule.display(value),
                    "deployment": rule.display(rules.deployment_value(rule.key)),
                    "overridden": rule.key in overrides,
                    "input": posted.get(rule.key, own_input),  # what the person typed stays after an error
                    "error": kwargs.get("errors", {}).get(rule.key),
                }
            )
        context["rows"] = rows
        context["can_change"] = self.can_change()
        context["title"] = _("Rules")
        return context

    def post(self, request, *args, **kwargs):
        if not request.school or not self.can_change():
            raise PermissionDenied
        school = School.objects.get(pk=request.school.pk)
        errors = {}
        for rule in rules.all_rules():
            if not rule.local or f"rule:{rule.key}" not in request.POST:
                continue
            try:
                rules.set_value(school, rule.key, request.POST[f"rule:{rule.key}"].strip())
            except ValidationError as exc:
                errors[rule.key] = exc.messages[0]
        if errors:
            for key, message in errors.items():
                messages.error(request, f"{rules.get_rule(key).label}: {message}")
            posted = {key[5:]: value.strip() for key, value in request.POST.items() if key.startswith("rule:")}
            return self.render_to_response(self.get_context_data(posted=posted, errors=errors), status=400)
        with transaction.atomic():
            school.save(update_fields=["rule_overrides", "updated", "updated_by"])
        messages.success(request, _("The rules were saved."))
        return redirect("tenancy:rules")


class CampusListView(ObjectListView):
    queryset = Campus.objects.all()
    filterset = CampusFilterSet
    table = CampusTable


class CampusDetailView(ObjectDetailView):
    queryset = Campus.objects.all()
    fields = ("name", "address")


class CampusEditView(ObjectEditView):
    queryset = Campus.objects.all()
    form_class = CampusForm


class CampusDeleteView(ObjectDeleteView):
    queryset = Campus.objects.all()


class BuildingListView(ObjectListView):
    queryset = Building.objects.select_related("campus")
    filterset = BuildingFilterSet
    table = BuildingTable
    template_name = "tenancy/building_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["place_links"] = nav.links_for(self.request.user, self.request.school, "buildings")
        return context


class BuildingDetailView(ObjectDetailView):
    queryset = Building.objects.select_related("campus")
    fields = ("name", "code", "campus", "floors")


class BuildingEditView(ObjectEditView):
    queryset = Building.objects.all()
    form_class = BuildingForm


class BuildingDeleteView(ObjectDeleteView):
    queryset = Building.objects.all()


class RoomListView(ObjectListView):
    queryset = Room.objects.select_related("building")
    filterset = RoomFilterSet
    table = RoomTable
    template_name = "tenancy/room_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["place_links"] = nav.links_for(self.request.user, self.request.school, "rooms")
        return context


class RoomDetailView(ObjectDetailView):
    queryset = Room.objects.select_related("building", "building__campus")
    fields = ("name", "code", "building", "floor", "kind")


class RoomEditView(ObjectEditView):
    queryset = Room.objects.all()
    form_class = RoomForm


class RoomDeleteView(ObjectDeleteView):
    queryset = Room.objects.all()
