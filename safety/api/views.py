"""The safety API: hazards (with their steps), checkpoints, routes, schedules, rounds (with their
steps) and the scan endpoint the guard's phone posts to."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.accounts import permissions
from logistics.api.viewsets import (
    RestrictedViewSetMixin,
    SchoolScopedCreateReadViewSet,
    SchoolScopedModelViewSet,
    SchoolScopedReadOnlyViewSet,
)
from logistics.tenancy.middleware import SESSION_KEY
from logistics.workflow.api import STEP_ERRORS, WorkflowViewSetMixin

from .. import gate, hazards, inspections, passes, rounds
from ..filtersets import (
    CheckpointFilterSet,
    EquipmentFilterSet,
    HazardFilterSet,
    InspectionFilterSet,
    PatrolRoundFilterSet,
    SafetyEventFilterSet,
)
from ..models import (
    Checkpoint,
    Equipment,
    Hazard,
    Inspection,
    LeavePass,
    PatrolRound,
    PatrolScan,
    PatrolSchedule,
    Route,
    SafetyEvent,
    VehicleEntry,
    Visitor,
)
from . import serializers as s


def current_school_id(request):
    """The id of the school the user works in now (``request.school``'s) without reading its row: the
    one chosen in the session if the user belongs to it, else their first."""
    ids = permissions.school_ids(request.user)
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return wanted if wanted in ids else (ids[0] if ids else None)


@extend_schema_view(
    list=extend_schema(summary="Hazards the user may see (filter, search, page)"),
    create=extend_schema(summary="Report a hazard (JSON, or multipart with one photo)"),
    retrieve=extend_schema(summary="A hazard with its photos and repair tickets", responses=s.HazardDetailSerializer),
)
class HazardViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = Hazard.objects.select_related("room__building", "found_by", "owner", "rectified_by", "verified_by")
    serializer_class = s.HazardSerializer
    step_response_serializer = s.HazardDetailSerializer
    filterset_class = HazardFilterSet
    search_fields = ["title", "reference", "spot"]
    ordering_fields = ["found_at", "deadline", "reference_number", "status", "id"]
    ordering = ["-found_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.HazardDetailSerializer
        return super().get_serializer_class()

    def create_object(self, serializer):
        data = serializer.validated_data
        hazard = hazards.report_hazard(
            school=data["school"],
            actor=self.request.user,
            title=data["title"],
            description=data.get("description", ""),
            place=data.get("room") or data.get("spot", ""),
            level=data.get("level") or "general",
            photos=[data["photo"]] if data.get("photo") else (),
        )
        serializer.instance = hazard
        return hazard

    @extend_schema(
        summary="Open a repair ticket for the hazard (repairs app)",
        request=s.RepairTicketRequestSerializer,
        responses={201: s.HazardDetailSerializer, **STEP_ERRORS},
    )
    @action(
        detail=True, methods=["post"], url_path="repair-ticket", url_name="repair-ticket", permission_action="assign"
    )
    def repair_ticket(self, request, pk=None):
        hazard = self.get_object()
        body = s.RepairTicketRequestSerializer(
            data=request.data, context={**self.get_serializer_context(), "object": hazard}
        )
        body.is_valid(raise_exception=True)
        try:
            hazards.open_repair_ticket(hazard, request.user, **body.validated_data)
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(s.HazardDetailSerializer(hazard, context=self.get_serializer_context()).data, status=201)


class CheckpointViewSet(SchoolScopedModelViewSet):
    queryset = Checkpoint.objects.select_related("room__building")
    serializer_class = s.CheckpointSerializer
    filterset_class = CheckpointFilterSet
    search_fields = ["name", "spot"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]


class RouteViewSet(SchoolScopedModelViewSet):
    queryset = Route.objects.prefetch_related("stops__checkpoint")
    serializer_class = s.RouteSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]


class ScheduleViewSet(SchoolScopedModelViewSet):
    queryset = PatrolSchedule.objects.all()
    serializer_class = s.ScheduleSerializer
    ordering_fields = ["start_time", "id"]
    ordering = ["route_id", "start_time", "id"]


class PatrolRoundViewSet(WorkflowViewSetMixin, SchoolScopedReadOnlyViewSet):
    queryset = PatrolRound.objects.select_related("route", "guard")
    serializer_class = s.PatrolRoundSerializer
    filterset_class = PatrolRoundFilterSet
    ordering_fields = ["planned_start", "id"]
    ordering = ["-planned_start", "-id"]


class ScanViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scans: the guard's phone POSTs each one with a client id (idempotent); GET lists them."""

    queryset = PatrolScan.objects.select_related("round")
    serializer_class = s.ScanSerializer
    ordering_fields = ["scanned_at", "id"]
    ordering = ["-scanned_at", "-id"]

    @extend_schema(
        summary="Record a scan (idempotent by client_id: 201 the first time, 200 when sent again)",
        request=s.ScanRequestSerializer,
        responses={201: s.ScanSerializer, 200: s.ScanSerializer, 400: STEP_ERRORS[400], 403: STEP_ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        # the guard's phone on a weak network: the checkpoint (and whether this client id was sent before)
        # in one query, no current-school lookup, the answer built without a serializer (``scan_answer``
        # gives ScanSerializer's fields) — docs/benchmarks.md § Safety
        body = s.ScanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        checkpoint = rounds.checkpoint_for_scan(
            request.user, data["checkpoint"], data["client_id"], current_school_id(request)
        )
        if checkpoint is None:
            raise NotFound(_("No checkpoint in use in your school has this code."))
        if not permissions.has_perm(request.user, "safety.add_patrolscan", checkpoint.school_id):
            raise PermissionDenied(_("You may not record patrol scans in this school."))
        try:
            scan, created = rounds.record_scan(
                user=request.user,
                checkpoint=checkpoint,
                client_id=data["client_id"],
                device_time=data["device_time"],
                proof_code=data["proof_code"],
                round_id=data["round"],
                by_hand=data["by_hand"],
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(rounds.scan_answer(scan), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(summary="Visitors (ID numbers masked)"),
    create=extend_schema(summary="Check a visitor in (the host is told; during lessons the host approves first)"),
)
class VisitorViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = Visitor.objects.select_related("host")
    serializer_class = s.VisitorSerializer
    search_fields = ["name", "organisation"]
    ordering_fields = ["checked_in_at", "id"]
    ordering = ["-checked_in_at", "-id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        try:
            visitor = gate.check_in(
                school=data["school"],
                guard=self.request.user,
                name=data["name"],
                reason=data["reason"],
                id_number=data.get("id_number", ""),
                phone=data.get("phone", ""),
                organisation=data.get("organisation", ""),
                host=data.get("host"),
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        serializer.instance = visitor
        return visitor


class VehicleViewSet(SchoolScopedCreateReadViewSet):
    queryset = VehicleEntry.objects.all()
    serializer_class = s.VehicleSerializer
    search_fields = ["plate"]
    ordering_fields = ["in_at", "id"]
    ordering = ["-in_at", "-id"]

    @extend_schema(summary="The vehicle leaves", request=None, responses={200: s.VehicleSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"], url_path="check-out", url_name="check-out", permission_action="change")
    def check_out(self, request, pk=None):
        entry = self.get_object()
        try:
            gate.check_out_vehicle(entry, request.user)
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from exc
        return Response(s.VehicleSerializer(entry).data)


@extend_schema_view(
    list=extend_schema(summary="Leave passes the user may see"),
    create=extend_schema(summary="Ask for a leave pass (the class teacher or a guardian)"),
)
class LeavePassViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = LeavePass.objects.select_related("student__school_class")
    serializer_class = s.LeavePassSerializer
    ordering_fields = ["leave_at", "id"]
    ordering = ["-leave_at", "-id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        try:
            leave_pass = passes.request_pass(
                student=data["student"],
                actor=self.request.user,
                reason=data["reason"],
                leave_at=data["leave_at"],
                return_by=data["return_by"],
                picked_up_by=data.get("picked_up_by", ""),
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        serializer.instance = leave_pass
        return leave_pass


# --- equipment, inspections, education and drills ----------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Safety equipment and check points (dormitories, CCTV points)"),
    retrieve=extend_schema(summary="A piece of equipment with its checklist", responses=s.EquipmentDetailSerializer),
)
class EquipmentViewSet(SchoolScopedModelViewSet):
    queryset = Equipment.objects.select_related("room__building")
    serializer_class = s.EquipmentSerializer
    filterset_class = EquipmentFilterSet
    search_fields = ["number", "name", "spot"]
    ordering_fields = ["number", "last_inspected_at", "id"]
    ordering = ["kind", "number", "id"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.EquipmentDetailSerializer
        return super().get_serializer_class()


@extend_schema_view(
    list=extend_schema(summary="Inspections the user may see (with their items and the hazards raised)"),
    retrieve=extend_schema(summary="An inspection with its items and the hazards raised"),
)
class InspectionViewSet(
    RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Inspections are records of what was seen: created once (idempotent by client id), never edited."""

    queryset = Inspection.objects.prefetch_related("items__hazard")
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilterSet
    ordering_fields = ["inspected_at", "id"]
    ordering = ["-inspected_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Record an inspection (a failed item raises a hazard; idempotent by client_id)",
        request=s.InspectionRequestSerializer,
        responses={
            201: s.InspectionSerializer,
            200: s.InspectionSerializer,
            400: STEP_ERRORS[400],
            403: STEP_ERRORS[403],
        },
    )
    def create(self, request, *args, **kwargs):
        body = s.InspectionRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        equipment = data["equipment"]
        if request.school is not None and equipment.school_id != request.school.pk:
            raise ApiValidationError({"equipment": [_("This belongs to another school.")]})
        try:
            inspection, created = inspections.record_inspection(
                user=request.user,
                equipment=equipment,
                results=[(item["passed"], item["note"]) for item in data["items"]],
                note=data["note"],
                photo=data.get("photo"),
                client_id=data.get("client_id"),
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        inspection = Inspection.objects.prefetch_related("items__hazard").get(pk=inspection.pk)
        return Response(
            s.InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


@extend_schema_view(
    list=extend_schema(summary="Safety education events and drills"),
    create=extend_schema(summary="Record a safety education event or drill"),
)
class SafetyEventViewSet(SchoolScopedModelViewSet):
    queryset = SafetyEvent.objects.select_related("organiser").prefetch_related("classes")
    serializer_class = s.SafetyEventSerializer
    filterset_class = SafetyEventFilterSet
    search_fields = ["title", "place"]
    ordering_fields = ["held_on", "id"]
    ordering = ["-held_on", "-id"]
