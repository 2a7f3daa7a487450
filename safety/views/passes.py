"""Pages of the leave passes: the list, asking for one (class teacher or guardian), the pass with its
steps and — for the guardian — its QR code, the guard's list of today's passes and the page the
guard's phone opens from the pass's QR code (why a pass cannot be used, in words)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui.links import absolute
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin
from logistics.workflow.views import StepPageView

from .. import passes, qr
from ..choices import PassStatus
from ..forms import DutyLeaderForm, LeavePassForm
from ..models import DutyLeader, LeavePass
from ..tables import DutyLeaderTable, LeavePassTable

QUERYSET = LeavePass.objects.select_related("student__school_class")


class LeavePassListView(ObjectListView):
    queryset = QUERYSET
    table = LeavePassTable
    export_name = "leave-passes"


class LeavePassCreateView(SchoolViewMixin, TemplateView):
    queryset = LeavePass.objects.all()
    template_name = "ui/edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.has_perm(request.user, "safety.add_leavepass", self.school_required()):
            raise PermissionDenied(_("You may not ask for leave passes in this school."))
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return LeavePassForm(data, user=self.request.user, school=self.request.school)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                leave_pass = passes.request_pass(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                for field, errors in getattr(exc, "error_dict", {None: getattr(exc, "error_list", [str(exc)])}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The leave pass was sent for approval."))
                return redirect(leave_pass)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"title": _("Ask for a leave pass"), "cancel_url": reverse("safety:leavepass_list")})
        return context


class LeavePassDetailView(ObjectDetailView):
    queryset = QUERYSET.select_related("teacher_approved_by", "leader_approved_by", "requested_by")
    template_name = "safety/leavepass_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        leave_pass = self.object
        url = absolute(reverse("safety:pass_scan", args=[leave_pass.token]), self.request)
        context.update(
            {
                "pass": leave_pass,
                "qr": qr.qr_data_uri(url, scale=6) if leave_pass.status == PassStatus.APPROVED else None,
                "refusal": passes.why_not_usable(leave_pass),
            }
        )
        return context


class LeavePassStepView(StepPageView):
    queryset = QUERYSET


class PassGateView(SchoolViewMixin, TemplateView):
    """The guard's list: today's passes (and those still out), found by the student's name."""

    queryset = LeavePass.objects.all()
    template_name = "safety/pass_gate.html"
    action = "gate"

    def get(self, request, *args, **kwargs):
        """``?code=`` — what the in-page scanner read from a guardian's pass (``/safety/p/<token>/``, or
        the token typed): opens that pass, or says it is not one of this school's."""
        code = request.GET.get("code", "").strip()
        if code:
            token = code.split("/safety/p/", 1)[1].split("/", 1)[0] if "/safety/p/" in code else code
            found = self.restricted().in_school(self.school_required()).filter(token=token).first()
            if found is not None:
                return redirect(found)
            self.code_not_found = code
            # a pass of this school for another day (the guard sees today's only): say so, nothing more
            other = (
                LeavePass.objects.in_school(self.school_required())
                .filter(token=token)
                .exclude(status=PassStatus.CANCELLED)
                .values_list("leave_at", flat=True)
                .first()
            )
            if other is not None:
                self.other_day = timezone.localtime(other).date()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_required()
        today = timezone.localdate()
        start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        rows = (
            self.restricted()
            .in_school(school)
            .filter(Q(leave_at__gte=start, leave_at__lt=start + datetime.timedelta(days=1)) | Q(status=PassStatus.OUT))
            .select_related("student__school_class")
        )
        q = self.request.GET.get("q", "").strip()
        if q:
            rows = rows.filter(student__name__icontains=q)
        items = list(rows.order_by("leave_at", "pk")[:200])
        for item in items:
            item.refusal = passes.why_not_usable(item)
        context.update(
            {
                "title": _("Leave passes at the gate"),
                "passes": items,
                "q": q,
                "code": getattr(self, "code_not_found", ""),
                "code_not_found": bool(getattr(self, "code_not_found", "")),
                "other_day": getattr(self, "other_day", None),
            }
        )
        return context


class PassScanView(SchoolViewMixin, TemplateView):
    """The address in the guardian's pass QR code: the guard's phone opens the pass to record it."""

    queryset = LeavePass.objects.all()

    def get(self, request, token):
        leave_pass = self.restricted("view").filter(token=token).first()
        if leave_pass is not None:
            return redirect(leave_pass)
        if permissions.scopes_for(request.user, "safety.gate_leavepass"):  # a guard: the gate page says why
            return redirect(f"{reverse('safety:pass_gate')}?{urlencode({'code': token})}")
        raise Http404


class DutyLeaderListView(ObjectListView):
    queryset = DutyLeader.objects.select_related("leader")
    table = DutyLeaderTable


class DutyLeaderEditView(ObjectEditView):
    queryset = DutyLeader.objects.all()
    form_class = DutyLeaderForm
