"""Serializers of the finance API: fee items, board versions with their entries, consents and the
request bodies of their steps."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Func, TextField
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from logistics.api.rows import RowProxy, row_columns
from logistics.api.serializers import SchoolScopedSerializer
from logistics.attachments.validators import FileValidator
from logistics.people.models import Grade
from logistics.workflow.serializers import StepSerializer

from ..choices import AdministrativeKind, ConsentChannel
from ..models import (
    Charge,
    Consent,
    DisclosureEntry,
    FeeDisclosure,
    FeeItem,
    Payment,
    Refund,
    Settlement,
    Waiver,
)


class FeeItemSerializer(SchoolScopedSerializer):
    """A fee item with every field the board shows; administrative fees need their basis (文号)."""

    grades = serializers.PrimaryKeyRelatedField(queryset=Grade.objects.all(), many=True, required=False)
    scope = serializers.CharField(source="scope_text", read_only=True)

    class Meta:
        model = FeeItem
        fields = [
            "id",
            "school",
            "category",
            "administrative_kind",
            "name",
            "amount",
            "unit",
            "basis_authority",
            "basis_document",
            "grades",
            "boarders_only",
            "scope_note",
            "scope",
            "period_label",
            "period_start",
            "period_end",
            "due_date",
            "waiver_policy",
            "voluntary",
            "complaint_phone",
            "on_board",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = FeeItem(**{k: v for k, v in attrs.items() if k != "grades"})
        if self.instance is not None:
            for field in FeeItem._meta.concrete_fields:
                if field.name not in attrs and field.name != "id":
                    setattr(instance, field.attname, getattr(self.instance, field.attname))
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        if instance.voluntary != attrs.get("voluntary", instance.voluntary):
            attrs["voluntary"] = instance.voluntary
        return attrs


class DisclosureEntrySerializer(serializers.ModelSerializer):
    administrative_kind = serializers.ChoiceField(choices=AdministrativeKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = DisclosureEntry
        fields = [
            "id",
            "fee_item",
            "category",
            "administrative_kind",
            "name",
            "amount",
            "unit",
            "basis_authority",
            "basis_document",
            "scope",
            "period_label",
            "period_start",
            "period_end",
            "waiver_policy",
            "voluntary",
            "complaint_phone",
        ]
        read_only_fields = fields


class FeeDisclosureSerializer(SchoolScopedSerializer):
    """A version of the board. Create a draft with a ``note``; the entries are copied from the fee items
    when it is submitted. Published versions answer PUT/PATCH/DELETE with 409."""

    entries = DisclosureEntrySerializer(many=True, read_only=True)

    class Meta:
        model = FeeDisclosure
        fields = [
            "id",
            "school",
            "version",
            "status",
            "note",
            "supersedes",
            "submitted_at",
            "submitted_by",
            "approved_at",
            "approved_by",
            "published_at",
            "published_by",
            "superseded_at",
            "rejection_reason",
            "entries",
        ]
        read_only_fields = [f for f in fields if f not in ("school", "note")]


class ConsentSerializer(SchoolScopedSerializer):
    student_name = serializers.CharField(source="student.name", read_only=True)
    fee_item_name = serializers.CharField(source="fee_item.name", read_only=True)
    amount = serializers.DecimalField(source="fee_item.amount", max_digits=10, decimal_places=2, read_only=True)
    channel = serializers.ChoiceField(choices=ConsentChannel.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "school",
            "fee_item",
            "fee_item_name",
            "amount",
            "student",
            "student_name",
            "status",
            "channel",
            "signed_by",
            "decided_at",
            "decided_by",
            "revoked_at",
            "revoke_reason",
        ]
        read_only_fields = fields


class GiveConsentSerializer(StepSerializer):
    """A guardian sends ``{}``; anybody else records the signed paper form: ``signed_by`` (the guardian
    who signed) and ``paper_form`` (its scan, multipart)."""

    signed_by = serializers.CharField(max_length=50, required=False, allow_blank=True)
    paper_form = serializers.FileField(required=False, validators=[FileValidator()])


MONEY = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
CENT = Decimal("0.01")


def _money(value):
    """A DecimalField's representation: the amount as a string with its two places."""
    return str(Decimal(value).quantize(CENT))


class MoneyText(Func):
    """An amount as DRF's DecimalField writes it (two places, as text)."""

    template = "((%(expressions)s)::numeric(12,2))::text"
    output_field = TextField()


def money_text(expression):
    return MoneyText(expression)


def figure_sums(prefix):
    """The charge's (``<prefix>pk``) waived, paid and refunded sums as expressions (``finance.money``)."""
    from .. import money

    return money.figure_expressions(f"{prefix}pk")


def balance_expression(prefix):
    sums = figure_sums(prefix)
    return F(f"{prefix}amount") - sums["waived"] - sums["paid"] + sums["refunded"]


