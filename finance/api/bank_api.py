"""API of the bank/payment-platform import of payments, on the import engine's mixin: upload (multipart
``file``) → ``mapping`` → ``validate`` → ``preview`` → ``run``."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from logistics.api.viewsets import SchoolScopedCreateReadViewSet
from logistics.imports.api import ImportRecordSerializer, import_viewset_mixin

from ..models import PaymentImport


class PaymentImportSerializer(ImportRecordSerializer):
    class Meta(ImportRecordSerializer.Meta):
        model = PaymentImport


@extend_schema_view(
    list=extend_schema(summary="Uploaded bank or payment-platform statements of payments"),
    create=extend_schema(summary="Upload a statement (XLSX or CSV); the columns are guessed from its header row"),
)
class PaymentImportViewSet(import_viewset_mixin(PaymentImportSerializer), SchoolScopedCreateReadViewSet):
    queryset = PaymentImport.objects.all()
    serializer_class = PaymentImportSerializer
    ordering = ["-created", "-id"]
