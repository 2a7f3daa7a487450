"""Serializers of the canteen API: meals with their dishes, food samples, the discard step, suppliers and
deliveries, staff health, weekly menus."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from logistics.api.serializers import SchoolScopedSerializer
from logistics.attachments.validators import validate_image
from logistics.workflow.serializers import StepSerializer

from .. import services
from ..choices import Disposal
from ..models import (
    ColdEpisode,
    ColdReading,
    ColdStore,
    Delivery,
    DeliveryLine,
    Dish,
    Disinfection,
    FoodSample,
    HealthCertificate,
    MealService,
    MenuItem,
    MorningCheck,
    ProductCategory,
    Supplier,
    SupplierLicence,
    WeeklyMenu,
)
from ..models.health import SYMPTOMS

User = get_user_model()


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "11:30", "nullable": True})
class LocalTimeField(serializers.TimeField):
    """A local time of day ("11:30"): OpenAPI's ``format: time`` demands a UTC offset a meal time has not."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


def as_drf(exc):
    """A model/service ``ValidationError`` as DRF's (400 with the field messages)."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return serializers.ValidationError(detail)


class CanteenPersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class DishSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=100)
    main_ingredients = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    has_sample = serializers.SerializerMethodField()

    class Meta:
        model = Dish
        fields = ["id", "name", "main_ingredients", "position", "served", "has_sample"]
        read_only_fields = ["id", "position", "served", "has_sample"]

    def get_has_sample(self, obj) -> bool:
        return hasattr(obj, "sample")


class MealServiceSerializer(SchoolScopedSerializer):
    """A meal service; ``dishes`` (in order) replaces the dishes served — a dish no longer listed is kept
    on record as not served; a sampled dish cannot be taken off."""

    dishes = DishSerializer(many=True, required=False)
    starts_at = LocalTimeField(required=False, allow_null=True)
    ends_at = LocalTimeField(required=False, allow_null=True)

    class Meta:
        model = MealService
        fields = ["id", "school", "date", "meal", "canteen", "starts_at", "ends_at", "note", "dishes"]
        extra_kwargs = {"school": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["dishes"] = [d for d in data["dishes"] if d["served"]] if data.get("dishes") else []
        return data

    def validate(self, attrs):
        dishes = attrs.pop("dishes", None)
        attrs = super().validate(attrs)
        if dishes is not None:
            attrs["dishes"] = dishes
        start, end = attrs.get("starts_at"), attrs.get("ends_at")
        if start and end and end <= start:
            raise serializers.ValidationError({"ends_at": [_end_message()]})
        return attrs

    def _save(self, instance, validated_data):
        dishes = validated_data.pop("dishes", None)
        with transaction.atomic():
            if instance is None:
                instance = MealService.objects.create(**validated_data)
            else:
                for key, value in validated_data.items():
                    setattr(instance, key, value)
                instance.save()
            if dishes is not None:
                try:
                    services.set_dishes(instance, [(d["name"], d.get("main_ingredients", "")) for d in dishes])
                except DjangoValidationError as exc:
                    raise as_drf(exc) from exc
        return instance

    def create(self, validated_data):
        return self._save(None, validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


def _end_message():
    from django.utils.translation import gettext

    return gettext("Serving must end after it starts.")


class FoodSampleSerializer(SchoolScopedSerializer):
    """A food sample. Create with ``dish``, ``weight_grams`` (≥ the rule ``canteen.sample_min_grams``),
    optional ``container``, ``sampled_at`` (default now) and ``photo`` (multipart); the rest is computed."""

    dish = serializers.PrimaryKeyRelatedField(queryset=Dish.objects.all())
    sampled_by = CanteenPersonSerializer(read_only=True)
    discarded_by = CanteenPersonSerializer(read_only=True, allow_null=True)
    photo = serializers.FileField(write_only=True, required=False, validators=[validate_image])
    is_late_entry = serializers.BooleanField(source="late_entry", read_only=True)

    class Meta:
        model = FoodSample
        fields = [
            "id",
            "school",
            "reference",
            "meal",
            "dish",
            "dish_name",
            "date",
            "meal_kind",
            "weight_grams",
            "container",
            "sampled_at",
            "sampled_by",
            "keep_until",
            "status",
            "discarded_at",
            "discarded_by",
            "discard_note",
            "is_late_entry",
            "created",
            "photo",
        ]
        read_only_fields = ["meal", "created"]
        extra_kwargs = {"school": {"required": False}, "sampled_at": {"required": False}}

    def validate(self, attrs):
        dish = attrs.get("dish")
        if dish is not None:
            attrs["meal"] = dish.meal
        attrs = super().validate(attrs)
        try:
            services.check_weight(attrs["school"], attrs.get("weight_grams"))
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc
        return attrs

    def create(self, validated_data):
        try:
            return services.record_sample(
                dish=validated_data["dish"],
                actor=self.context["request"].user,
                weight_grams=validated_data["weight_grams"],
                container=validated_data.get("container", ""),
                sampled_at=validated_data.get("sampled_at"),
                photo=validated_data.get("photo"),
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


class DiscardSerializer(StepSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- suppliers and deliveries ----------------------------------------------------------------------


class SupplierLicenceSerializer(SchoolScopedSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())

    class Meta:
        model = SupplierLicence
        fields = ["id", "school", "supplier", "kind", "number", "scope", "valid_until"]
        extra_kwargs = {"school": {"required": False}}


class SupplierLicenceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplierLicence
        fields = ["id", "kind", "number", "scope", "valid_until"]


class SupplierSerializer(SchoolScopedSerializer):
    licences = SupplierLicenceBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", "school", "name", "address", "contact", "phone", "supplies", "active", "licences"]
        extra_kwargs = {"school": {"required": False}}


class ProductCategorySerializer(SchoolScopedSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "school", "name", "bulk_staple"]
        extra_kwargs = {"school": {"required": False}}


class DeliveryLineSerializer(serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all())
    inspectors = CanteenPersonSerializer(many=True, read_only=True)
    best_before = serializers.DateField(read_only=True, allow_null=True)
    disposal = serializers.ChoiceField(choices=Disposal.choices, read_only=True, allow_blank=True)

    class Meta:
        model = DeliveryLine
        fields = [
            "id",
            "category",
            "product",
            "spec",
            "quantity",
            "unit",
            "production_date",
            "batch",
            "shelf_life_days",
            "expiry_date",
            "best_before",
            "price",
            "decision",
            "reason",
            "disposal",
            "decided_at",
            "inspectors",
        ]
        read_only_fields = ["decision", "reason", "disposal", "decided_at"]
        extra_kwargs = {"quantity": {"min_value": Decimal("0.01")}}


class DeliverySerializer(SchoolScopedSerializer):
    """A delivery with its lines (create them together); each line is then accepted or rejected through
    the ``accept-line`` / ``reject-line`` actions."""

    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    lines = DeliveryLineSerializer(many=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "school",
            "reference",
            "delivered_on",
            "supplier",
            "supplier_name",
            "note",
            "status",
            "retain_until",
            "lines",
            "created",
        ]
        read_only_fields = ["created"]
        extra_kwargs = {"school": {"required": False}, "delivered_on": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "lines" in self.fields:
            from logistics.workflow.serializers import restrict_relations

            restrict_relations(self.fields["lines"].child.fields, request.user, getattr(request, "school", None))

    def validate(self, attrs):
        lines = attrs.pop("lines", None)
        attrs = super().validate(attrs)
        school_id = attrs["school"].pk
        for line in lines or []:
            if line["category"].school_id != school_id:
                raise serializers.ValidationError({"lines": [_other_school()]})
        attrs["lines"] = lines or []
        return attrs

    def create(self, validated_data):
        from .. import supply

        try:
            return supply.create_delivery(
                school=validated_data["school"],
                actor=self.context["request"].user,
                supplier=validated_data["supplier"],
                delivered_on=validated_data.get("delivered_on"),
                note=validated_data.get("note", ""),
                lines=validated_data["lines"],
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


def _other_school():
    from django.utils.translation import gettext

    return gettext("This belongs to another school.")


class AcceptLineSerializer(StepSerializer):
    line = serializers.PrimaryKeyRelatedField(queryset=DeliveryLine.objects.all())
    inspectors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)


class RejectLineSerializer(StepSerializer):
    line = serializers.PrimaryKeyRelatedField(queryset=DeliveryLine.objects.all())
    reason = serializers.CharField(max_length=300)
    disposal = serializers.ChoiceField(choices=Disposal.choices)


# --- staff health -----------------------------------------------------------------------------------


class HealthCertificateSerializer(SchoolScopedSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    person_name = serializers.CharField(source="person.__str__", read_only=True)

    class Meta:
        model = HealthCertificate
        fields = ["id", "school", "person", "person_name", "number", "issued_on", "valid_until"]
        extra_kwargs = {"school": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        issued = attrs.get("issued_on", getattr(self.instance, "issued_on", None))
        until = attrs.get("valid_until", getattr(self.instance, "valid_until", None))
        if issued and until and until < issued:
            from django.utils.translation import gettext

            raise serializers.ValidationError(
                {"valid_until": [gettext("The certificate must be valid until a date after it was issued.")]}
            )
        return attrs


class MorningCheckSerializer(SchoolScopedSerializer):
    """A worker's morning check; ``on_duty`` and ``off_duty_reason`` are computed (any yes, a temperature
    ≥ the rule ``canteen.fever_celsius``, or no valid health certificate → off duty)."""

    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    checked_by = CanteenPersonSerializer(read_only=True)
    temperature = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=Decimal("34"), max_value=Decimal("43")
    )

    class Meta:
        model = MorningCheck
        fields = [
            "id",
            "school",
            "person",
            "person_name",
            "date",
            "temperature",
            "fever",
            "diarrhoea",
            "skin_wound",
            "sore_throat",
            "other_symptom",
            "note",
            "on_duty",
            "off_duty_reason",
            "checked_by",
            "checked_at",
        ]
        read_only_fields = ["date", "on_duty", "off_duty_reason", "checked_at"]
        extra_kwargs = {"school": {"required": False}}

    def create(self, validated_data):
        from .. import health

        try:
            return health.record_check(
                school=validated_data["school"],
                person=validated_data["person"],
                checked_by=self.context["request"].user,
                temperature=validated_data["temperature"],
                note=validated_data.get("note", ""),
                **{name: validated_data.get(name, False) for name in SYMPTOMS},
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


# --- weekly menus -----------------------------------------------------------------------------------


class MenuItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = MenuItem
        fields = ["id", "day", "meal", "dish", "main_ingredients", "position"]
        read_only_fields = ["id", "position"]


class WeeklyMenuSerializer(SchoolScopedSerializer):
    """A week's menu; ``items`` (day, meal, dish, main ingredients) replace a **draft**'s dishes. A published
    week is read-only: ``revise`` starts a new version, ``publish`` publishes a draft."""

    items = MenuItemSerializer(many=True, required=False)

    class Meta:
        model = WeeklyMenu
        fields = [
            "id",
            "school",
            "week_start",
            "canteen",
            "version",
            "status",
            "previous",
            "published_at",
            "published_late",
            "changes",
            "note",
            "items",
        ]
        extra_kwargs = {"school": {"required": False}}

    def validate(self, attrs):
        items = attrs.pop("items", None)
        attrs = super().validate(attrs)
        week = attrs.get("week_start", getattr(self.instance, "week_start", None))
        if week is not None and week.weekday() != 0:
            raise serializers.ValidationError({"week_start": [_gettext("Choose the Monday of the week.")]})
        if self.instance is not None and "week_start" in attrs and attrs["week_start"] != self.instance.week_start:
            raise serializers.ValidationError(
                {"week_start": [_gettext("The week of a menu cannot change; draft a menu for the other week.")]}
            )
        if week is not None and items:
            days = {week + datetime.timedelta(days=n) for n in range(7)}
            if any(item["day"] not in days for item in items):
                raise serializers.ValidationError({"items": [_gettext("Every dish must be on a day of that week.")]})
        if items is not None:
            attrs["items"] = items
        return attrs

    def _save(self, instance, validated_data):
        from .. import menus

        items = validated_data.pop("items", None)
        with transaction.atomic():
            if instance is None:
                instance = WeeklyMenu.objects.create(**validated_data)
            else:
                for key, value in validated_data.items():
                    setattr(instance, key, value)
                instance.save()
            if items is not None:
                cells = {}
                for item in items:
                    cells.setdefault((item["day"], item["meal"]), []).append(
                        (item["dish"], item.get("main_ingredients", ""))
                    )
                try:
                    menus.set_items(instance, cells)
                except DjangoValidationError as exc:
                    raise as_drf(exc) from exc
        return instance

    def create(self, validated_data):
        return self._save(None, validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


def _gettext(text):
    from django.utils.translation import gettext

    return gettext(text)


class DisinfectionSerializer(SchoolScopedSerializer):
    """A tableware disinfection; ``in_range`` and ``problems`` are computed from the method's Rules."""

    done_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    temperature = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("300"),
        required=False,
        allow_null=True,
    )
    minutes = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("999")
    )
    concentration = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("99999"),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Disinfection
        fields = [
            "id",
            "school",
            "date",
            "meal",
            "method",
            "temperature",
            "minutes",
            "concentration",
            "done_by",
            "in_range",
            "problems",
            "created",
        ]
        read_only_fields = ["created"]
        extra_kwargs = {"school": {"required": False}}


