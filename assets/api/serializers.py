"""Serializers of the assets API: records, and the input of each declared step (on the workflow's
``StepSerializer``: every relation narrowed to the record's school)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from logistics.accounts import permissions
from logistics.api.serializers import SchoolScopedSerializer
from logistics.tenancy.models import Room
from logistics.workflow.serializers import StepSerializer

from ..choices import Condition, DisposalMethod
from ..models import (
    Asset,
    AssetImport,
    AssetLoan,
    AssetMovement,
    Category,
    Consumable,
    ConsumableStock,
    DamageRecord,
    DisposalRequest,
    IssueRequest,
    StockTake,
    StockTakeLine,
)
from ..settings_rules import check_consumable_price, check_damage_amount, check_price

User = get_user_model()
VALUE_FIELDS = ("unit_price",)


class AssetsErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.CharField(required=False)


class AssetSerializer(SchoolScopedSerializer):
    """An asset card. ``unit_price`` is left out for users who may not see values."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    room_name = serializers.CharField(source="room.name", read_only=True, default=None, allow_null=True)
    building = serializers.IntegerField(source="room.building_id", read_only=True, default=None, allow_null=True)
    custodian_name = serializers.CharField(source="custodian", read_only=True, default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    price_confirmed = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="true when an unusually high unit_price (above the rule assets.unit_price_confirm_above) "
        "is right; a unit_price above assets.unit_price_maximum is refused anyway.",
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "school",
            "code",
            "name",
            "category",
            "category_name",
            "model_spec",
            "serial_number",
            "unit_price",
            "price_confirmed",
            "purchase_date",
            "funding_source",
            "supplier",
            "invoice_number",
            "warranty_end",
            "life_years",
            "bulk_item",
            "room",
            "room_name",
            "building",
            "custodian",
            "custodian_name",
            "department",
            "status",
            "status_label",
            "disposed_on",
            "notes",
        ]
        read_only_fields = ["code", "room", "custodian", "status", "disposed_on"]
        # left out for users who may not see values (``unit_price`` is then absent from the answer)
        extra_kwargs = {"school": {"required": False}, "unit_price": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        price = attrs.get("unit_price")
        changed = self.instance is None or (price is not None and price != self.instance.unit_price)
        if price is not None and changed:
            school = attrs.get("school") or getattr(self.instance, "school", None)
            try:
                check_price(school, price, attrs.get("price_confirmed", False))
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict) from exc
        return attrs

    def update(self, instance, validated_data):
        validated_data.pop("price_confirmed", None)
        return super().update(instance, validated_data)

    @classmethod
    def representation_adjuster(cls, context):
        """What a user who may not see values gets: the card without ``unit_price`` (None: unchanged).
        Used by ``to_representation`` and by the list's values rows (``logistics.api.rows``)."""
        request = context.get("request")
        value_schools = value_schools_for(request.user) if request is not None else None
        if value_schools is None:
            return None

        def adjust(data):
            if data["school"] not in value_schools:
                for name in VALUE_FIELDS:
                    data.pop(name, None)
            return data

        return adjust

    def to_representation(self, obj):
        data = super().to_representation(obj)
        adjust = self.representation_adjuster(self.context)
        return adjust(data) if adjust is not None else data


def value_schools_for(user):
    """Schools where ``user`` may see asset values (None: everywhere)."""
    if user.is_superuser:
        return None
    scopes = permissions.scopes_for(user, "assets.view_value_asset")
    return set().union(*scopes.values()) if scopes else set()


class CardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class AcquiredSerializer(AssetSerializer):
    """The answer to an acquisition: the first card, and every card created."""

    cards = CardRefSerializer(many=True, read_only=True)

    class Meta(AssetSerializer.Meta):
        fields = [*AssetSerializer.Meta.fields, "cards"]


class AssetCreateSerializer(AssetSerializer):
    """Acquisition: ``quantity`` items make as many cards (the response lists them)."""

    quantity = serializers.IntegerField(min_value=1, max_value=1000, default=1, write_only=True)
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    custodian = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)

    class Meta(AssetSerializer.Meta):
        fields = [*AssetSerializer.Meta.fields, "quantity"]
        read_only_fields = ["code", "status", "disposed_on"]


