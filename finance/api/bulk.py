"""Bulk actions of the fee-items API: ask the guardians for consent and charge the students — for one
item (``POST /fee-items/{id}/open-consents/``, ``…/generate-charges/``) or for every item of a term
(``POST /fee-items/open-consents/`` with ``{"period_label": …}``). What the item page's buttons do, through
the same services; idempotent: running an action twice adds nothing the second time (counts 0)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from logistics.api.docs import internal_doc
from logistics.workflow.serializers import ErrorSerializer

from .. import money, services
from ..models import FeeItem

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class NoInputSerializer(serializers.Serializer):
    pass


class TermSerializer(serializers.Serializer):
    period_label = serializers.CharField(
        max_length=50, help_text="The term (the fee items' period, e.g. 2026年秋季学期)."
    )
    school = serializers.IntegerField(
        required=False, help_text="Only this school's items (default: every school where you may)."
    )


class ItemCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Consents opened / charges made now (0 when already done).")
    skipped = serializers.CharField(allow_blank=True, help_text="Why nothing was done for this item, if so.")


class BulkResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="The total made now; 0 when run again.")
    items = ItemCountSerializer(many=True)


def _message(exc):
    return " ".join(exc.messages)


@internal_doc
class FeeItemBulkActionsMixin:
    """On ``FeeItemViewSet``: the permission of each action is declared (``open_consents_feeitem``,
    ``charge_feeitem``), its row scope applies, and the term actions read only the items of schools
    where the user holds it."""

    def _one(self, call):
        item = self.get_object()
        try:
            with transaction.atomic():
                count = call(item, self.request.user)
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response({"count": count, "items": [{"id": item.pk, "name": str(item), "count": count, "skipped": ""}]})

    def _term(self, request, perm, call, only):
        serializer = TermSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = FeeItem.objects.restrict(request.user, perm).filter(period_label=data["period_label"])
        if "school" in data:
            items = items.filter(school_id=data["school"])
        items = list(items.filter(**only).order_by("school_id", "category", "name"))
        if not items:
            raise ValidationError({"period_label": [_("No fee item of this term that you may act on.")]})
        rows, total = [], 0
        with transaction.atomic():
            for item in items:
                try:
                    with transaction.atomic():
                        count = call(item, request.user)
                    rows.append({"id": item.pk, "name": str(item), "count": count, "skipped": ""})
                    total += count
                except DjangoValidationError as exc:  # not on the published board: said, not fatal
                    rows.append({"id": item.pk, "name": str(item), "count": 0, "skipped": _message(exc)})
        return Response({"count": total, "items": rows})

    @extend_schema(
        summary="Ask the guardians of every student in the item's scope for consent (voluntary items)",
        description="Opens a pending consent for each student in scope who has none; run twice, opens nothing.",
        request=NoInputSerializer,
        responses={200: BulkResultSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="open-consents", permission_action="open_consents")
    def open_consents(self, request, pk=None):
        return self._one(services.open_consents)

    @extend_schema(
        summary="Charge every student in the item's scope (voluntary items: where the guardian agreed)",
        description="Only an item on the published board; students already charged are skipped (idempotent).",
        request=NoInputSerializer,
        responses={200: BulkResultSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="generate-charges", permission_action="charge")
    def generate_charges(self, request, pk=None):
        return self._one(money.generate_charges)

    @extend_schema(
        operation_id="finance_fee_items_term_open_consents",
        summary="Ask for consent for every voluntary item of a term",
        request=TermSerializer,
        responses={200: BulkResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="open-consents", permission_action="open_consents")
    def open_term_consents(self, request):
        return self._term(request, "open_consents", services.open_consents, {"voluntary": True})

    @extend_schema(
        operation_id="finance_fee_items_term_generate_charges",
        summary="Charge the students for every item of a term on the published board",
        request=TermSerializer,
        responses={200: BulkResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="generate-charges", permission_action="charge")
    def generate_term_charges(self, request):
        return self._term(request, "charge", money.generate_charges, {})
