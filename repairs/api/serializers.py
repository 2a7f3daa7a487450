"""Serializers of the repairs API: the ticket, and one small serializer per step."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assets import services as asset_services
from logistics.api.rows import row_columns
from logistics.api.serializers import SchoolScopedSerializer
from logistics.attachments.models import Attachment
from logistics.attachments.validators import validate_image
from logistics.people.models import SchoolClass
from logistics.tenancy.models import Room
from logistics.workflow.serializers import ErrorSerializer, StepSerializer  # noqa: F401

from ..choices import OPEN_STATUSES, Cause, Urgency
from ..models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog
from ..services import MAX_PHOTOS

User = get_user_model()


class UserRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class TicketSerializer(SchoolScopedSerializer):
    """A ticket; create with room, trade, urgency, description and up to five ``photos`` (multipart)."""

    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    asset = serializers.PrimaryKeyRelatedField(
        queryset=asset_services.assets_for_choice(), required=False, allow_null=True
    )
    room_name = serializers.SerializerMethodField()
    building = serializers.IntegerField(source="building_id", read_only=True)
    building_name = serializers.CharField(source="room.building.name", read_only=True)
    requester = UserRefSerializer(read_only=True)
    assignees = UserRefSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    photos = serializers.ListField(
        child=serializers.FileField(validators=[validate_image]),
        write_only=True,
        required=False,
        max_length=MAX_PHOTOS,
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "school",
            "reference",
            "kind",
            "room",
            "room_name",
            "asset",
            "building",
            "building_name",
            "trade",
            "urgency",
            "status",
            "status_reason",
            "description",
            "requester",
            "assignees",
            "plan",
            "due_date",
            "checklist",
            "submitted_at",
            "target_at",
            "assigned_at",
            "started_at",
            "done_at",
            "confirmed_at",
            "escalated_at",
            "is_overdue",
            "auto_confirmed",
            "reopen_count",
            "cause",
            "resolution",
            "labour_minutes",
            "parts_cost",
            "rating",
            "rating_comment",
            "damage_amount",
            "damage_responsible",
            "damage_record",
            "photos",
        ]
        read_only_fields = [
            "reference",
            "kind",
            "plan",
            "due_date",
            "checklist",
            "cause",
            "resolution",
            "rating",
            "rating_comment",
            "damage_amount",
            "damage_responsible",
            "damage_record",
        ]
        extra_kwargs = {"school": {"required": False}}

    @row_columns("room__name", expression=lambda prefix: F(f"{prefix}room__name"))
    def get_room_name(self, obj) -> str:
        return obj.room.name

    @row_columns(
        "escalated_at",
        "status",
        expression=lambda prefix: ExpressionWrapper(
            Q(**{f"{prefix}escalated_at__isnull": False, f"{prefix}status__in": list(OPEN_STATUSES)}),
            output_field=BooleanField(),
        ),
    )
    def get_is_overdue(self, obj) -> bool:
        return bool(obj.escalated_at) and obj.is_open


class TicketListSerializer(TicketSerializer):
    """A row of the ticket list: the summary fields (the detail has everything). The list endpoint
    reads these rows with ``values()`` through ``logistics.api.rows.ValuesRows`` (same JSON)."""

    class Meta(TicketSerializer.Meta):
        fields = [
            "id",
            "school",
            "reference",
            "kind",
            "room",
            "room_name",
            "building",
            "building_name",
            "asset",
            "trade",
            "urgency",
            "status",
            "status_reason",
            "description",
            "requester",
            "assignees",
            "plan",
            "due_date",
            "submitted_at",
            "target_at",
            "done_at",
            "escalated_at",
            "is_overdue",
        ]


class WorkLogSerializer(serializers.ModelSerializer):
    worker = UserRefSerializer(read_only=True)

    class Meta:
        model = WorkLog
        fields = ["id", "school", "ticket", "worker", "work_date", "minutes", "note"]
        read_only_fields = ["school", "ticket", "worker"]


class WorkLogCreateSerializer(StepSerializer):
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    work_date = serializers.DateField(required=False)


class PartUsageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartUsage
        fields = [
            "id",
            "school",
            "ticket",
            "name",
            "consumable",
            "quantity",
            "unit",
            "unit_cost",
            "cost",
            "reversed_at",
            "reversed_by",
            "reversal_reason",
        ]
        read_only_fields = ["school", "ticket", "consumable", "cost", "reversed_at", "reversed_by", "reversal_reason"]


class AttachmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    url = serializers.CharField()


def _attachments_expression(prefix):
    """``get_attachments`` in SQL (``logistics.api.sqlrows``): the ticket's photos, by id."""
    from django.db.models import OuterRef

    from logistics.api.sqlrows import json_array, url_expression

    photos = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id=OuterRef(f"{prefix}pk"),
        school_id=OuterRef(f"{prefix}school_id"),
    )
    pairs = [("id", F("pk")), ("kind", F("kind")), ("url", url_expression("attachments:download", F("pk")))]
    return json_array(photos, "object_id", pairs, [F("pk").asc()])


class TicketDetailSerializer(TicketSerializer):
    """A ticket with its work logs, parts and photos (the API reads it with ``values()`` through
    ``logistics.api.rows.ValuesRows``; same JSON)."""

    work_logs = WorkLogSerializer(many=True, read_only=True)
    parts = PartUsageSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "work_logs", "parts", "attachments"]

    @extend_schema_field(AttachmentRefSerializer(many=True))
    @row_columns("school_id", expression=lambda prefix: _attachments_expression(prefix))
    def get_attachments(self, obj):
        photos = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Ticket), object_id=obj.pk, school_id=obj.school_id
        ).order_by("pk")
        return [
            {"id": pk, "kind": kind, "url": reverse("attachments:download", args=[pk])}
            for pk, kind in photos.values_list("pk", "kind")
        ]


