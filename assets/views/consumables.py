"""Pages of the low-value consumables book (低值易耗品): items, stock, issue requests."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.accounts.permissions import has_perm
from logistics.tenancy.models import Room
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView

from .. import services
from ..choices import IssueStatus
from ..filtersets import ConsumableFilterSet, IssueRequestFilterSet
from ..forms import ConsumableForm, IssueDecisionForm, IssueRequestForm, ReceiveForm
from ..models import Consumable, ConsumableStock, IssueRequest, StockMovement
from ..tables import ConsumableTable, IssueRequestTable, StockMovementTable
from .base import StepView, run_step


class ConsumableListView(ObjectListView):
    queryset = Consumable.objects.all()
    filterset = ConsumableFilterSet
    table = ConsumableTable
    template_name = "assets/consumable_list.html"


class ConsumableDetailView(ObjectDetailView):
    queryset = Consumable.objects.all()
    template_name = "assets/consumable_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context.update(
            {
                "stocks": list(ConsumableStock.objects.filter(consumable=item).select_related("store__building")),
                "movements": list(
                    StockMovement.objects.filter(consumable=item).select_related("store", "created_by")[:30]
                ),
                "can_receive": has_perm(user, "assets.receive_consumable", item.school_id),
                "can_request": has_perm(user, "assets.add_issuerequest", item.school_id),
                "delete_url": None,
            }
        )
        return context


class ConsumableEditView(ObjectEditView):
    queryset = Consumable.objects.all()
    form_class = ConsumableForm


class ReceiveView(StepView):
    queryset = Consumable.objects.all()
    action = "receive"
    form_class = ReceiveForm
    title = _("Receive into stock")

    def run(self, item, form):
        data = form.cleaned_data
        return services.receive_stock(
            consumable=item,
            store=data["store"],
            quantity=data["quantity"],
            user=self.request.user,
            reason=data["reason"],
            unit_price=data["unit_price"],
        )

    def success_message(self, obj):
        return _("Received.")


class StockMovementListView(ObjectListView):
    queryset = StockMovement.objects.select_related("consumable", "store")
    table = StockMovementTable
    title = _("Stock movements")

    def get_base_queryset(self):
        # visible to whoever sees the consumables book
        school = self.school_required()
        visible = Consumable.objects.restrict(self.request.user, "view").in_school(school)
        return self.queryset.filter(school=school, consumable__in=visible)


class IssueRequestListView(ObjectListView):
    queryset = IssueRequest.objects.select_related("consumable", "requester")
    filterset = IssueRequestFilterSet
    table = IssueRequestTable


class IssueRequestDetailView(ObjectDetailView):
    queryset = IssueRequest.objects.select_related("consumable", "requester", "decided_by", "store")
    template_name = "assets/issuerequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["can_decide"] = obj.status == IssueStatus.REQUESTED and has_perm(
            self.request.user, "assets.approve_issuerequest", obj.school_id
        )
        context["decision_form"] = IssueDecisionForm(user=self.request.user, school=obj.school)
        context["stocks"] = list(
            ConsumableStock.objects.filter(consumable_id=obj.consumable_id).select_related("store__building")
        )
        context["edit_url"] = context["delete_url"] = None
        return context


class IssueRequestAddView(ObjectEditView):
    """A member of staff asks for consumables; the request waits for approval."""

    queryset = IssueRequest.objects.all()
    form_class = IssueRequestForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        consumable = self.request.GET.get("consumable")
        if consumable and data is None:
            form.fields["consumable"].initial = consumable
        return form

    def save(self, form):
        data = form.cleaned_data
        return services.request_issue(
            consumable=data["consumable"], quantity=data["quantity"], purpose=data["purpose"], user=self.request.user
        )


@login_required
@require_POST
def issue_decide(request, pk, step):
    obj = get_object_or_404(IssueRequest.objects.restrict(request.user, "view"), pk=pk)
    note = request.POST.get("note", "").strip()
    if step == "approve":
        store_id = request.POST.get("store") or None
        store = Room.objects.filter(pk=store_id, school_id=obj.school_id).first() if store_id else None
        return run_step(
            request,
            lambda: services.approve_issue(request=obj, user=request.user, store=store, note=note),
            _("Approved and issued."),
            obj,
        )
    return run_step(
        request,
        lambda: services.reject_issue(request=obj, user=request.user, note=note),
        _("Rejected."),
        obj,
    )
