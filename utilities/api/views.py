"""The utilities API: meters, and readings (created and read; corrected through the ``correct`` step)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from logistics.api.viewsets import SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet
from logistics.workflow.api import WorkflowViewSetMixin

from .. import services
from ..filtersets import MeterFilterSet, MeterReadingFilterSet
from ..models import Meter, MeterReading
from . import serializers as s


@extend_schema_view(
    list=extend_schema(summary="Meters of the school (filter by kind, campus, building, in use)"),
    create=extend_schema(summary="Add a meter"),
)
class MeterViewSet(SchoolScopedModelViewSet):
    queryset = Meter.objects.select_related("campus", "building")
    serializer_class = s.MeterSerializer
    filterset_class = MeterFilterSet
    search_fields = ["name", "number"]
    ordering_fields = ["name", "kind", "id"]
    ordering = ["campus__name", "kind", "name", "id"]


@extend_schema_view(
    list=extend_schema(summary="Readings (filter by meter, kind, campus, month range, above the usual)"),
    create=extend_schema(
        summary="Record a month's reading: the meter value, or the use of a meter read from the bill",
        description="Refused (400) when the month already has a reading, a later month is recorded, or the "
        "value is lower than the previous one without `replacement` and a `reason`.",
    ),
)
class MeterReadingViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = MeterReading.objects.select_related("meter", "entered_by").prefetch_related("corrections__corrected_by")
    serializer_class = s.MeterReadingSerializer
    filterset_class = MeterReadingFilterSet
    search_fields = ["meter__name", "meter__number"]
    ordering_fields = ["month", "read_on", "id"]
    ordering = ["-month", "meter_id", "id"]
    step_response_serializer = s.MeterReadingSerializer

    def create_object(self, serializer):
        data = serializer.validated_data
        reading = services.record_reading(
            data["meter"],
            self.request.user,
            data["month"],
            data["read_on"],
            value=data.get("value"),
            consumption=data.get("consumption"),
            replacement=data.get("replacement", False),
            reason=data.get("reason", ""),
        )
        serializer.instance = reading
        return reading