class ChargeSerializer(SchoolScopedSerializer):
    """A student's charge for one fee item. Create with ``fee_item`` and ``student``: refused unless the
    item is on the published board and, when voluntary, the guardian agreed. Figures from the records."""

    fee_item_name = serializers.CharField(source="fee_item.name", read_only=True)
    student_name = serializers.CharField(source="student.name", read_only=True)
    # The figures, always from the records (``finance.money``): the annotations of ``with_balances`` when
    # the charge was read with them, else read now; in SQL (``logistics.api.sqlrows``) the same sums.
    waived = serializers.SerializerMethodField(help_text="Approved waivers (yuan).")
    paid = serializers.SerializerMethodField(help_text="Payments recorded and not reversed (yuan).")
    refunded = serializers.SerializerMethodField(help_text="Approved refunds (yuan).")
    balance = serializers.SerializerMethodField(help_text="charged − waived − paid + refunded (yuan).")

    @staticmethod
    def _figures(obj):
        from .. import money

        try:
            return obj.amount, obj.waived, obj.paid, obj.refunded
        except AttributeError:  # not read with ``with_balances``
            cached = getattr(obj, "_figures_cache", None) if not isinstance(obj, RowProxy) else None
            if cached is None:
                charged, waived, paid, refunded, _balance = money.figures(obj)
                cached = (charged, waived, paid, refunded)
                if not isinstance(obj, RowProxy):
                    obj._figures_cache = cached
            return cached

    @extend_schema_field(MONEY)
    @row_columns("amount", expression=lambda prefix: money_text(figure_sums(prefix)["waived"]))
    def get_waived(self, obj):
        return _money(self._figures(obj)[1])

    @extend_schema_field(MONEY)
    @row_columns("amount", expression=lambda prefix: money_text(figure_sums(prefix)["paid"]))
    def get_paid(self, obj):
        return _money(self._figures(obj)[2])

    @extend_schema_field(MONEY)
    @row_columns("amount", expression=lambda prefix: money_text(figure_sums(prefix)["refunded"]))
    def get_refunded(self, obj):
        return _money(self._figures(obj)[3])

    @extend_schema_field(MONEY)
    @row_columns("amount", expression=lambda prefix: money_text(balance_expression(prefix)))
    def get_balance(self, obj):
        charged, waived, paid, refunded = self._figures(obj)
        return _money(charged - waived - paid + refunded)

    class Meta:
        model = Charge
        fields = [
            "id",
            "school",
            "reference",
            "fee_item",
            "fee_item_name",
            "student",
            "student_name",
            "amount",
            "due_date",
            "waived",
            "paid",
            "refunded",
            "balance",
            "created",
        ]
        read_only_fields = ["reference", "amount", "due_date", "created"]

    def _validate_constraints(self, model, attrs):
        """The uniqueness of (item, student) is answered by the service (it returns the existing charge)."""


class PaymentSerializer(SchoolScopedSerializer):
    """A payment: ``charge``, ``amount``, ``method``, ``receipt_number`` (票据号), ``paid_on``."""

    student_name = serializers.CharField(source="charge.student.name", read_only=True)
    fee_item_name = serializers.CharField(source="charge.fee_item.name", read_only=True)
    receipt_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "school",
            "charge",
            "student_name",
            "fee_item_name",
            "amount",
            "method",
            "receipt_number",
            "transaction_id",
            "payment_import",
            "paid_on",
            "status",
            "created_by",
            "reversed_at",
            "reversed_by",
            "reversal_reason",
            "receipt_pdf",
        ]
        read_only_fields = [
            "status",
            "created_by",
            "reversed_at",
            "reversed_by",
            "reversal_reason",
            "payment_import",
        ]

    def get_receipt_pdf(self, obj) -> str:
        from django.urls import reverse

        return reverse("finance:payment_receipt", args=[obj.pk])


class WaiverSerializer(SchoolScopedSerializer):
    class Meta:
        model = Waiver
        fields = [
            "id",
            "school",
            "charge",
            "amount",
            "kind",
            "reason",
            "status",
            "created_by",
            "decided_at",
            "decided_by",
        ]
        read_only_fields = ["status", "created_by", "decided_at", "decided_by"]


class RefundSerializer(SchoolScopedSerializer):
    class Meta:
        model = Refund
        fields = [
            "id",
            "school",
            "charge",
            "amount",
            "method",
            "reason",
            "status",
            "created_by",
            "decided_at",
            "decided_by",
            "decision_note",
        ]
        read_only_fields = ["status", "created_by", "decided_at", "decided_by", "decision_note"]


class SettlementSerializer(SchoolScopedSerializer):
    """A term settlement: create with ``fee_item``, ``split`` (``equal``, ``by_charge`` or ``per_student``),
    ``actual_total`` (not with ``per_student``: the sum of the costs entered) and ``spending_note``;
    then the steps ``compute`` (finance officer) and ``approve`` (principal)."""

    def validate(self, attrs):
        from decimal import Decimal

        from ..choices import CostSplit

        attrs = super().validate(attrs)
        split = attrs.get("split", getattr(self.instance, "split", CostSplit.EQUAL))
        if split == CostSplit.PER_STUDENT:
            attrs.setdefault("actual_total", Decimal("0"))
        elif attrs.get("actual_total") is None and self.instance is None:
            raise serializers.ValidationError({"actual_total": _("Enter the actual total, or choose per student.")})
        return attrs

    fee_item_name = serializers.CharField(source="fee_item.name", read_only=True)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "school",
            "fee_item",
            "fee_item_name",
            "split",
            "actual_total",
            "spending_note",
            "status",
            "collects_shortfall",
            "collected_total",
            "refund_total",
            "shortfall_total",
            "computed_at",
            "approved_at",
            "approved_by",
        ]
        read_only_fields = [
            "status",
            "collects_shortfall",
            "collected_total",
            "refund_total",
            "shortfall_total",
            "computed_at",
            "approved_at",
            "approved_by",
        ]
        extra_kwargs = {"actual_total": {"required": False}}
