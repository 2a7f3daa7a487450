"""Serializers of the utilities API: what each endpoint really reads and writes."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from logistics.api.serializers import SchoolScopedSerializer
from logistics.workflow.serializers import StepSerializer

from ..models import Meter, MeterReading, ReadingCorrection


class MeterSerializer(SchoolScopedSerializer):
    unit = serializers.CharField(read_only=True, help_text="m³ for water and gas, kWh for electricity.")

    class Meta:
        model = Meter
        fields = ["id", "school", "kind", "name", "campus", "building", "number", "unit", "active", "note"]
        extra_kwargs = {"school": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        campus = attrs.get("campus") or getattr(self.instance, "campus", None)
        building = attrs.get("building", getattr(self.instance, "building", None))
        if building is not None and campus is not None and building.campus_id != campus.pk:
            raise serializers.ValidationError({"building": _("This building is on another campus.")})
        return attrs


class CorrectionSerializer(serializers.ModelSerializer):
    corrected_by = serializers.StringRelatedField()

    class Meta:
        model = ReadingCorrection
        fields = [
            "id",
            "old_value",
            "old_consumption",
            "new_value",
            "new_consumption",
            "reason",
            "corrected_by",
            "created",
        ]


class MeterReadingSerializer(SchoolScopedSerializer):
    """A reading as it is read back; on create, give the meter value, or the use for a meter read from the
    bill; the use of a meter value is computed from the previous reading."""

    entered_by = serializers.StringRelatedField(read_only=True)
    kind = serializers.CharField(source="meter.kind", read_only=True)
    unit = serializers.CharField(source="meter.unit", read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = MeterReading
        fields = [
            "id",
            "school",
            "meter",
            "kind",
            "unit",
            "month",
            "read_on",
            "value",
            "consumption",
            "replacement",
            "reason",
            "usual",
            "flagged",
            "status",
            "entered_by",
            "corrections",
        ]
        read_only_fields = ["usual", "flagged", "status", "entered_by", "corrections"]
        extra_kwargs = {"school": {"required": False}}
        # one per meter and month is checked by the service, with its own message
        validators = []


class CorrectReadingSerializer(StepSerializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    consumption = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    replacement = serializers.BooleanField(default=False)
    reason = serializers.CharField(max_length=200)
