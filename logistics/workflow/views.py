"""Pages built from the declared steps: the step's form page (GET) and the step itself (POST).

Mount one URL per model: ``path("tickets/<int:pk>/<str:step>/", StepPageView.as_view(queryset=…))``.
A step the user may not take is 403, a record they cannot see 404; a step the status does not allow
now, or invalid input, shows the form again with the message — nothing is lost and nothing changes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.ui.views import SchoolViewMixin

from . import guard
from .errors import StepNotAllowed
from .forms import NoInputForm
from .steps import get_step


class StepPageView(SchoolViewMixin, TemplateView):
    template_name = "workflow/step.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.spec = get_step(self.queryset.model, kwargs["step"])
        except KeyError as exc:
            raise Http404(_("No such step.")) from exc
        if not self.spec.has_page:  # taken only by another service: no page, never a form of its own
            raise Http404(_("No such step."))

    def get_object(self):
        obj = get_object_or_404(self.restricted("view").in_school(self.school_required()), pk=self.kwargs["pk"])
        if not guard.may(self.request.user, obj, self.spec):
            raise guard.forbidden(obj, self.spec)
        return obj

    def get_form(self, data=None, files=None):
        form_class = self.spec.form_class or NoInputForm
        return form_class(data, files, obj=self.object, user=self.request.user, prefix=self.spec.name)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.spec.allowed_from(guard.status_of(self.object, self.spec)):
            messages.error(request, str(guard.not_allowed(self.object, self.spec)))
            return redirect(self.object.get_absolute_url())
        if getattr(request, "htmx", False):  # the panel's fold opened: the form alone
            item = {"step": self.spec, "url": request.path, "form": self.get_form()}
            return self.response_class(request, "workflow/_step_form.html", {"item": item})
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.result = guard.run(self.object, self.spec.name, request.user, **self.step_input(form))
            except StepNotAllowed as exc:
                form.add_error(None, str(exc.message))
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, self.success_message())
                return redirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self):
        """Back to the record; a step whose service returns another record (``self.result``) may go
        there instead by overriding this."""
        return self.object.get_absolute_url()

    def step_input(self, form):
        return {name: value for name, value in form.cleaned_data.items()}

    def success_message(self):
        done = self.spec.extra.get("done_message")
        if done:
            return str(done)
        return _("%(step)s — now: %(status)s.") % {
            "step": self.spec.label,
            "status": guard.status_label(self.object, self.spec),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "step": self.spec,
                "title": f"{self.spec.label} · {self.object}",
                "status_label": guard.status_label(self.object, self.spec),
                "cancel_url": self.object.get_absolute_url(),
            }
        )
        return context