class CategorySerializer(SchoolScopedSerializer):
    class Meta:
        model = Category
        fields = ["id", "school", "code", "name", "life_years", "is_fixed_asset"]
        extra_kwargs = {"school": {"required": False}}


class AssetsMovementSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AssetMovement
        fields = [
            "id",
            "school",
            "asset",
            "kind",
            "kind_label",
            "date",
            "from_room",
            "to_room",
            "from_custodian",
            "to_custodian",
            "from_status",
            "to_status",
            "note",
            "created",
        ]


class AssetsLoanSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetLoan
        fields = [
            "id",
            "school",
            "asset",
            "borrower",
            "borrower_name",
            "lent_on",
            "expected_return",
            "returned_on",
            "purpose",
        ]


class TransferSerializer(StepSerializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    custodian = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    department = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class LendSerializer(StepSerializer):
    borrower = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    borrower_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    expected_return = serializers.DateField(required=False, allow_null=True)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AssetsNoteSerializer(StepSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AssetsRequiredNoteSerializer(StepSerializer):
    note = serializers.CharField(max_length=500)


class DisposalRequestStepSerializer(StepSerializer):
    reason = serializers.CharField()
    method = serializers.ChoiceField(choices=DisposalMethod.choices, default=DisposalMethod.SCRAP)


class DisposalSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DisposalRequest
        fields = [
            "id",
            "school",
            "reference",
            "assets",
            "reason",
            "method",
            "status",
            "status_label",
            "requested_by",
            "head_approved_by",
            "head_approved_at",
            "principal_approved_by",
            "principal_approved_at",
            "decision_note",
            "written_off_on",
            "proceeds",
            "created",
        ]


class WriteOffSerializer(StepSerializer):
    date = serializers.DateField(required=False, allow_null=True)
    proceeds = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, default=0, min_value=Decimal(0)
    )


class AssetsStockSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsumableStock
        fields = ["store", "quantity"]


def _confirm_field(what, rule):
    return serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=f"true when an unusually high {what} (above the rule {rule}_confirm_above) is right; "
        f"{what} above {rule}_maximum is refused anyway.",
    )


def _bounded(serializer, attrs, name, check, flag):
    value = attrs.get(name)
    instance = serializer.instance
    changed = instance is None or (value is not None and value != getattr(instance, name))
    if value is not None and changed:
        school = attrs.get("school") or getattr(instance, "school", None) or serializer.context["request"].school
        try:
            check(school, value, attrs.get(flag, False))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


