"""The reports API: the monthly reports of the school (read), and their steps — the head saves the plan or
makes the report final (``plan`` required), the principal marks it read."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from logistics.api.serializers import SchoolScopedSerializer
from logistics.api.viewsets import SchoolScopedReadOnlyViewSet
from logistics.workflow.api import WorkflowViewSetMixin
from logistics.workflow.serializers import StepSerializer

from .models import Report


class PlanSerializer(StepSerializer):
    """Next month's plan (required to make the report final)."""

    plan = serializers.CharField(max_length=5000, allow_blank=True)


class ReportSerializer(SchoolScopedSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    state_label = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "school",
            "period",
            "title",
            "status",
            "status_label",
            "state_label",
            "generated_at",
            "prepared_by",
            "open_items",
            "plan",
            "finalized_at",
            "read_by",
            "read_at",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj) -> str:
        return f"{obj.get_absolute_url()}pdf/" if obj.pdf else ""

    def get_xlsx_url(self, obj) -> str:
        return f"{obj.get_absolute_url()}xlsx/" if obj.xlsx else ""


@extend_schema_view(
    list=extend_schema(summary="Monthly reports of the school (filter by period, status)"),
    retrieve=extend_schema(summary="A monthly report: header fields, open items carried over, plan, state"),
)
class ReportViewSet(WorkflowViewSetMixin, SchoolScopedReadOnlyViewSet):
    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_fields = ["period", "status"]
    ordering_fields = ["period", "id"]
    ordering = ["-period", "id"]
    step_response_serializer = ReportSerializer


router = DefaultRouter()
router.register("reports", ReportViewSet, basename="reports-report")
urlpatterns = [path("", include(router.urls))]