# --- cold chain -------------------------------------------------------------------------------------


class ColdStoreSerializer(SchoolScopedSerializer):
    class Meta:
        model = ColdStore
        fields = ["id", "school", "name", "active"]
        extra_kwargs = {"school": {"required": False}}


class ColdReadingSerializer(SchoolScopedSerializer):
    """A reading; ``in_range`` and ``episode`` are computed (out of the Rule range → the store's episode,
    a new one opening one corrective action)."""

    store = serializers.PrimaryKeyRelatedField(queryset=ColdStore.objects.all())
    celsius = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("-40"), max_value=Decimal("60")
    )
    taken_by = CanteenPersonSerializer(read_only=True)

    class Meta:
        model = ColdReading
        fields = ["id", "school", "store", "taken_at", "celsius", "taken_by", "in_range", "episode"]
        read_only_fields = ["episode"]
        extra_kwargs = {"school": {"required": False}, "taken_at": {"required": False}}

    def create(self, validated_data):
        from .. import cold

        try:
            return cold.record_reading(
                store=validated_data["store"],
                actor=self.context["request"].user,
                celsius=validated_data["celsius"],
                taken_at=validated_data.get("taken_at"),
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


class ColdEpisodeSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)

    class Meta:
        model = ColdEpisode
        fields = [
            "id",
            "school",
            "store",
            "store_name",
            "first_at",
            "last_at",
            "lowest",
            "highest",
            "readings",
            "ended_at",
        ]