class ConsumableSerializer(SchoolScopedSerializer):
    """A consumable; ``unit_price`` is bounded by the rules ``assets.consumable_price_*``."""

    stocks = AssetsStockSerializer(many=True, read_only=True)
    is_low = serializers.BooleanField(read_only=True)
    price_confirmed = _confirm_field("unit_price", "assets.consumable_price")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        _bounded(self, attrs, "unit_price", check_consumable_price, "price_confirmed")
        attrs.pop("price_confirmed", None)
        return attrs

    def create(self, validated_data):
        validated_data.pop("price_confirmed", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("price_confirmed", None)
        return super().update(instance, validated_data)

    class Meta:
        model = Consumable
        fields = [
            "id",
            "school",
            "name",
            "spec",
            "unit",
            "unit_price",
            "minimum_level",
            "total_quantity",
            "is_low",
            "stocks",
            "notes",
            "price_confirmed",
        ]
        read_only_fields = ["total_quantity"]
        extra_kwargs = {"school": {"required": False}}


class AssetsReceiveSerializer(serializers.Serializer):
    store = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    price_confirmed = _confirm_field("unit_price", "assets.consumable_price")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class IssueRequestSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = IssueRequest
        fields = [
            "id",
            "school",
            "reference",
            "consumable",
            "quantity",
            "purpose",
            "requester",
            "status",
            "status_label",
            "store",
            "decided_by",
            "decided_at",
            "decision_note",
            "created",
        ]
        read_only_fields = [f for f in fields if f not in ("quantity", "purpose")]


class IssueCreateSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    purpose = serializers.CharField(max_length=300)


class IssueDecisionSerializer(StepSerializer):
    store = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class StockTakeSerializer(SchoolScopedSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = StockTake
        fields = [
            "id",
            "school",
            "reference",
            "name",
            "whole_school",
            "rooms",
            "status",
            "status_label",
            "started_on",
            "submitted_at",
            "approved_by",
            "approved_at",
            "expected_count",
            "notes",
        ]
        read_only_fields = [
            "reference",
            "status",
            "started_on",
            "submitted_at",
            "approved_by",
            "approved_at",
            "expected_count",
        ]
        extra_kwargs = {"school": {"required": False}}


class StockTakeLineSerializer(serializers.ModelSerializer):
    asset_code = serializers.CharField(source="asset.code", read_only=True, default=None)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = StockTakeLine
        fields = [
            "id",
            "stocktake",
            "asset",
            "asset_code",
            "expected_room",
            "found_room",
            "result",
            "result_label",
            "condition",
            "scanned_by",
            "scanned_at",
            "explanation",
            "item_name",
            "item_category",
            "item_value",
            "applied",
        ]


class AssetsScanSerializer(serializers.Serializer):
    """A scan: the asset (id, code, or label address) and the room it was seen in."""

    asset = serializers.IntegerField(required=False)
    code = serializers.CharField(required=False, max_length=300, help_text=_("Asset code or label address"))
    room = serializers.IntegerField()
    condition = serializers.ChoiceField(choices=[("", "—"), *Condition.choices], required=False, default="")

    def validate(self, attrs):
        if not attrs.get("asset") and not attrs.get("code"):
            raise serializers.ValidationError({"code": _("Give the asset id or code.")})
        return attrs


class UnledgeredSerializer(StepSerializer):
    room = serializers.IntegerField()
    item_name = serializers.CharField(max_length=200)
    item_category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    item_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=Decimal(0)
    )
    condition = serializers.ChoiceField(choices=[("", "—"), *Condition.choices], required=False, default="")
    explanation = serializers.CharField(required=False, allow_blank=True)


class AssetsExplainSerializer(StepSerializer):
    line = serializers.IntegerField()
    explanation = serializers.CharField()
    item_category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    item_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=Decimal(0)
    )


class AssetsEmptySerializer(serializers.Serializer):
    pass


class DamageRecordSerializer(SchoolScopedSerializer):
    """A damage record; ``amount`` is bounded by the rules ``assets.damage_amount_*``."""

    price_confirmed = _confirm_field("amount", "assets.damage_amount")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        _bounded(self, attrs, "amount", check_damage_amount, "price_confirmed")
        attrs.pop("price_confirmed", None)
        return attrs

    def create(self, validated_data):
        validated_data.pop("price_confirmed", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("price_confirmed", None)
        return super().update(instance, validated_data)

    class Meta:
        model = DamageRecord
        fields = [
            "id",
            "school",
            "reference",
            "asset",
            "room",
            "responsible_class",
            "responsible_student",
            "responsible_person",
            "description",
            "occurred_on",
            "amount",
            "paid",
            "paid_at",
            "receipt_number",
            "source_type",
            "source_id",
            "price_confirmed",
        ]
        read_only_fields = ["reference", "paid", "paid_at", "receipt_number", "source_type", "source_id"]
        extra_kwargs = {"school": {"required": False}}


class AssetsPaymentSerializer(StepSerializer):
    receipt_number = serializers.CharField(required=False, allow_blank=True, max_length=60)


class ImportSerializer(SchoolScopedSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = AssetImport
        fields = [
            "id",
            "school",
            "file",
            "original_name",
            "headers",
            "mapping",
            "status",
            "status_label",
            "total_rows",
            "processed_rows",
            "progress_percent",
            "created_count",
            "errors",
            "message",
            "finished_at",
        ]
        read_only_fields = [f for f in fields if f not in ("file", "school")]
        extra_kwargs = {"school": {"required": False}}

    def validate_file(self, upload):
        """The web form's limits: .xlsx or .csv, at most 20 MB, a real workbook."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        from ..services.imports import check_upload

        try:
            check_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return upload


class AssetsMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.IntegerField(min_value=0), help_text=_("{field: column index}"))
    bulk_below_threshold = serializers.BooleanField(default=False)
    old_codes = serializers.BooleanField(
        default=False, help_text="The ledger's category codes are the ones before GB/T 14885-2022."
    )
