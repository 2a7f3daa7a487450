"""Shared view pieces: one page per business step (a form, a service call, a message)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.tenancy.workflow import StepNotAllowed
from logistics.ui.views import SchoolViewMixin


def error_text(exc):
    if isinstance(exc, StepNotAllowed):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class StepView(SchoolViewMixin, TemplateView):
    """GET shows the step's form for the object; POST runs the service.

    ``action`` is the permission checked through ``restrict()`` (``transfer`` →
    ``assets.transfer_asset``) — an object the user may not act on is 404.
    """

    template_name = "assets/step.html"
    form_class = None
    title = ""
    action = "change"
    submit_label = None
    danger = False

    def get_object(self):
        return get_object_or_404(self.restricted(self.action).in_school(self.school_required()), pk=self.kwargs["pk"])

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, user=self.request.user, school=self.request.school)

    def run(self, obj, form):
        raise NotImplementedError

    def success_message(self, obj):
        return _("Done.")

    def success_url(self, obj, result):
        return obj.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.run(self.object, form)
            except (ValidationError, StepNotAllowed, PermissionDenied) as exc:
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error_text(exc))
            else:
                messages.success(request, self.success_message(self.object))
                return redirect(self.success_url(self.object, result))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "title": f"{self.title} · {self.object}",
                "step_title": self.title,
                "submit_label": self.submit_label or self.title,
                "danger": self.danger,
                "cancel_url": self.object.get_absolute_url(),
            }
        )
        return context


def run_step(request, fn, success, obj):
    """POST-only buttons: run ``fn()``, show the outcome, go back to ``obj``."""
    try:
        fn()
    except (ValidationError, StepNotAllowed, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(obj.get_absolute_url())