class PartCreateSerializer(StepSerializer):
    """A part: ``name`` (free text) and/or ``consumable`` (id of a consumable of the school's stock)."""

    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    consumable = serializers.PrimaryKeyRelatedField(
        queryset=asset_services.consumables_for_choice(), required=False, allow_null=True
    )
    price_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true when an unusually high unit_cost (above the rule repairs.part_cost_confirm_above) is "
        "right; a unit_cost above repairs.part_cost_maximum is refused anyway.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("name") and not attrs.get("consumable"):
            raise serializers.ValidationError({"name": _("Name the part or choose a consumable.")})
        return attrs


class ReversePartSerializer(StepSerializer):
    """The part of this ticket to reverse (its id) and why."""

    part = serializers.PrimaryKeyRelatedField(queryset=PartUsage.objects.all())
    reason = serializers.CharField(max_length=300)

    def validate_part(self, part):
        ticket = self.context.get("object")
        if ticket is None or part.ticket_id != ticket.pk:
            raise serializers.ValidationError(_("This part is not on this ticket."))
        if part.is_reversed:
            raise serializers.ValidationError(_("This part was already reversed."))
        return part

    def validate_reason(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Say why the part is reversed."))
        return value.strip()


class AssignSerializer(StepSerializer):
    """Repair workers of the ticket's school (user ids), and optionally a new urgency."""

    assignees = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.all())
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)

    def validate_assignees(self, value):
        if not value:
            raise serializers.ValidationError(_("Choose at least one repair worker."))
        return list(dict.fromkeys(value))


class UrgencySerializer(StepSerializer):
    urgency = serializers.ChoiceField(choices=Urgency.choices)


class CompleteSerializer(StepSerializer):
    cause = serializers.ChoiceField(choices=Cause.choices)
    resolution = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False)
    photo = serializers.FileField(required=False, validators=[validate_image])
    damage_amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    damage_responsible = serializers.CharField(max_length=100, required=False, allow_blank=True)
    responsible_class = serializers.PrimaryKeyRelatedField(
        queryset=SchoolClass.objects.all(), required=False, allow_null=True
    )
    price_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true when an unusually high damage_amount (above the rule assets.damage_amount_confirm_above) "
        "is right; above assets.damage_amount_maximum it is refused anyway.",
    )


class ConfirmSerializer(StepSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TickSerializer(StepSerializer):
    index = serializers.IntegerField(min_value=0)
    done = serializers.BooleanField(default=True)


class MaintenancePlanSerializer(SchoolScopedSerializer):
    assignees = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)

    class Meta:
        model = MaintenancePlan
        fields = [
            "id",
            "school",
            "name",
            "equipment",
            "trade",
            "urgency",
            "room",
            "checklist",
            "recurrence",
            "interval",
            "week_of_month",
            "weekday",
            "next_due",
            "lead_days",
            "assignees",
            "active",
        ]
        extra_kwargs = {"school": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        from ..forms import workers_of

        school = attrs.get("school") or getattr(self.instance, "school", None)
        workers = set(workers_of(school).values_list("pk", flat=True))
        for user in attrs.get("assignees", []):
            if user.pk not in workers:
                raise serializers.ValidationError(
                    {"assignees": _("Not a repair worker of this school: %(names)s") % {"names": user}}
                )
        instance = MaintenancePlan(**{k: v for k, v in attrs.items() if k != "assignees"})
        if self.instance is not None:
            for field in self.instance._meta.concrete_fields:
                if field.name not in attrs:
                    setattr(instance, field.attname, getattr(self.instance, field.attname))
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return attrs


class DutySlotSerializer(SchoolScopedSerializer):
    class Meta:
        model = DutySlot
        fields = ["id", "school", "trade", "weekday", "worker"]
        extra_kwargs = {"school": {"required": False}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        from ..forms import workers_of

        school = attrs.get("school") or getattr(self.instance, "school", None)
        worker = attrs.get("worker") or getattr(self.instance, "worker", None)
        if worker is not None and not workers_of(school).filter(pk=worker.pk).exists():
            raise serializers.ValidationError(
                {"worker": _("Not a repair worker of this school: %(names)s") % {"names": worker}}
            )
        return attrs


class StatsSerializer(serializers.Serializer):
    """The figures (``repairs.figures.figures``, equal to ``repairs.stats.compute``)."""

    period = serializers.DictField()
    schools = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    by_trade = serializers.DictField(child=serializers.IntegerField())
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_month = serializers.ListField(child=serializers.DictField())
    by_building = serializers.ListField(child=serializers.DictField())
    completed = serializers.IntegerField()
    open = serializers.IntegerField()
    escalated = serializers.IntegerField()
    median_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)
    on_time_share = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)
    average_rating = serializers.FloatField(allow_null=True)
    labour_hours = serializers.FloatField()
    parts_cost = serializers.CharField()
    parts = serializers.ListField(child=serializers.DictField())
    top_rooms = serializers.ListField(child=serializers.DictField())
    damage_count = serializers.IntegerField()
    damage_amount = serializers.CharField()
