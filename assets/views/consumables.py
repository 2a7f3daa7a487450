"""Pages of the low-value consumables book (低值易耗品): items, stock, issue requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts.permissions import has_perm
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin
from logistics.workflow.views import StepPageView

from .. import services
from ..filtersets import ConsumableFilterSet, IssueRequestFilterSet
from ..forms import ConsumableForm, IssueRequestForm, ReceiveForm
from ..models import Consumable, ConsumableStock, IssueRequest, StockMovement
from ..tables import ConsumableTable, IssueRequestTable, StockMovementTable


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


class ReceiveView(SchoolViewMixin, TemplateView):
    """Receive a consumable into a store room (入库): an action on the stock, not a status step."""

    queryset = Consumable.objects.all()
    template_name = "assets/receive.html"

    def get_object(self):
        return get_object_or_404(self.restricted("receive").in_school(self.school_required()), pk=self.kwargs["pk"])

    def get_form(self, data=None):
        return ReceiveForm(data, user=self.request.user, school=self.object.school)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.receive_stock(
                    consumable=self.object,
                    store=data["store"],
                    quantity=data["quantity"],
                    user=request.user,
                    reason=data["reason"],
                    unit_price=data["unit_price"],
                    price_confirmed=data.get("price_confirmed", False),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Received."))
                return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"object": self.object, "title": f"{_('Receive into stock')} · {self.object}"})
        return context


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


class IssueRequestStepView(StepPageView):
    """Approve and issue, or reject — declared on ``IssueRequest``."""

    queryset = IssueRequest.objects.all()
