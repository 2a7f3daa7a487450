"""Pages of the fixed-asset ledger: cards, movements, loans, disposals, valuation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from logistics.accounts.permissions import has_perm
from logistics.attachments.models import Attachment
from logistics.attachments.validators import validate_document
from logistics.ui.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin
from logistics.workflow import StepNotAllowed, ensure_editable, is_read_only
from logistics.workflow.views import StepPageView

from .. import depreciation, hooks, services
from ..choices import ASSET_STATUS_COLOURS, StockTakeStatus
from ..filtersets import (
    AssetFilterSet,
    AssetLoanFilterSet,
    AssetMovementFilterSet,
    CategoryFilterSet,
    DisposalRequestFilterSet,
)
from ..forms import AcquireForm, AssetForm, CategoryForm
from ..models import Asset, AssetLoan, AssetMovement, Category, DamageRecord, DisposalRequest, StockTake, StockTakeLine
from ..tables import AssetLoanTable, AssetMovementTable, AssetTable, CategoryTable, DisposalRequestTable

SCAN_SESSION_KEY = "assets_scan"
VALUE_PERM = "assets.view_value_asset"


# --- asset cards --------------------------------------------------------------------------------


class AssetListView(ObjectListView):
    queryset = Asset.objects.select_related("category", "room__building", "custodian")
    filterset = AssetFilterSet
    table = AssetTable
    template_name = "assets/asset_list.html"
    export_name = "assets"

    def get_context_data(self, **kwargs):
        from ..forms import LabelsForm

        context = super().get_context_data(**kwargs)
        context["label_layouts"] = LabelsForm.base_fields["layout"].choices
        return context


class AssetDetailView(ObjectDetailView):
    queryset = Asset.objects.select_related("category", "room__building", "custodian", "school")
    template_name = "assets/asset_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asset, user, request = self.object, self.request.user, self.request
        school = asset.school
        show_value = has_perm(user, VALUE_PERM, school)
        context.update(
            {
                "status_colour": ASSET_STATUS_COLOURS.get(asset.status, "secondary"),
                "show_value": show_value,
                "as_of": _as_of(self.request),
                "valuation": depreciation.value_of(asset, _as_of(self.request)) if show_value else None,
                "schedule": depreciation.schedule(asset) if show_value else [],
                "movements": list(
                    AssetMovement.objects.filter(asset=asset).select_related(
                        "from_room", "to_room", "to_custodian", "created_by"
                    )[:50]
                ),
                "open_loan": AssetLoan.objects.filter(asset=asset, returned_on__isnull=True).first(),
                "damages": list(DamageRecord.objects.restrict(user, "view").filter(asset=asset)[:20]),
                "panels": hooks.panels_for(asset, request),
                "report_fault_url": hooks.report_fault_url(asset),
                "attachments": list(
                    Attachment.objects.filter(
                        content_type=ContentType.objects.get_for_model(Asset), object_id=asset.pk, school=school
                    )
                ),
                "can_attach": has_perm(user, "assets.change_asset", school) and not is_read_only(asset),
                "scan": self.scan_context(asset),
                "edit_url": context["edit_url"],
                "delete_url": None,
            }
        )
        return context

    def scan_context(self, asset):
        """When the user is scanning a room in a stock-take, the asset page records the scan."""
        state = self.request.session.get(SCAN_SESSION_KEY) or {}
        if not state.get("stocktake"):
            return None
        stocktake = (
            StockTake.objects.restrict(self.request.user, "scan")
            .filter(pk=state["stocktake"], school_id=asset.school_id, status=StockTakeStatus.IN_PROGRESS)
            .first()
        )
        if stocktake is None:
            return None
        from logistics.tenancy.models import Room

        room = Room.objects.filter(pk=state.get("room"), school_id=asset.school_id).select_related("building").first()
        line = StockTakeLine.objects.filter(stocktake=stocktake, asset=asset).select_related("found_room").first()
        return {"stocktake": stocktake, "room": room, "line": line}


class AssetAcquireView(ObjectEditView):
    """Acquisition (登记入帐): quantity N makes N cards."""

    queryset = Asset.objects.all()
    form_class = AcquireForm

    def get(self, request, *args, **kwargs):
        from ..categories import ensure_default_categories

        if request.school:
            ensure_default_categories(request.school)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            quantity = data.pop("quantity")
            try:
                with transaction.atomic():
                    created = services.acquire_assets(
                        school=self.object.school, user=request.user, quantity=quantity, **data
                    )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(n)s asset cards created: %(first)s … %(last)s")
                    % {"n": len(created), "first": created[0].code, "last": created[-1].code},
                )
                if len(created) == 1:
                    return redirect(created[0].get_absolute_url())
                return redirect("assets:asset_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AssetEditView(ObjectEditView):
    queryset = Asset.objects.all()
    form_class = AssetForm

    def get_object(self):
        if "pk" not in self.kwargs:
            raise Http404
        return super().get_object()


def asset_by_label(request, code):
    """A label's QR code opens ``/assets/l/<code>/``: the asset's page (in the user's schools)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    assets = Asset.objects.restrict(request.user, "view").filter(code=code)
    school = request.school
    asset = (assets.filter(school=school).first() if school else None) or assets.first()
    if asset is None:
        raise Http404
    return redirect(asset.get_absolute_url())


class AssetStepView(StepPageView):
    """The page of each step of an asset card (transfer, lend, take back, report lost, request
    disposal…): declared on ``Asset``; a disposal request opened here is shown next."""

    queryset = Asset.objects.all()

    def get_success_url(self):
        if isinstance(getattr(self, "result", None), DisposalRequest):
            return self.result.get_absolute_url()
        return super().get_success_url()


@login_required
@require_POST
def upload_attachment(request, pk):
    """Add a photo or document to an asset card."""
    asset = get_object_or_404(Asset.objects.restrict(request.user, "change"), pk=pk)
    if is_read_only(asset):  # a disposed card keeps what it had; nothing is added after the fact
        try:
            ensure_editable(asset)
        except StepNotAllowed as exc:
            messages.error(request, str(exc.message))
        return redirect(asset.get_absolute_url())
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect(asset.get_absolute_url())
    try:
        validate_document(upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(asset.get_absolute_url())
    Attachment.objects.create(
        school_id=asset.school_id,
        content_type=ContentType.objects.get_for_model(Asset),
        object_id=asset.pk,
        file=upload,
        kind=request.POST.get("kind", "")[:30],
        caption=request.POST.get("caption", "")[:200],
        created_by=request.user,
    )
    messages.success(request, _("File added."))
    return redirect(asset.get_absolute_url())


# --- valuation ----------------------------------------------------------------------------------


def _as_of(request):
    return parse_date(request.GET.get("as_of") or "") or timezone.localdate()


class LedgerSummaryView(SchoolViewMixin, TemplateView):
    """The ledger by category as of a date: count, cost, accumulated depreciation, net book value."""

    template_name = "assets/ledger.html"

    def get_context_data(self, **kwargs):
        school = self.school_required()
        if not has_perm(self.request.user, VALUE_PERM, school):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        as_of = _as_of(self.request)
        from .. import reports_data

        context.update(reports_data.ledger_summary(school, as_of))
        context.update({"as_of": as_of, "title": _("Ledger by category")})
        return context


@login_required
def ledger_export(request):
    """The ledger as a 固定资产明细账: assets grouped by category with subtotals, as of a date."""
    school = request.school
    if not school or not has_perm(request.user, VALUE_PERM, school):
        raise PermissionDenied
    from ..exports import ledger_workbook

    return ledger_workbook(school, _as_of(request), request.GET.get("format", "xlsx"))


# --- categories ---------------------------------------------------------------------------------


class CategoryListView(ObjectListView):
    queryset = Category.objects.all()
    filterset = CategoryFilterSet
    table = CategoryTable

    def get_base_queryset(self):
        from ..categories import ensure_default_categories

        school = self.school_required()
        if has_perm(self.request.user, "assets.add_category", school):
            ensure_default_categories(school)
        return super().get_base_queryset()


class CategoryDetailView(ObjectDetailView):
    queryset = Category.objects.all()
    fields = ("code", "name", "life_years", "is_fixed_asset")


class CategoryEditView(ObjectEditView):
    queryset = Category.objects.all()
    form_class = CategoryForm


class CategoryDeleteView(ObjectDeleteView):
    queryset = Category.objects.all()


# --- movements and loans ------------------------------------------------------------------------


class AssetMovementListView(ObjectListView):
    queryset = AssetMovement.objects.select_related("asset", "from_room__building", "to_room__building", "to_custodian")
    filterset = AssetMovementFilterSet
    table = AssetMovementTable
    title = _("Asset movements")


class AssetLoanListView(ObjectListView):
    queryset = AssetLoan.objects.select_related("asset", "borrower")
    filterset = AssetLoanFilterSet
    table = AssetLoanTable
    title = _("Loans")


# --- disposal -----------------------------------------------------------------------------------


class DisposalRequestListView(ObjectListView):
    queryset = DisposalRequest.objects.select_related("requested_by")
    filterset = DisposalRequestFilterSet
    table = DisposalRequestTable


class DisposalRequestDetailView(ObjectDetailView):
    queryset = DisposalRequest.objects.select_related("requested_by", "head_approved_by", "principal_approved_by")
    template_name = "assets/disposal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        context.update(
            {
                "assets": list(obj.assets.select_related("category", "room__building")),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


class DisposalStepView(StepPageView):
    """Approve (head, then principal), reject, write off — declared on ``DisposalRequest``."""

    queryset = DisposalRequest.objects.all()
