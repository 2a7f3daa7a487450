"""The assets API: records, and one action endpoint per declared step (``WorkflowViewSetMixin``:
each with its own request serializer and response in OpenAPI).

A record the user cannot see is 404 (also for an id that is not a number); a step the user may not
take is 403; a step not allowed from the current status is 409 naming the status; a record in a
terminal state refuses changes (409); validation errors are 400 with readable text.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.api.rows import ValuesRows
from logistics.api.viewsets import (
    RestrictedViewSetMixin,
    SchoolScopedCreateReadViewSet,
    SchoolScopedModelViewSet,
    SchoolScopedReadOnlyViewSet,
)
from logistics.imports import engine as import_engine
from logistics.tenancy.models import Room
from logistics.workflow import ensure_editable
from logistics.workflow.api import WorkflowViewSetMixin

from .. import services
from ..choices import ImportStatus
from ..filtersets import (
    AssetFilterSet,
    AssetImportFilterSet,
    AssetLoanFilterSet,
    AssetMovementFilterSet,
    CategoryFilterSet,
    ConsumableFilterSet,
    DamageRecordFilterSet,
    DisposalRequestFilterSet,
    IssueRequestFilterSet,
    StockTakeFilterSet,
    StockTakeLineFilterSet,
)
from ..models import (
    Asset,
    AssetImport,
    AssetLoan,
    AssetMovement,
    Category,
    Consumable,
    DamageRecord,
    DisposalRequest,
    IssueRequest,
    StockTake,
    StockTakeLine,
)
from . import serializers as s

ERRORS = {
    400: s.AssetsErrorSerializer,
    403: s.AssetsErrorSerializer,
    404: s.AssetsErrorSerializer,
    409: s.AssetsErrorSerializer,
}


def validated(view, serializer_class, obj=None):
    serializer = serializer_class(data=view.request.data, context={**view.get_serializer_context(), "object": obj})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- assets ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List asset cards",
        description="Filter by category, status, room, building, "
        "custodian, purchase date range, price range and text (`q`).",
    ),
    create=extend_schema(
        summary="Acquire assets",
        description="Put new assets on the ledger; `quantity` N creates N cards (登记入帐); the answer is the first card with `cards` listing all of them. Items under the "
        "capitalisation threshold are refused unless `bulk_item` (大批同类物资).",
        request=s.AssetCreateSerializer,
        responses={201: s.AcquiredSerializer, **ERRORS},
    ),
)
class AssetViewSet(
    WorkflowViewSetMixin,
    RestrictedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Asset cards. No delete: a disposed card stays readable forever (条例 art. 35) and refuses
    changes (409). One action per step declared on ``Asset`` (transfer, lend, return, report-lost,
    request-disposal, under-repair, repaired)."""

    queryset = Asset.objects.select_related("category", "room", "custodian")
    serializer_class = s.AssetSerializer
    filterset_class = AssetFilterSet
    #: the list read ids first, its rows with ``values()`` in ``AssetSerializer``'s shape
    list_rows = ValuesRows(s.AssetSerializer)
    ordering_fields = ["sequence", "code", "name", "purchase_date", "unit_price", "id"]
    ordering = ["-sequence"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("ordering"):
            queryset = queryset.order_by("-sequence", "-pk")
        return queryset

    def get_serializer_class(self):
        return s.AssetCreateSerializer if self.action == "create" else s.AssetSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.AssetCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        quantity = data.pop("quantity", 1)
        school = data.pop("school")
        with transaction.atomic():
            created = services.acquire_assets(school=school, user=request.user, quantity=quantity, **data)
            for asset in created[:1]:
                self._check_visible(asset)
        data = dict(s.AssetSerializer(created[0], context=self.get_serializer_context()).data)
        data["cards"] = [{"id": a.pk, "code": a.code} for a in created]
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Movements of the asset", responses=s.AssetsMovementSerializer(many=True))
    @action(detail=True, methods=["get"], permission_action="view", pagination_class=None, filter_backends=[])
    def movements(self, request, pk=None):
        asset = self.get_object()
        return Response(s.AssetsMovementSerializer(AssetMovement.objects.filter(asset=asset)[:200], many=True).data)


class CategoryViewSet(SchoolScopedModelViewSet):
    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer
    filterset_class = CategoryFilterSet
    ordering_fields = ["code", "name", "id"]


class MovementViewSet(SchoolScopedReadOnlyViewSet):
    queryset = AssetMovement.objects.all()
    serializer_class = s.AssetsMovementSerializer
    filterset_class = AssetMovementFilterSet
    ordering_fields = ["date", "id"]


class LoanViewSet(SchoolScopedReadOnlyViewSet):
    queryset = AssetLoan.objects.all()
    serializer_class = s.AssetsLoanSerializer
    filterset_class = AssetLoanFilterSet
    ordering_fields = ["expected_return", "lent_on", "id"]


class DisposalViewSet(WorkflowViewSetMixin, SchoolScopedReadOnlyViewSet):
    """Disposal requests; one action per step declared on ``DisposalRequest`` (approve-head,
    approve-principal, reject, write-off)."""

    queryset = DisposalRequest.objects.prefetch_related("assets")
    serializer_class = s.DisposalSerializer
    filterset_class = DisposalRequestFilterSet
    ordering_fields = ["reference_number", "id"]


# --- consumables ----------------------------------------------------------------------------------


class ConsumableViewSet(
    RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = Consumable.objects.prefetch_related("stocks")
    serializer_class = s.ConsumableSerializer
    filterset_class = ConsumableFilterSet
    ordering_fields = ["name", "total_quantity", "id"]

    @extend_schema(
        summary="Receive into a store room",
        request=s.AssetsReceiveSerializer,
        responses={200: s.ConsumableSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="receive")
    def receive(self, request, pk=None):
        item = self.get_object()
        data = validated(self, s.AssetsReceiveSerializer, item)
        services.receive_stock(
            consumable=item,
            store=data["store"],
            quantity=data["quantity"],
            user=request.user,
            reason=data.get("reason", ""),
            unit_price=data.get("unit_price"),
            price_confirmed=data.get("price_confirmed", False),
        )
        item.refresh_from_db()
        return Response(s.ConsumableSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"], summary="Issue requests for this consumable", responses=s.IssueRequestSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary="Ask for this consumable (领用申请)",
        description="Nothing moves until logistics staff approve (`issue-requests/{id}/approve/`).",
        request=s.IssueCreateSerializer,
        responses={201: s.IssueRequestSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="issue-requests",
        permission_action={"GET": "view", "POST": "view"},  # POST: add_issuerequest is checked in the school
        pagination_class=None,
        filter_backends=[],
    )
    def issue_requests(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            rows = IssueRequest.objects.restrict(request.user, "view").filter(consumable=item).order_by("-pk")[:200]
            return Response(s.IssueRequestSerializer(rows, many=True).data)
        from logistics.accounts.permissions import has_perm

        if not has_perm(request.user, "assets.add_issuerequest", item.school_id):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        data = validated(self, s.IssueCreateSerializer, item)
        created = services.request_issue(
            consumable=item, quantity=data["quantity"], purpose=data["purpose"], user=request.user
        )
        return Response(s.IssueRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class IssueRequestViewSet(WorkflowViewSetMixin, SchoolScopedReadOnlyViewSet):
    """Issue requests; one action per step declared on ``IssueRequest`` (approve, reject)."""

    queryset = IssueRequest.objects.all()
    serializer_class = s.IssueRequestSerializer
    filterset_class = IssueRequestFilterSet
    ordering_fields = ["reference_number", "id"]


# --- stock-takes ----------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Start a stock-take",
        description="Of chosen `rooms` or the `whole_school`; the ledger's assets there are expected.",
    )
)
class StockTakeViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    """Stock-takes; one action per step declared on ``StockTake`` (submit, approve, reopen, cancel);
    scanning and explaining are actions of their own, guarded by their steps."""

    queryset = StockTake.objects.prefetch_related("rooms")
    serializer_class = s.StockTakeSerializer
    filterset_class = StockTakeFilterSet
    ordering_fields = ["reference_number", "id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.start_stocktake(
            school=data["school"],
            user=self.request.user,
            name=data["name"],
            rooms=data.get("rooms", []),
            whole_school=data.get("whole_school", False),
            notes=data.get("notes", ""),
        )

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = self.create_object(serializer)
            self._check_visible(obj)
            serializer.instance = obj

    @extend_schema(
        summary="Record a scan",
        description="The asset (id, code or label address) was seen in `room`. Idempotent; two people "
        "scanning at once never lose a scan. Answers the stock-take line.",
        request=s.AssetsScanSerializer,
        responses={200: s.StockTakeLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="scan")
    def scan(self, request, pk=None):
        stocktake = self.get_object()
        data = validated(self, s.AssetsScanSerializer, stocktake)
        room = Room.objects.filter(pk=data["room"], school_id=stocktake.school_id).first()
        if data.get("asset"):
            asset = Asset.objects.filter(pk=data["asset"], school_id=stocktake.school_id).first()
        else:
            from ..views.stocktake import find_asset

            asset = find_asset(stocktake, data["code"], request.user)
        if room is None:
            raise ValidationError({"room": _("No room of this school has this id.")})
        if asset is None:
            field = "asset" if data.get("asset") else "code"
            raise ValidationError({field: _("No asset of this school matches.")})
        line = services.scan(
            stocktake=stocktake, user=request.user, asset=asset, room=room, condition=data.get("condition", "")
        )
        return Response(s.StockTakeLineSerializer(line).data)

    @extend_schema(
        summary="Record an item not on the ledger",
        request=s.UnledgeredSerializer,
        responses={201: s.StockTakeLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="scan")
    def unledgered(self, request, pk=None):
        stocktake = self.get_object()
        data = dict(validated(self, s.UnledgeredSerializer, stocktake))
        room = get_object_or_404(Room, pk=data.pop("room"), school_id=stocktake.school_id)
        line = services.add_unledgered(stocktake=stocktake, user=request.user, room=room, **data)
        return Response(s.StockTakeLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Explain a difference",
        request=s.AssetsExplainSerializer,
        responses={200: s.StockTakeLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def explain(self, request, pk=None):
        stocktake = self.get_object()
        data = validated(self, s.AssetsExplainSerializer, stocktake)
        line = get_object_or_404(StockTakeLine, pk=data["line"], stocktake=stocktake)
        services.explain(
            stocktake=stocktake,
            user=request.user,
            line=line,
            explanation=data["explanation"],
            item_category=data.get("item_category"),
            item_value=data.get("item_value"),
        )
        return Response(s.StockTakeLineSerializer(line).data)

    @extend_schema(
        summary="Lines (found, missing, wrong room, not in the ledger)", responses=s.StockTakeLineSerializer(many=True)
    )
    @action(detail=True, methods=["get"], permission_action="view")
    def lines(self, request, pk=None):
        stocktake = self.get_object()
        queryset = StockTakeLine.objects.filter(stocktake=stocktake).select_related("asset").order_by("pk")
        queryset = StockTakeLineFilterSet(request.query_params, queryset=queryset, request=request).qs
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.StockTakeLineSerializer(page, many=True).data)


# --- damages --------------------------------------------------------------------------------------


class DamageRecordViewSet(WorkflowViewSetMixin, SchoolScopedModelViewSet):
    """Damage records; a paid record can be neither changed nor deleted (financial record: 409). The
    ``pay`` action is the step declared on ``DamageRecord``."""

    queryset = DamageRecord.objects.all()
    serializer_class = s.DamageRecordSerializer
    filterset_class = DamageRecordFilterSet
    ordering_fields = ["reference_number", "amount", "id"]

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        occurred_on = data.pop("occurred_on", None)
        record = services.open_damage_record(user=self.request.user, **data)
        if occurred_on:
            record.occurred_on = occurred_on
            record.save(update_fields=["occurred_on", "updated"])
        serializer.instance = record
        return record

    def perform_destroy(self, instance):
        ensure_editable(instance)
        services.delete_damage_record(record=instance, user=self.request.user)


# --- imports --------------------------------------------------------------------------------------


class ImportViewSet(SchoolScopedCreateReadViewSet):
    """Ledger imports: upload (multipart ``file``) → ``mapping`` → ``validate`` → ``run`` (all-or-nothing,
    a Celery task; poll ``GET imports/{id}/`` for ``processed_rows``)."""

    queryset = AssetImport.objects.all()
    serializer_class = s.ImportSerializer
    filterset_class = AssetImportFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["created", "id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        # the serializer refused an unreadable file already (one message, nothing stored)
        obj = services.open_import(school=data["school"], user=self.request.user, upload=data["file"])
        serializer.instance = obj
        return obj

    @extend_schema(
        summary="Set the column mapping",
        request=s.AssetsMappingSerializer,
        responses={200: s.ImportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def mapping(self, request, pk=None):
        obj = self.get_object()
        data = validated(self, s.AssetsMappingSerializer)
        services.set_mapping(
            import_=obj,
            user=request.user,
            mapping=data["mapping"],
            bulk_below_threshold=data["bulk_below_threshold"],
            old_codes=data["old_codes"],
        )
        return Response(s.ImportSerializer(obj, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Check every row (preview), as a task",
        description="Reads and checks the file in a Celery task; poll `GET imports/{id}/` for `status` "
        "(`validating` → `validated`, `invalid` or `failed`) and `processed_rows`.",
        request=s.AssetsEmptySerializer,
        responses={202: s.ImportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def validate(self, request, pk=None):
        obj = self.get_object()
        if obj.status in (ImportStatus.DONE, ImportStatus.RUNNING):  # "validating" may be asked again
            raise ValidationError(_("This import is already being imported."))
        import_engine.start_validation(obj, request.user)
        return Response(
            s.ImportSerializer(obj, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        summary="Import all rows (or none)",
        request=s.AssetsEmptySerializer,
        responses={202: s.ImportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def run(self, request, pk=None):
        obj = self.get_object()
        if obj.status != ImportStatus.VALIDATED:
            raise ValidationError(_("Only a file without errors can be imported."))
        import_engine.start_run(obj, request.user)
        return Response(
            s.ImportSerializer(obj, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED
        )
