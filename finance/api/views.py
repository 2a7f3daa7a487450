"""The finance API: fee items, the board's versions (submit, approve, reject, publish) and consents
(give, decline, revoke). Parents use the same endpoints for their own children."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from logistics.api.viewsets import SchoolScopedModelViewSet, SchoolScopedReadOnlyViewSet
from logistics.workflow.api import WorkflowViewSetMixin

from .. import services
from ..filtersets import ConsentFilterSet, FeeDisclosureFilterSet, FeeItemFilterSet
from ..models import Consent, FeeDisclosure, FeeItem
from . import serializers as s


@extend_schema_view(
    list=extend_schema(summary="The school's fee items"),
    create=extend_schema(summary="Add a fee item (administrative fees need their basis)"),
)
class FeeItemViewSet(SchoolScopedModelViewSet):
    queryset = FeeItem.objects.prefetch_related("grades")
    serializer_class = s.FeeItemSerializer
    filterset_class = FeeItemFilterSet
    search_fields = ["name", "basis_document"]
    ordering_fields = ["name", "category", "amount", "id"]
    ordering = ["category", "name", "id"]


@extend_schema_view(
    list=extend_schema(summary="Versions of the fee disclosure board"),
    create=extend_schema(summary="Start the next version (a draft)"),
    update=extend_schema(summary="Change a draft's note; a published version answers 409"),
    partial_update=extend_schema(summary="Change a draft's note; a published version answers 409"),
    destroy=extend_schema(summary="Delete a draft; a published version answers 409"),
)
class FeeDisclosureViewSet(WorkflowViewSetMixin, SchoolScopedModelViewSet):
    queryset = FeeDisclosure.objects.prefetch_related("entries")
    serializer_class = s.FeeDisclosureSerializer
    filterset_class = FeeDisclosureFilterSet
    ordering_fields = ["version", "published_at", "id"]
    ordering = ["-version"]

    def create_object(self, serializer):
        data = serializer.validated_data
        disclosure = services.new_disclosure(data["school"], self.request.user, data.get("note", ""))
        serializer.instance = disclosure
        return disclosure


@extend_schema_view(list=extend_schema(summary="Consents for voluntary fees (parents: their own children)"))
class ConsentViewSet(WorkflowViewSetMixin, SchoolScopedReadOnlyViewSet):
    queryset = Consent.objects.select_related("student", "fee_item")
    serializer_class = s.ConsentSerializer
    filterset_class = ConsentFilterSet
    ordering_fields = ["id", "decided_at"]
    ordering = ["fee_item_id", "student__student_number", "id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
