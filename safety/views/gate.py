"""Pages of the gate register: the guard's gate page (check in, who is still inside, check out), the
visitors (ID numbers masked; the logistics head may see one whole, recorded), vehicles and goods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin
from logistics.workflow import StepNotAllowed, guard
from logistics.workflow.views import StepPageView

from .. import gate
from ..choices import VisitStatus
from ..forms import GateGoodsForm, VehicleForm, VisitorForm
from ..models import GateGoods, VehicleEntry, Visitor
from ..tables import GateGoodsTable, VehicleTable, VisitorTable


class GateView(SchoolViewMixin, TemplateView):
    """The guard's phone at the gate: a visitor in under 30 seconds, and who is still inside."""

    queryset = Visitor.objects.all()
    template_name = "safety/gate.html"
    action = "add"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.has_perm(request.user, "safety.add_visitor", self.school_required()):
            raise PermissionDenied(_("You may not register visitors in this school."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=VisitorForm(school=request.school)))

    def post(self, request, *args, **kwargs):
        form = VisitorForm(request.POST, school=request.school)
        if form.is_valid():
            try:
                visitor = gate.check_in(school=request.school, guard=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in (exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if visitor.status == VisitStatus.WAITING:
                    messages.warning(
                        request, _("%(name)s waits for the host's approval (lesson time).") % {"name": visitor.name}
                    )
                else:
                    messages.success(request, _("%(name)s is in.") % {"name": visitor.name})
                return redirect("safety:gate")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        visible = Visitor.objects.restrict(self.request.user, "view").in_school(school)
        context.update(
            {
                "title": _("Gate"),
                "inside": list(
                    visible.filter(status__in=[VisitStatus.INSIDE, VisitStatus.WAITING])
                    .select_related("host")
                    .order_by("-checked_in_at")[:100]
                ),
                "vehicles": list(
                    VehicleEntry.objects.restrict(self.request.user, "view")
                    .in_school(school)
                    .filter(out_at__isnull=True)
                    .order_by("-in_at")[:50]
                ),
                "lessons": gate.in_lesson_time(school),
            }
        )
        return context


class VisitorListView(ObjectListView):
    queryset = Visitor.objects.select_related("host")
    table = VisitorTable
    export_name = "visitors"


class VisitorDetailView(ObjectDetailView):
    queryset = Visitor.objects.select_related("host", "approved_by")
    template_name = "safety/visitor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visitor"] = self.object
        context["can_reveal"] = bool(self.object.id_number) and gate.may_reveal(self.request.user, self.object)
        return context


class VisitorStepView(StepPageView):
    queryset = Visitor.objects.select_related("school")


@login_required
@require_POST
def check_out_visitor(request, pk):
    """The one-tap check-out from the gate page."""
    visitor = get_object_or_404(Visitor.objects.restrict(request.user, "view"), pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("safety:gate")  # only back to a page of this site
    try:
        guard.run(visitor, "check_out", request.user)
    except StepNotAllowed:  # left already (another guard, an old page) or still waiting for the host
        if visitor.status == VisitStatus.WAITING:
            messages.warning(request, _("%(name)s still waits for the host's approval.") % {"name": visitor.name})
        else:
            messages.info(request, _("%(name)s has already left.") % {"name": visitor.name})
        return redirect(back)
    messages.success(request, _("%(name)s has left.") % {"name": visitor.name})
    return redirect(back)


@login_required
@require_POST
def reveal_id_number(request, pk):
    """The whole ID number in place of the masked one (htmx) — the logistics head only, recorded."""
    visitor = get_object_or_404(Visitor.objects.restrict(request.user, "view"), pk=pk)
    number = gate.reveal_id_number(visitor, request.user)
    return render(request, "safety/_visitor_id.html", {"visitor": visitor, "number": number})


class VehicleListView(ObjectListView):
    queryset = VehicleEntry.objects.all()
    table = VehicleTable
    export_name = "vehicles"


class VehicleEditView(ObjectEditView):
    queryset = VehicleEntry.objects.all()
    form_class = VehicleForm

    def get_success_url(self, obj):
        return reverse("safety:gate")


@login_required
@require_POST
def check_out_vehicle(request, pk):
    entry = get_object_or_404(VehicleEntry.objects.restrict(request.user, "change"), pk=pk)
    try:
        gate.check_out_vehicle(entry, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("safety:gate"))


class GateGoodsListView(ObjectListView):
    queryset = GateGoods.objects.all()
    table = GateGoodsTable
    export_name = "gate-goods"


class GateGoodsEditView(ObjectEditView):
    queryset = GateGoods.objects.all()
    form_class = GateGoodsForm
