"""Serializers of the corrective-action API: the action, and one small serializer per step."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from logistics.api.serializers import SchoolScopedSerializer
from logistics.attachments.validators import validate_image
from logistics.tenancy.models import Room
from logistics.workflow.serializers import StepSerializer

from .. import registry
from ..choices import ActionLevel
from ..models import CorrectiveAction
from ..photos import photos_of

User = get_user_model()


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]


class CorrectiveActionSerializer(SchoolScopedSerializer):
    """A corrective action. Create (report one by hand) with ``origin`` (an origin offered by hand),
    ``title``, ``description``, ``room`` or ``spot``, ``level`` and optionally one ``photo`` (multipart)."""

    origin = serializers.CharField(
        max_length=40,
        help_text="On create: an origin offered by hand (the platform's `corrective.report`); on read, any "
        "registered origin (e.g. `safety.hazard`, `canteen.hygiene`) — its label is `origin_label`.",
    )
    origin_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(read_only=True)
    found_by = PersonSerializer(read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True)
    rectified_by = PersonSerializer(read_only=True, allow_null=True)
    verified_by = PersonSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    photo = serializers.ImageField(write_only=True, required=False, validators=[validate_image])

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "school",
            "reference",
            "origin",
            "origin_label",
            "title",
            "description",
            "room",
            "spot",
            "place",
            "level",
            "level_label",
            "status",
            "status_label",
            "found_by",
            "found_at",
            "owner",
            "measures",
            "deadline",
            "funding",
            "contingency_plan",
            "assigned_at",
            "rectification",
            "rectified_by",
            "rectified_at",
            "rejections",
            "rejection_reason",
            "verification",
            "verified_by",
            "verified_at",
            "closed_at",
            "cancel_reason",
            "escalation",
            "escalated_at",
            "is_overdue",
            "photo",
        ]
        read_only_fields = ["reference", "status", "found_at", "escalation"]
        extra_kwargs = {"school": {"required": False}}

    def validate_origin(self, value):
        if value not in dict(registry.choices(manual_only=True)):
            raise serializers.ValidationError(_("Choose where this comes from."))
        return value

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("room") and not (attrs.get("spot") or "").strip():
            raise serializers.ValidationError({"spot": _("Choose the room or say where it is.")})
        return attrs


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    url = serializers.CharField()


class CorrectiveActionDetailSerializer(CorrectiveActionSerializer):
    """The action with its photos (what was found, the result)."""

    photos = serializers.SerializerMethodField()

    class Meta(CorrectiveActionSerializer.Meta):
        fields = [*CorrectiveActionSerializer.Meta.fields, "photos"]

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, obj):
        return [
            {"id": p.pk, "kind": p.kind, "url": reverse("attachments:download", args=[p.pk])} for p in photos_of(obj)
        ]


class CorrectiveAssignSerializer(StepSerializer):
    """The responsible person (a user id of the school), the measures and the deadline; for a major
    hazard also the funding and the contingency plan (required then). ``level`` re-grades the action
    (left out: unchanged); raised to major, the principal is told."""

    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    measures = serializers.CharField(allow_blank=True, required=False, default="")
    deadline = serializers.DateField()
    funding = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True)
    contingency_plan = serializers.CharField(allow_blank=True, required=False, default="")
    level = serializers.ChoiceField(choices=ActionLevel.choices, required=False, default=None, allow_null=True)


class RectifySerializer(StepSerializer):
    """What was done; optionally a ``photo`` of the result (multipart)."""

    rectification = serializers.CharField()
    photo = serializers.ImageField(required=False, validators=[validate_image])


class VerifySerializer(StepSerializer):
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)


class CloseSerializer(StepSerializer):
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)
