"""Pages of the corrective actions: the register, reporting one, one action with its step panel, and
each step's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui.views import ObjectDetailView, ObjectListView, SchoolViewMixin, breadcrumbs_for
from logistics.workflow.views import StepPageView

from . import services
from .filtersets import CorrectiveActionFilterSet
from .forms import ActionForm
from .models import CorrectiveAction
from .photos import photos_of
from .tables import CorrectiveActionTable

QUERYSET = CorrectiveAction.objects.select_related("room__building", "owner", "found_by")


class CorrectiveActionListView(ObjectListView):
    queryset = QUERYSET
    filterset = CorrectiveActionFilterSet
    table = CorrectiveActionTable
    export_name = "corrective-actions"


class CorrectiveActionCreateView(SchoolViewMixin, TemplateView):
    """Report something that must be put right, from a phone: what, where, a photo. An app reporting its
    own kind (safety's hazards) subclasses it and overrides ``add_perm``, ``form_class``, ``cancel_url_name``
    and the four small methods below."""

    queryset = CorrectiveAction.objects.all()
    template_name = "ui/edit.html"
    add_perm = "corrective.add_correctiveaction"
    form_class = ActionForm
    cancel_url_name = "corrective:correctiveaction_list"

    def refused_message(self):
        return _("You may not report corrective actions in this school.")

    def page_title(self):
        return _("Report something to put right")

    def open(self, data):
        """Open the action from the form's cleaned ``data`` (raises ``ValidationError`` field → message)."""
        return services.open_action(origin=data["origin"], **self.report_fields(data))

    def reported_message(self, action):
        return _("%(ref)s was reported.") % {"ref": action.reference}

    def report_fields(self, data):
        """What every report passes on, whatever opens it."""
        return {
            "school": self.request.school,
            "actor": self.request.user,
            "title": data["title"],
            "description": data["description"],
            "place": data.get("room") or data.get("spot"),
            "level": data["level"],
            "photos": [data["photo"]] if data.get("photo") else (),
        }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.has_perm(request.user, self.add_perm, self.school_required()):
            raise PermissionDenied(self.refused_message())
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None, files=None):
        return self.form_class(data, files, user=self.request.user, school=self.request.school)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                action = self.open(form.cleaned_data)
            except ValidationError as exc:
                for field, errors in (exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, self.reported_message(action))
                return redirect(action)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.page_title()
        context["cancel_url"] = reverse(self.cancel_url_name)
        return context


class CorrectiveActionDetailView(ObjectDetailView):
    queryset = QUERYSET.select_related("rectified_by", "verified_by", "assigned_by", "closed_by", "source_type")
    template_name = "corrective/correctiveaction_detail.html"

    def get_object(self):
        return get_object_or_404(self.restricted().in_school(self.school_required()), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.object
        source = action.source if action.source_type_id else None
        context.update(
            {
                "action": action,
                "photos": photos_of(action),
                "source": source,
                "source_url": getattr(source, "get_absolute_url", lambda: None)() if source is not None else None,
                "overdue": action.is_overdue(),
                "step_url": "corrective:correctiveaction_step",
                "breadcrumbs": breadcrumbs_for(action),
            }
        )
        return context


class CorrectiveActionStepView(StepPageView):
    queryset = CorrectiveAction.objects.select_related("room__building", "school")
