"""The finance API: fee items, the board's versions (submit, approve, reject, publish) and consents
(give, decline, revoke). Parents use the same endpoints for their own children."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from logistics.api.rows import ValuesRows
from logistics.api.viewsets import SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet, SchoolScopedReadOnlyViewSet
from logistics.workflow.api import WorkflowViewSetMixin

from .. import money, services
from ..filtersets import (
    ChargeFilterSet,
    ConsentFilterSet,
    FeeDisclosureFilterSet,
    FeeItemFilterSet,
    PaymentFilterSet,
    RefundFilterSet,
    WaiverFilterSet,
)
from ..models import Charge, Consent, FeeDisclosure, FeeItem, Payment, Refund, Settlement, Waiver
from . import serializers as s
from .bulk import FeeItemBulkActionsMixin
from .cost_api import SettlementCostsMixin


@extend_schema_view(
    list=extend_schema(summary="The school's fee items"),
    create=extend_schema(summary="Add a fee item (administrative fees need their basis)"),
)
class FeeItemViewSet(FeeItemBulkActionsMixin, SchoolScopedModelViewSet):
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

    def take_step(self, obj, name):
        from logistics.workflow.steps import get_step

        from ..steps import revoke_refusal

        revoke_refusal(self.request.user, get_step(Consent, name), obj.pk)
        return super().take_step(obj, name)


def _service_errors(call):
    """A service's ``ValidationError`` as the API's 400 (field errors kept)."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.exceptions import ValidationError

    try:
        return call()
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) from exc


@extend_schema_view(
    list=extend_schema(summary="Charges with their figures (parents: their own children)"),
    create=extend_schema(summary="Charge a student for a published fee item (voluntary: with consent)"),
)
class ChargeViewSet(SchoolScopedCreateReadViewSet):
    queryset = Charge.objects.select_related("fee_item", "student")
    serializer_class = s.ChargeSerializer
    filterset_class = ChargeFilterSet
    ordering_fields = ["reference_number", "due_date", "id"]
    ordering = ["-reference_number", "-id"]
    # the list: ids first, then each page's rows as JSON built by PostgreSQL (``logistics.api.sqlrows``),
    # the figures summed from the records in the same query
    list_rows = ValuesRows(s.ChargeSerializer)
    #: each row's JSON kept 5 minutes under the latest time of the charge and of its payments, waivers and
    #: refunds (``money.money_stamps``): a payment or a reversal shows in the balance at once
    keep_rows = 300
    watch = ("finance.payment", "finance.waiver", "finance.refund")  # the figures (as ``row_stamps``)

    def get_queryset(self):
        queryset = super().get_queryset()
        # the list's rows sum their figures in their own SQL: the count and the page's ids need none
        return queryset if self.action == "list" else money.with_balances(queryset)

    def row_stamps(self, ids):
        return money.money_stamps(ids)

    def create_object(self, serializer):
        data = serializer.validated_data
        charge = _service_errors(lambda: money.charge_student(data["fee_item"], data["student"], self.request.user))
        serializer.instance = money.with_balances(Charge.objects.filter(pk=charge.pk)).get()
        return charge


@extend_schema_view(
    list=extend_schema(summary="Payments (parents: their own children)"),
    create=extend_schema(summary="Record a payment with its receipt number"),
)
class PaymentViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = Payment.objects.select_related("charge__student", "charge__fee_item")
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilterSet
    ordering_fields = ["paid_on", "id"]
    ordering = ["-paid_on", "-id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        payment = _service_errors(
            lambda: money.record_payment(
                data["charge"],
                self.request.user,
                data["amount"],
                data["method"],
                data["receipt_number"],
                data["paid_on"],
                transaction_id=data.get("transaction_id", ""),
            )
        )
        serializer.instance = payment
        return payment


@extend_schema_view(create=extend_schema(summary="Ask for a waiver (approved by someone else)"))
class WaiverViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = Waiver.objects.select_related("charge")
    serializer_class = s.WaiverSerializer
    filterset_class = WaiverFilterSet
    ordering = ["-id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        waiver = _service_errors(
            lambda: money.request_waiver(
                data["charge"], self.request.user, data["amount"], data["kind"], data["reason"]
            )
        )
        serializer.instance = waiver
        return waiver


@extend_schema_view(create=extend_schema(summary="Ask for a refund (approved by someone else)"))
class RefundViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = Refund.objects.select_related("charge")
    serializer_class = s.RefundSerializer
    filterset_class = RefundFilterSet
    ordering = ["-id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        refund = _service_errors(
            lambda: money.request_refund(
                data["charge"], self.request.user, data["amount"], data["reason"], data.get("method")
            )
        )
        serializer.instance = refund
        return refund


@extend_schema_view(
    list=extend_schema(summary="Term settlements of at-cost fees"),
    create=extend_schema(summary="Start a settlement: the actual total and how the money was spent"),
)
class SettlementViewSet(SettlementCostsMixin, WorkflowViewSetMixin, SchoolScopedModelViewSet):
    queryset = Settlement.objects.select_related("fee_item")
    serializer_class = s.SettlementSerializer
    ordering = ["-id"]
