"""The corrective-action API: list, report one, read one, and one action endpoint per step
(``assign``, ``rectify``, ``verify``, ``reject-verification``, ``close``, ``cancel``)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from logistics.api.viewsets import SchoolScopedCreateReadViewSet
from logistics.workflow.api import WorkflowViewSetMixin

from .. import services
from ..filtersets import CorrectiveActionFilterSet
from ..models import CorrectiveAction
from . import serializers as s


@extend_schema_view(
    list=extend_schema(summary="Corrective actions the user may see (filter, search, page)"),
    create=extend_schema(summary="Report something to put right (JSON, or multipart with one photo)"),
    retrieve=extend_schema(summary="A corrective action with its photos", responses=s.CorrectiveActionDetailSerializer),
)
class CorrectiveActionViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = CorrectiveAction.objects.select_related(
        "room__building", "found_by", "owner", "rectified_by", "verified_by"
    )
    serializer_class = s.CorrectiveActionSerializer
    step_response_serializer = s.CorrectiveActionDetailSerializer
    filterset_class = CorrectiveActionFilterSet
    search_fields = ["title", "reference", "spot"]
    ordering_fields = ["found_at", "deadline", "reference_number", "status", "id"]
    ordering = ["-found_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.CorrectiveActionDetailSerializer
        return super().get_serializer_class()

    def create_object(self, serializer):
        data = serializer.validated_data
        action = services.open_action(
            school=data["school"],
            actor=self.request.user,
            origin=data["origin"],
            title=data["title"],
            description=data.get("description", ""),
            place=data.get("room") or data.get("spot", ""),
            level=data.get("level") or "general",
            photos=[data["photo"]] if data.get("photo") else (),
        )
        serializer.instance = action
        return action
