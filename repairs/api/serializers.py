"""Serializers of the repairs API: the ticket, and one small serializer per step."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from assets.models import Asset, Consumable
from logistics.api.serializers import SchoolScopedSerializer
from logistics.attachments.validators import validate_image
from logistics.people.models import SchoolClass
from logistics.tenancy.models import Room
from logistics.workflow.serializers import ErrorSerializer, StepSerializer  # noqa: F401

from .. import listing
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
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all(), required=False, allow_null=True)
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

    def get_room_name(self, obj) -> str:
        return obj.room.name

    def get_is_overdue(self, obj) -> bool:
        return bool(obj.escalated_at) and obj.is_open


def _dt(value):
    """DRF's representation of an aware datetime (in the current time zone, ISO 8601)."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


OPEN = frozenset(OPEN_STATUSES)


def list_rows(ids):
    """The API's list rows for the page's ticket ids (see ``repairs.listing``)."""
    values, assignees = listing.fetch(ids)
    tz = timezone.get_current_timezone()

    def _dt(value):  # DRF's representation, without its per-call checks
        if value is None:
            return None
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return [
        {
            "id": v["id"],
            "school": v["school_id"],
            "reference": v["reference"],
            "kind": v["kind"],
            "room": v["room_id"],
            "room_name": v["room__name"],
            "building": v["building_id"],
            "building_name": v["room__building__name"],
            "asset": v["asset_id"],
            "trade": v["trade"],
            "urgency": v["urgency"],
            "status": v["status"],
            "status_reason": v["status_reason"],
            "description": v["description"],
            "requester": {
                "id": v["requester_id"],
                "username": v["requester__username"],
                "name": listing.user_name(
                    v["requester__display_name"],
                    v["requester__first_name"],
                    v["requester__last_name"],
                    v["requester__username"],
                ),
            },
            "assignees": assignees.get(v["id"], []),
            "plan": v["plan_id"],
            "due_date": v["due_date"].isoformat() if v["due_date"] else None,
            "submitted_at": _dt(v["submitted_at"]),
            "target_at": _dt(v["target_at"]),
            "done_at": _dt(v["done_at"]),
            "escalated_at": _dt(v["escalated_at"]),
            "is_overdue": bool(v["escalated_at"]) and v["status"] in OPEN,
        }
        for v in values
    ]


class TicketListSerializer(TicketSerializer):
    """A row of the ticket list: the summary fields (the detail has everything). The list endpoint
    builds these rows with :func:`list_rows`; this serializer documents them and is the reference."""

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


def _money(value):
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _user_ref(user):
    return {"id": user.pk, "username": user.username, "name": str(user)}


def detail_row(t, photos):
    """What :class:`TicketDetailSerializer` gives for ``t`` (its relations prefetched), built directly:
    a ModelSerializer builds its fields on every instantiation, which costs more than the rest of the
    request (``test_detail_row_matches_the_serializer`` keeps the two equal)."""
    tz = timezone.get_current_timezone()

    def dt(value):
        if value is None:
            return None
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return {
        "id": t.pk,
        "school": t.school_id,
        "reference": t.reference,
        "kind": t.kind,
        "room": t.room_id,
        "room_name": t.room.name,
        "asset": t.asset_id,
        "building": t.building_id,
        "building_name": t.room.building.name,
        "trade": t.trade,
        "urgency": t.urgency,
        "status": t.status,
        "status_reason": t.status_reason,
        "description": t.description,
        "requester": _user_ref(t.requester),
        "assignees": [_user_ref(u) for u in t.assignees.all()],
        "plan": t.plan_id,
        "due_date": t.due_date.isoformat() if t.due_date else None,
        "checklist": t.checklist,
        "submitted_at": dt(t.submitted_at),
        "target_at": dt(t.target_at),
        "assigned_at": dt(t.assigned_at),
        "started_at": dt(t.started_at),
        "done_at": dt(t.done_at),
        "confirmed_at": dt(t.confirmed_at),
        "escalated_at": dt(t.escalated_at),
        "is_overdue": bool(t.escalated_at) and t.is_open,
        "auto_confirmed": t.auto_confirmed,
        "reopen_count": t.reopen_count,
        "cause": t.cause,
        "resolution": t.resolution,
        "labour_minutes": t.labour_minutes,
        "parts_cost": _money(t.parts_cost),
        "rating": t.rating,
        "rating_comment": t.rating_comment,
        "damage_amount": _money(t.damage_amount),
        "damage_responsible": t.damage_responsible,
        "damage_record": t.damage_record_id,
        "work_logs": [
            {
                "id": w.pk,
                "school": w.school_id,
                "ticket": w.ticket_id,
                "worker": _user_ref(w.worker),
                "work_date": w.work_date.isoformat(),
                "minutes": w.minutes,
                "note": w.note,
            }
            for w in t.work_logs.all()
        ],
        "parts": [
            {
                "id": p.pk,
                "school": p.school_id,
                "ticket": p.ticket_id,
                "name": p.name,
                "consumable": p.consumable_id,
                "quantity": _money(p.quantity),
                "unit": p.unit,
                "unit_cost": _money(p.unit_cost),
                "cost": _money(p.cost),
            }
            for p in t.parts.all()
        ],
        "attachments": [
            {"id": a.pk, "kind": a.kind, "url": reverse("attachments:download", args=[a.pk])} for a in photos
        ],
    }


class TicketDetailSerializer(TicketSerializer):
    work_logs = serializers.SerializerMethodField()
    parts = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "work_logs", "parts", "attachments"]

    def get_work_logs(self, obj) -> list[dict]:
        return WorkLogSerializer(obj.work_logs.all(), many=True, context=self.context).data

    def get_parts(self, obj) -> list[dict]:
        return PartUsageSerializer(obj.parts.all(), many=True, context=self.context).data

    def get_attachments(self, obj) -> list[dict]:
        from django.urls import reverse

        return [
            {"id": a.pk, "kind": a.kind, "url": reverse("attachments:download", args=[a.pk])}
            for a in getattr(obj, "photo_list", [])
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
        fields = ["id", "school", "ticket", "name", "consumable", "quantity", "unit", "unit_cost", "cost"]
        read_only_fields = ["school", "ticket", "consumable", "cost"]


class PartCreateSerializer(StepSerializer):
    """A part: ``name`` (free text) and/or ``consumable`` (id of a consumable of the school's stock)."""

    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    consumable = serializers.PrimaryKeyRelatedField(queryset=Consumable.objects.all(), required=False, allow_null=True)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs.get("name") and not attrs.get("consumable"):
            raise serializers.ValidationError({"name": _("Name the part or choose a consumable.")})
        return attrs


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
    """The figures (see ``repairs.stats.compute``)."""

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
