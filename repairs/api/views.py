"""The repairs API: tickets (list, create, retrieve) with one action endpoint per step, work logs,
parts, maintenance plans, the duty rota and the figures."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from logistics.accounts import permissions
from logistics.api.rows import ValuesRows
from logistics.api.viewsets import STEP, SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet
from logistics.workflow.api import STEP_ERRORS, WorkflowViewSetMixin

from .. import figures, services
from ..filtersets import DutySlotFilterSet, MaintenancePlanFilterSet, TicketFilterSet
from ..models import DutySlot, MaintenancePlan, Ticket
from . import serializers as s

User = get_user_model()

ERRORS = STEP_ERRORS


@extend_schema_view(
    list=extend_schema(summary="Tickets the user may see (filter, search, page)"),
    create=extend_schema(summary="File a ticket (JSON or multipart with up to 5 photos)"),
    retrieve=extend_schema(summary="A ticket with its work logs, parts and photos", responses=s.TicketDetailSerializer),
)
class TicketViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = Ticket.objects.select_related("room__building", "requester").prefetch_related("assignees")
    serializer_class = s.TicketSerializer
    filterset_class = TicketFilterSet
    search_fields = ["description", "reference"]
    ordering_fields = ["submitted_at", "target_at", "reference_number", "urgency", "status", "id"]
    ordering = ["-submitted_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    step_response_serializer = s.TicketDetailSerializer
    #: list and detail read with ``values()`` in the declared serializers' shape; the list ids first
    #: (capped count and the page's ids from the index, then the page's rows and their assignees)
    list_rows = ValuesRows(s.TicketListSerializer)
    detail_rows = ValuesRows(s.TicketDetailSerializer)
    #: each list row's JSON kept 5 minutes under its ``updated`` time (a step saves the ticket: a change shows
    #: at once), as the queue page keeps its rows
    keep_rows = 300

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.TicketDetailSerializer
        if self.action == "list":
            return s.TicketListSerializer
        return super().get_serializer_class()

    def detail_data(self, pk_or_ticket):
        """The ticket (already checked by the caller) as :class:`TicketDetailSerializer` gives it."""
        return self.detail_rows.fetch([getattr(pk_or_ticket, "pk", pk_or_ticket)], self.get_serializer_context())[0]

    def create_object(self, serializer):
        data = serializer.validated_data
        ticket = services.create_ticket(
            school=data["school"],
            user=self.request.user,
            room=data["room"],
            trade=data["trade"],
            urgency=data.get("urgency") or "normal",
            description=data["description"],
            photos=data.get("photos") or [],
            asset=data.get("asset"),
        )
        serializer.instance = ticket
        return ticket

    def step_response(self, spec, obj, result):
        return Response(self.detail_data(obj.pk))

    @extend_schema(methods=["GET"], summary="Time recorded on the ticket", responses=s.WorkLogSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        summary="Record time spent",
        request=s.WorkLogCreateSerializer,
        responses={201: s.WorkLogSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="work-logs",
        url_name="work-logs",
        permission_action={"GET": "view", "POST": STEP},
        pagination_class=None,
        filter_backends=[],
    )
    def work_logs(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "GET":
            return Response(s.WorkLogSerializer(ticket.work_logs.select_related("worker"), many=True).data)
        entry = self.take_step(ticket, "log_work")
        return Response(s.WorkLogSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="Parts used on the ticket", responses=s.PartUsageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        summary="Record a part or material (free text or a consumable of the school)",
        request=s.PartCreateSerializer,
        responses={201: s.PartUsageSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="parts",
        url_name="parts",
        permission_action={"GET": "view", "POST": STEP},
        pagination_class=None,
        filter_backends=[],
    )
    def parts(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "GET":
            return Response(s.PartUsageSerializer(ticket.parts.all(), many=True).data)
        part = self.take_step(ticket, "add_part")
        return Response(s.PartUsageSerializer(part).data, status=status.HTTP_201_CREATED)


class MaintenancePlanViewSet(SchoolScopedModelViewSet):
    queryset = MaintenancePlan.objects.select_related("room").prefetch_related("assignees")
    serializer_class = s.MaintenancePlanSerializer
    filterset_class = MaintenancePlanFilterSet
    search_fields = ["name", "equipment"]
    ordering_fields = ["next_due", "name", "id"]


class DutySlotViewSet(SchoolScopedModelViewSet):
    queryset = DutySlot.objects.select_related("worker")
    serializer_class = s.DutySlotSerializer
    filterset_class = DutySlotFilterSet
    ordering_fields = ["trade", "weekday", "id"]


class StatsView(APIView):
    """The figures the department reports, for the current school — or, for a district officer,
    the district's schools (``?school=`` narrows to one)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="First day (YYYY-MM-DD); default: start of the term"),
            OpenApiParameter("end", str, description="Day after the last (YYYY-MM-DD); default: end of the term"),
            OpenApiParameter("school", int, description="One school (district officers)"),
        ],
        responses={200: s.StatsSerializer, 403: s.ErrorSerializer},
    )
    def get(self, request):
        from ..views import period_from, stats_school_ids

        ids = stats_school_ids(request.user, request.school)
        wanted = request.query_params.get("school")
        if wanted:
            try:
                ids = [sid for sid in ids if sid == int(wanted)]
            except ValueError:
                ids = []
        if not ids or not all(permissions.has_perm(request.user, "repairs.view_stats", sid) for sid in ids):
            raise PermissionDenied(_("You may not see repair figures."))
        start, end = period_from(request)
        return Response({**figures.figures(ids, start, end), "schools": ids})
