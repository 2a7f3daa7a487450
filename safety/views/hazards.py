"""Pages of the hazard register (隐患台账): the list (and its XLSX in the familiar layout), reporting a
hazard from the phone, one hazard with its steps and repair tickets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.corrective.photos import photos_of
from logistics.corrective.views import CorrectiveActionCreateView
from logistics.ui.views import ObjectDetailView, ObjectListView, SchoolViewMixin, breadcrumbs_for
from logistics.workflow.views import StepPageView

from .. import hazards
from ..filtersets import HazardFilterSet
from ..forms import HazardForm, RepairTicketForm
from ..models import Hazard
from ..tables import HazardTable

QUERYSET = Hazard.objects.select_related("room__building", "owner", "found_by")


class HazardListView(ObjectListView):
    queryset = QUERYSET
    filterset = HazardFilterSet
    table = HazardTable
    template_name = "safety/hazard_list.html"
    export_name = "hazards"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "register":
            queryset = self.get_base_queryset().select_related("verified_by").order_by("found_at", "pk")
            filterset = HazardFilterSet(request.GET, queryset=queryset, request=request)
            if filterset.is_valid():
                queryset = filterset.qs
            body = hazards.register_xlsx(self.school_required(), queryset)
            response = HttpResponse(
                body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            stamp = timezone.localtime().strftime("%Y%m%d")
            response["Content-Disposition"] = f'attachment; filename="hazard-register-{stamp}.xlsx"'
            return response
        return super().get(request, *args, **kwargs)


class HazardCreateView(CorrectiveActionCreateView):
    """Report a hazard in under a minute: what, where, a photo (the platform's report page, as a hazard)."""

    queryset = Hazard.objects.all()
    add_perm = "safety.add_hazard"
    form_class = HazardForm
    cancel_url_name = "safety:hazard_list"

    def refused_message(self):
        return _("You may not report hazards in this school.")

    def page_title(self):
        return _("Report a hazard")

    def open(self, data):
        return hazards.report_hazard(**self.report_fields(data))

    def reported_message(self, hazard):
        return _("Hazard %(ref)s was reported.") % {"ref": hazard.reference}


class HazardDetailView(ObjectDetailView):
    queryset = QUERYSET.select_related("rectified_by", "verified_by", "assigned_by", "closed_by", "source_type")
    template_name = "safety/hazard_detail.html"

    def get_object(self):
        return get_object_or_404(self.restricted().in_school(self.school_required()), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hazard = self.object
        user = self.request.user
        can_ticket = permissions.has_perm(user, "safety.add_hazardticket", hazard.school_id) and hazard.status in (
            "found",
            "assigned",
        )
        source = hazard.source if hazard.source_type_id else None
        context.update(
            {
                "action": hazard,
                "photos": photos_of(hazard),
                "source": source,
                "source_url": getattr(source, "get_absolute_url", lambda: None)() if source is not None else None,
                "overdue": hazard.is_overdue(),
                "step_url": "safety:hazard_step",
                "tickets": hazards.tickets_of(hazard),
                "ticket_form": RepairTicketForm(obj=hazard, user=user, prefix="ticket") if can_ticket else None,
                "breadcrumbs": breadcrumbs_for(hazard),
            }
        )
        return context


class HazardStepView(StepPageView):
    queryset = Hazard.objects.select_related("room__building", "school")


class HazardRepairTicketView(SchoolViewMixin, TemplateView):
    """Open a repair ticket for the hazard (POST; the form is on the hazard's page)."""

    queryset = Hazard.objects.all()
    template_name = "ui/edit.html"

    def post(self, request, *args, **kwargs):
        hazard = get_object_or_404(self.restricted().in_school(self.school_required()), pk=kwargs["pk"])
        if not permissions.has_perm(request.user, "safety.add_hazardticket", hazard.school_id):
            raise PermissionDenied(_("You may not open repair tickets for hazards."))
        form = RepairTicketForm(request.POST, obj=hazard, user=request.user, prefix="ticket")
        if form.is_valid():
            try:
                ticket = hazards.open_repair_ticket(hazard, request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, _("Repair ticket %(ref)s was opened.") % {"ref": ticket.reference})
                return redirect(hazard)
        context = {"form": form, "title": _("Open a repair ticket"), "cancel_url": hazard.get_absolute_url()}
        return self.render_to_response(context, status=400)
