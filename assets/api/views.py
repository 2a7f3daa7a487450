"""The assets API: records, and one action endpoint per business step (each with its own serializer).

Objects the user may not act on are 404 (the queryset is restricted by the step's permission);
a step not allowed from the current status is 409; validation errors are 400 with readable text.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.api.pagination import Pagination
from logistics.api.viewsets import (
    RestrictedViewSetMixin,
    SchoolScopedCreateReadViewSet,
    SchoolScopedModelViewSet,
    SchoolScopedReadOnlyViewSet,
)
from logistics.notifications.services import enqueue
from logistics.tenancy.models import Room
from logistics.ui.pagination import CappedPaginator, capped_count

from .. import services, tasks
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


class LightCountPaginator(CappedPaginator):
    """Counts ``object_list.count_source`` (the model queryset, no joins) when given, not the page's
    ``values()`` query with its joins — the capped count is the list's most expensive query."""

    @cached_property
    def count(self):
        source = getattr(self.object_list, "count_source", None)
        if source is None:
            return super().count
        count, self.count_exact = capped_count(source, self.cap)
        return count


class LightCountPagination(Pagination):
    django_paginator_class = LightCountPaginator


class LazyFilterBackend(DjangoFilterBackend):
    """Builds the FilterSet only when the request names one of its filters (an unfiltered list —
    the most common request — skips the FilterSet's construction; results are identical)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not any(key in filterset_class.base_filters for key in request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


ERRORS = {
    400: s.AssetsErrorSerializer,
    403: s.AssetsErrorSerializer,
    404: s.AssetsErrorSerializer,
    409: s.AssetsErrorSerializer,
}


# permission_action="view" on the actions below: the object is looked up among those the user sees and
# each action's service (or step_object) checks the step's own permission (stopgap until the assets steps
# are declared on the models).
class StepMixin:
    """``self.step_object(action)``: the object if the user holds ``<action>`` on it, else 404."""

    def step_object(self, perm_action):
        queryset = self.queryset.restrict(self.request.user, perm_action)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
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
    StepMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Asset cards. No delete: a disposed card stays readable forever (条例 art. 35)."""

    queryset = Asset.objects.select_related("category", "room", "custodian")
    serializer_class = s.AssetSerializer
    filterset_class = AssetFilterSet
    filter_backends = [LazyFilterBackend, SearchFilter, OrderingFilter]
    pagination_class = LightCountPagination
    ordering_fields = ["sequence", "code", "name", "purchase_date", "unit_price", "id"]
    ordering = ["-sequence"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("ordering"):
            queryset = queryset.order_by("-sequence", "-pk")
        return queryset

    def get_serializer_class(self):
        return s.AssetCreateSerializer if self.action == "create" else s.AssetSerializer

    def list(self, request, *args, **kwargs):
        """The list reads plain values (no model instances) and formats them like ``AssetSerializer``."""
        queryset = self.filter_queryset(self.get_queryset())
        rows = queryset.values(*s.LIST_VALUES)
        rows.count_source = queryset
        page = self.paginate_queryset(rows)
        schools = s.value_schools_for(request.user)
        return self.get_paginated_response([s.row_representation(row, schools) for row in page])

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

    def _step(self, perm_action, serializer_class, run):
        asset = self.step_object(perm_action)
        data = self.validated(serializer_class)
        result = run(asset, data)
        asset.refresh_from_db()
        payload = s.AssetSerializer(asset, context=self.get_serializer_context()).data
        if isinstance(result, DisposalRequest):
            payload = s.DisposalSerializer(result).data
        return Response(payload)

    @extend_schema(
        summary="Transfer to another room or custodian",
        request=s.TransferSerializer,
        responses={200: s.AssetSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def transfer(self, request, pk=None):
        return self._step(
            "transfer",
            s.TransferSerializer,
            lambda a, d: services.transfer_asset(
                asset=a,
                user=request.user,
                room=d.get("room"),
                custodian=d.get("custodian"),
                department=d.get("department") or None,
                note=d.get("note", ""),
            ),
        )

    @extend_schema(
        summary="Lend to a person with an expected return",
        request=s.LendSerializer,
        responses={200: s.AssetSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def lend(self, request, pk=None):
        return self._step(
            "lend",
            s.LendSerializer,
            lambda a, d: services.lend_asset(
                asset=a,
                user=request.user,
                borrower=d.get("borrower"),
                borrower_name=d.get("borrower_name", ""),
                expected_return=d.get("expected_return"),
                purpose=d.get("purpose", ""),
            ),
        )

    @extend_schema(
        summary="Take a lent asset back", request=s.AssetsNoteSerializer, responses={200: s.AssetSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="return", permission_action="view")
    def return_(self, request, pk=None):
        return self._step(
            "lend",
            s.AssetsNoteSerializer,
            lambda a, d: services.return_asset(asset=a, user=request.user, note=d.get("note", "")),
        )

    @extend_schema(
        summary="Report lost", request=s.AssetsRequiredNoteSerializer, responses={200: s.AssetSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="report-lost", permission_action="view")
    def report_lost(self, request, pk=None):
        return self._step(
            "report_lost",
            s.AssetsRequiredNoteSerializer,
            lambda a, d: services.report_lost(asset=a, user=request.user, note=d["note"]),
        )

    @extend_schema(
        summary="Request disposal",
        description="Opens a disposal request; the asset leaves the ledger only after the logistics head and "
        "the principal approve and it is written off (条例 art. 19, 35).",
        request=s.DisposalRequestStepSerializer,
        responses={200: s.DisposalSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="request-disposal", permission_action="view")
    def request_disposal(self, request, pk=None):
        return self._step(
            "request_disposal",
            s.DisposalRequestStepSerializer,
            lambda a, d: services.request_disposal(
                assets=[a], user=request.user, reason=d["reason"], method=d["method"]
            ),
        )

    @extend_schema(summary="Movements of the asset", responses=s.AssetsMovementSerializer(many=True))
    @action(detail=True, methods=["get"], permission_action="view")
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


class DisposalViewSet(StepMixin, SchoolScopedReadOnlyViewSet):
    queryset = DisposalRequest.objects.prefetch_related("assets")
    serializer_class = s.DisposalSerializer
    filterset_class = DisposalRequestFilterSet
    ordering_fields = ["reference_number", "id"]

    def _decide(self, fn, serializer_class, **extra):
        obj = self.step_object("view")
        data = self.validated(serializer_class)
        fn(request=obj, user=self.request.user, **{**data, **extra})
        obj.refresh_from_db()
        return Response(s.DisposalSerializer(obj).data)

    @extend_schema(
        summary="Approve as logistics head",
        request=s.AssetsNoteSerializer,
        responses={200: s.DisposalSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="approve-head", permission_action="view")
    def approve_head(self, request, pk=None):
        return self._decide(services.approve_disposal_head, s.AssetsNoteSerializer)

    @extend_schema(
        summary="Approve as principal", request=s.AssetsNoteSerializer, responses={200: s.DisposalSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="approve-principal", permission_action="view")
    def approve_principal(self, request, pk=None):
        return self._decide(services.approve_disposal_principal, s.AssetsNoteSerializer)

    @extend_schema(
        summary="Reject", request=s.AssetsRequiredNoteSerializer, responses={200: s.DisposalSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def reject(self, request, pk=None):
        return self._decide(services.reject_disposal, s.AssetsRequiredNoteSerializer)

    @extend_schema(
        summary="Write the approved assets off the ledger",
        request=s.WriteOffSerializer,
        responses={200: s.DisposalSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="write-off", permission_action="view")
    def write_off(self, request, pk=None):
        return self._decide(services.write_off_disposal, s.WriteOffSerializer)


# --- consumables ----------------------------------------------------------------------------------


class ConsumableViewSet(
    StepMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
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
    @action(detail=True, methods=["post"], permission_action="view")
    def receive(self, request, pk=None):
        item = self.step_object("receive")
        data = self.validated(s.AssetsReceiveSerializer)
        services.receive_stock(
            consumable=item,
            store=data["store"],
            quantity=data["quantity"],
            user=request.user,
            reason=data.get("reason", ""),
            unit_price=data.get("unit_price"),
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
    @action(detail=True, methods=["get", "post"], url_path="issue-requests", permission_action="view")
    def issue_requests(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            rows = IssueRequest.objects.restrict(request.user, "view").filter(consumable=item).order_by("-pk")[:200]
            return Response(s.IssueRequestSerializer(rows, many=True).data)
        from logistics.accounts.permissions import has_perm

        if not has_perm(request.user, "assets.add_issuerequest", item.school_id):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        data = self.validated(s.IssueCreateSerializer)
        created = services.request_issue(
            consumable=item, quantity=data["quantity"], purpose=data["purpose"], user=request.user
        )
        return Response(s.IssueRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class IssueRequestViewSet(StepMixin, SchoolScopedReadOnlyViewSet):
    queryset = IssueRequest.objects.all()
    serializer_class = s.IssueRequestSerializer
    filterset_class = IssueRequestFilterSet
    ordering_fields = ["reference_number", "id"]

    @extend_schema(
        summary="Approve and issue (stock moves)",
        request=s.IssueDecisionSerializer,
        responses={200: s.IssueRequestSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def approve(self, request, pk=None):
        obj = self.step_object("view")
        data = self.validated(s.IssueDecisionSerializer)
        result = services.approve_issue(
            request=obj, user=request.user, store=data.get("store"), note=data.get("note", "")
        )
        return Response(s.IssueRequestSerializer(result).data)

    @extend_schema(
        summary="Reject", request=s.AssetsRequiredNoteSerializer, responses={200: s.IssueRequestSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def reject(self, request, pk=None):
        obj = self.step_object("view")
        data = self.validated(s.AssetsRequiredNoteSerializer)
        result = services.reject_issue(request=obj, user=request.user, note=data["note"])
        return Response(s.IssueRequestSerializer(result).data)


# --- stock-takes ----------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Start a stock-take",
        description="Of chosen `rooms` or the `whole_school`; the ledger's assets there are expected.",
    )
)
class StockTakeViewSet(StepMixin, SchoolScopedCreateReadViewSet):
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
    @action(detail=True, methods=["post"], permission_action="view")
    def scan(self, request, pk=None):
        stocktake = get_object_or_404(StockTake.objects.restrict(request.user, "scan"), pk=pk)
        data = self.validated(s.AssetsScanSerializer)
        room = Room.objects.filter(pk=data["room"], school_id=stocktake.school_id).first()
        if data.get("asset"):
            asset = Asset.objects.filter(pk=data["asset"], school_id=stocktake.school_id).first()
        else:
            from ..views.stocktake import find_asset

            asset = find_asset(stocktake, data["code"], request.user)
        if room is None or asset is None:
            raise ValidationError({"asset" if room else "room": "Not found in this school."})
        line = services.scan(
            stocktake=stocktake, user=request.user, asset=asset, room=room, condition=data.get("condition", "")
        )
        return Response(s.StockTakeLineSerializer(line).data)

    @extend_schema(
        summary="Record an item not on the ledger",
        request=s.UnledgeredSerializer,
        responses={201: s.StockTakeLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def unledgered(self, request, pk=None):
        stocktake = self.step_object("scan")
        data = dict(self.validated(s.UnledgeredSerializer))
        room = get_object_or_404(Room, pk=data.pop("room"), school_id=stocktake.school_id)
        line = services.add_unledgered(stocktake=stocktake, user=request.user, room=room, **data)
        return Response(s.StockTakeLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Explain a difference",
        request=s.AssetsExplainSerializer,
        responses={200: s.StockTakeLineSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def explain(self, request, pk=None):
        stocktake = self.step_object("change")
        data = self.validated(s.AssetsExplainSerializer)
        line = get_object_or_404(StockTakeLine, pk=data["line"], stocktake=stocktake)
        if data.get("item_category") is not None or data.get("item_value") is not None:
            line.item_category = data.get("item_category") or line.item_category
            line.item_value = data.get("item_value") if data.get("item_value") is not None else line.item_value
            line.save(update_fields=["item_category", "item_value", "updated"])
        services.explain(stocktake=stocktake, user=request.user, line=line, explanation=data["explanation"])
        return Response(s.StockTakeLineSerializer(line).data)

    @extend_schema(
        summary="Finish scanning and submit",
        request=s.AssetsEmptySerializer,
        responses={200: s.StockTakeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def submit(self, request, pk=None):
        stocktake = services.submit_stocktake(stocktake=self.step_object("change"), user=request.user)
        return Response(s.StockTakeSerializer(stocktake, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Approve (logistics head)",
        description="Every difference must be explained. Only now does the ledger change: moves, losses, "
        "additions, each recorded as a movement (条例 art. 37–39).",
        request=s.AssetsEmptySerializer,
        responses={200: s.StockTakeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def approve(self, request, pk=None):
        stocktake = services.approve_stocktake(stocktake=self.step_object("approve"), user=request.user)
        return Response(s.StockTakeSerializer(stocktake, context=self.get_serializer_context()).data)

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


class DamageRecordViewSet(StepMixin, SchoolScopedModelViewSet):
    """Damage records; a paid record can be neither changed nor deleted (financial record)."""

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

    def perform_update(self, serializer):
        if serializer.instance.paid:
            raise ValidationError("A paid damage record cannot be changed.")
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        services.delete_damage_record(record=instance, user=self.request.user)

    @extend_schema(
        summary="Record the payment",
        request=s.AssetsPaymentSerializer,
        responses={200: s.DamageRecordSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def pay(self, request, pk=None):
        record = self.step_object("record_payment")
        data = self.validated(s.AssetsPaymentSerializer)
        record = services.record_damage_payment(
            record=record, user=request.user, receipt_number=data.get("receipt_number", "")
        )
        return Response(s.DamageRecordSerializer(record, context=self.get_serializer_context()).data)


# --- imports --------------------------------------------------------------------------------------


class ImportViewSet(StepMixin, SchoolScopedCreateReadViewSet):
    """Ledger imports: upload (multipart ``file``) → ``mapping`` → ``validate`` → ``run`` (all-or-nothing,
    a Celery task; poll ``GET imports/{id}/`` for ``processed_rows``)."""

    queryset = AssetImport.objects.all()
    serializer_class = s.ImportSerializer
    filterset_class = AssetImportFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["created", "id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        obj = services.open_import(school=data["school"], user=self.request.user, upload=data["file"])
        serializer.instance = obj
        return obj

    @extend_schema(
        summary="Set the column mapping",
        request=s.AssetsMappingSerializer,
        responses={200: s.ImportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def mapping(self, request, pk=None):
        obj = self.step_object("change")
        data = self.validated(s.AssetsMappingSerializer)
        services.set_mapping(
            import_=obj, user=request.user, mapping=data["mapping"], bulk_below_threshold=data["bulk_below_threshold"]
        )
        return Response(s.ImportSerializer(obj, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Check every row (preview)",
        request=s.AssetsEmptySerializer,
        responses={200: s.ImportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def validate(self, request, pk=None):
        obj = self.step_object("change")
        services.validate_import(import_=obj, user=request.user)
        return Response(s.ImportSerializer(obj, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Import all rows (or none)",
        request=s.AssetsEmptySerializer,
        responses={202: s.ImportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], permission_action="view")
    def run(self, request, pk=None):
        obj = self.step_object("change")
        if obj.status != ImportStatus.VALIDATED:
            raise ValidationError("Only a file without errors can be imported.")
        AssetImport.objects.filter(pk=obj.pk).update(status=ImportStatus.RUNNING, processed_rows=0)
        transaction.on_commit(lambda: enqueue(tasks.run_import_task, obj.pk, request.user.pk))
        obj.refresh_from_db()
        return Response(
            s.ImportSerializer(obj, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED
        )
