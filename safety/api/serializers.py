"""Serializers of the safety API."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from logistics.accounts import permissions
from logistics.api.serializers import SchoolScopedSerializer
from logistics.corrective.api.serializers import CorrectiveActionDetailSerializer, CorrectiveActionSerializer
from logistics.people.models import SchoolClass, Student
from logistics.tenancy.models import Room
from logistics.workflow.serializers import StepSerializer

from ..models import (
    Checkpoint,
    Equipment,
    Hazard,
    Inspection,
    InspectionItem,
    PatrolRound,
    PatrolScan,
    PatrolSchedule,
    Route,
    SafetyEvent,
)

User = get_user_model()


class HazardSerializer(CorrectiveActionSerializer):
    """A hazard (the platform's corrective action of a safety origin). Report one with ``title``,
    ``description``, ``room`` or ``spot``, ``level`` and optionally one ``photo`` (multipart)."""

    origin = serializers.CharField(read_only=True)

    class Meta(CorrectiveActionSerializer.Meta):
        model = Hazard
        read_only_fields = [*CorrectiveActionSerializer.Meta.read_only_fields, "origin"]


class RepairTicketRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class HazardDetailSerializer(CorrectiveActionDetailSerializer):
    origin = serializers.CharField(read_only=True)
    repair_tickets = serializers.SerializerMethodField()

    class Meta(CorrectiveActionDetailSerializer.Meta):
        model = Hazard
        fields = [*CorrectiveActionDetailSerializer.Meta.fields, "repair_tickets"]

    @extend_schema_field(RepairTicketRefSerializer(many=True))
    def get_repair_tickets(self, obj):
        from ..hazards import tickets_of

        return [
            {
                "id": t.ticket_id,
                "reference": t.ticket.reference,
                "status": t.ticket.status,
                "status_label": str(t.ticket.get_status_display()),
            }
            for t in tickets_of(obj)
        ]


class RepairTicketRequestSerializer(StepSerializer):
    """Open a repair ticket for the hazard: the room, the trade, optionally a description."""

    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    trade = serializers.ChoiceField(choices=())
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        from repairs.choices import Trade

        super().__init__(*args, **kwargs)
        self.fields["trade"].choices = Trade.choices


class CheckpointSerializer(SchoolScopedSerializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id",
            "school",
            "name",
            "kind",
            "room",
            "spot",
            "place",
            "key_area",
            "proof",
            "rotation_minutes",
            "nfc_id",
            "code",
            "active",
        ]
        read_only_fields = ["code"]
        extra_kwargs = {
            "school": {"required": False},
            "nfc_id": {"help_text": "Answered only to those who may change checkpoints (others: empty)."},
        }

    def to_representation(self, instance):
        """The tag id is what a scan with a typed id proves: a guard who could read it on the page or here
        could ``scan`` the checkpoint from the guardroom. Only those who may change checkpoints get it."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if data.get("nfc_id") and not (
            request is not None and permissions.has_perm(request.user, "safety.change_checkpoint", instance.school_id)
        ):
            data["nfc_id"] = ""
        return data


class RouteStopSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    checkpoint = serializers.IntegerField(source="checkpoint_id")
    name = serializers.CharField(source="checkpoint.name")
    key_area = serializers.BooleanField(source="checkpoint.key_area")


class RouteSerializer(SchoolScopedSerializer):
    supervisor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    stops = RouteStopSerializer(many=True, read_only=True)

    class Meta:
        model = Route
        fields = ["id", "school", "name", "supervisor", "min_seconds_between", "active", "stops"]
        extra_kwargs = {"school": {"required": False}}


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$", "example": "22:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day on the school's clock (no time zone): ``22:00``."""


class ScheduleSerializer(SchoolScopedSerializer):
    start_time = ClockTimeField()
    guard = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)

    class Meta:
        model = PatrolSchedule
        fields = [
            "id",
            "school",
            "route",
            "start_time",
            "window_minutes",
            "grace_minutes",
            "weekdays",
            "guard",
            "active",
        ]
        extra_kwargs = {"school": {"required": False}}

    def validate_weekdays(self, value):
        if not value or any(ch not in "1234567" for ch in value):
            raise serializers.ValidationError(_("Days of the week as digits 1 (Monday) to 7 (Sunday), e.g. 12345."))
        return "".join(sorted(set(value)))


class PatrolRoundSerializer(serializers.ModelSerializer):
    route_name = serializers.CharField(source="route.name", read_only=True)
    guard_name = serializers.CharField(source="guard.__str__", read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="complete, incomplete or missed once ended; empty before")

    class Meta:
        model = PatrolRound
        fields = [
            "id",
            "school",
            "route",
            "route_name",
            "guard",
            "guard_name",
            "planned_start",
            "planned_end",
            "grace_until",
            "status",
            "status_label",
            "outcome",
            "started_at",
            "finished_at",
            "stops_total",
            "stops_done",
            "flagged_scans",
            "explanation",
            "explained_at",
        ]
        read_only_fields = fields


class ExplainSerializer(StepSerializer):
    explanation = serializers.CharField()


class ScanRequestSerializer(serializers.Serializer):
    """One scan from the guard's phone. ``client_id`` (a UUID made on the phone) makes it idempotent:
    sent again, the same scan is answered and nothing is added."""

    client_id = serializers.UUIDField()
    checkpoint = serializers.CharField(max_length=20, help_text="The checkpoint's QR code (the last part of its URL).")
    proof_code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="A rotating code's 6 digits, or the NFC tag id.",
    )
    device_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    round = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1)
    by_hand = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The checkpoint was picked from a list, its QR poster not read (flagged; ignored where a code is typed).",
    )


class ScanSerializer(serializers.ModelSerializer):
    """The small answer to a scan (it goes to a phone on a weak network)."""

    flags = serializers.SerializerMethodField()
    round_status = serializers.CharField(source="round.status", read_only=True)
    done = serializers.IntegerField(source="round.stops_done", read_only=True)
    total = serializers.IntegerField(source="round.stops_total", read_only=True)

    class Meta:
        model = PatrolScan
        fields = ["id", "client_id", "round", "checkpoint", "position", "flags", "round_status", "done", "total"]
        read_only_fields = fields

    def get_flags(self, obj) -> list[str]:
        """late (after the window) or early (in the grace before it), out_of_order, too_fast, repeated,
        by_hand (picked from a list), code_not_valid."""
        from ..rounds import flag_names

        return flag_names(obj)


class VisitorSerializer(SchoolScopedSerializer):
    """A visitor. Check in with ``name``, ``reason``, optionally ``id_number`` (write only: answers show
    it masked), ``phone``, ``organisation`` and ``host`` (a staff user id; needed during lessons)."""

    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    id_number_masked = serializers.CharField(read_only=True)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    phone_masked = serializers.CharField(read_only=True)
    host = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        from ..models import Visitor

        model = Visitor
        fields = [
            "id",
            "school",
            "name",
            "id_number",
            "id_number_masked",
            "phone",
            "phone_masked",
            "organisation",
            "reason",
            "host",
            "status",
            "status_label",
            "in_lesson_time",
            "checked_in_at",
            "checked_out_at",
        ]
        read_only_fields = ["status", "in_lesson_time", "checked_in_at", "checked_out_at"]
        extra_kwargs = {"school": {"required": False}}

    def validate_id_number(self, value):
        from django.core.exceptions import ValidationError as DjangoValidationError

        from logistics.people import idnumbers

        value = idnumbers.normalise(value)
        if value:
            try:
                idnumbers.validate_id_number(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value


class VehicleSerializer(SchoolScopedSerializer):
    class Meta:
        from ..models import VehicleEntry

        model = VehicleEntry
        fields = ["id", "school", "plate", "driver", "purpose", "in_at", "out_at"]
        read_only_fields = ["in_at", "out_at"]
        extra_kwargs = {"school": {"required": False}}


class LeavePassSerializer(SchoolScopedSerializer):
    """A leave pass. Ask for one with ``student``, ``reason``, ``leave_at``, ``return_by`` and
    optionally ``picked_up_by`` (the class teacher or a guardian of the student)."""

    student = serializers.PrimaryKeyRelatedField(queryset=Student.objects.all())
    student_name = serializers.CharField(source="student.name", read_only=True)
    class_name = serializers.CharField(source="student.school_class.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    usable_at_gate = serializers.SerializerMethodField()
    refusal = serializers.SerializerMethodField()

    class Meta:
        from ..models import LeavePass

        model = LeavePass
        fields = [
            "id",
            "school",
            "student",
            "student_name",
            "class_name",
            "reason",
            "leave_at",
            "return_by",
            "picked_up_by",
            "status",
            "status_label",
            "teacher_approved_by",
            "leader_approved_by",
            "out_at",
            "back_at",
            "usable_at_gate",
            "refusal",
        ]
        read_only_fields = ["status", "teacher_approved_by", "leader_approved_by", "out_at", "back_at"]
        extra_kwargs = {"school": {"required": False}}

    def get_usable_at_gate(self, obj) -> bool:
        from ..passes import why_not_usable

        return not why_not_usable(obj)

    def get_refusal(self, obj) -> str:
        from ..passes import why_not_usable

        return str(why_not_usable(obj))


# --- equipment, inspections, education and drills ----------------------------------------------------


class EquipmentSerializer(SchoolScopedSerializer):
    """A piece of safety equipment or a check point (dormitory, CCTV point). ``label_code`` is what its own
    QR label holds (``/safety/e/<label_code>/``); equipment linked to an ``asset`` uses the asset's label."""

    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    label_code = serializers.CharField(source="code", read_only=True)
    last_result = serializers.CharField(read_only=True, help_text="passed, failed, or empty when never inspected")

    class Meta:
        model = Equipment
        fields = [
            "id",
            "school",
            "kind",
            "kind_label",
            "number",
            "name",
            "room",
            "spot",
            "place",
            "asset",
            "key",
            "interval_days",
            "serviced_on",
            "expires_on",
            "active",
            "label_code",
            "last_inspected_at",
            "last_result",
        ]
        read_only_fields = ["last_inspected_at", "last_result"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        room = attrs.get("room", getattr(self.instance, "room", None))
        spot = attrs.get("spot", getattr(self.instance, "spot", ""))
        if room is None and not (spot or "").strip():
            raise serializers.ValidationError({"spot": _("Choose the room or say where it is.")})
        return attrs


class EquipmentDetailSerializer(EquipmentSerializer):
    """With the checklist an inspection of it answers, in order."""

    checklist = serializers.SerializerMethodField()

    class Meta(EquipmentSerializer.Meta):
        fields = [*EquipmentSerializer.Meta.fields, "checklist"]

    def get_checklist(self, obj) -> list[str]:
        from ..inspections import checklist_for

        return checklist_for(obj.school, obj.kind)


class InspectionItemSerializer(serializers.ModelSerializer):
    hazard_reference = serializers.CharField(source="hazard.reference", read_only=True, allow_null=True)

    class Meta:
        model = InspectionItem
        fields = ["position", "text", "passed", "note", "hazard", "hazard_reference"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    items = InspectionItemSerializer(many=True, read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "school",
            "equipment",
            "inspector",
            "inspected_at",
            "result",
            "result_label",
            "failed_items",
            "note",
            "client_id",
            "items",
        ]
        read_only_fields = fields


class InspectionAnswerSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class InspectionRequestSerializer(serializers.Serializer):
    """Record an inspection: the equipment, one answer per checklist item in order (see the equipment's
    ``checklist``), a note; a failed item needs a note (its own or the general one) and raises a hazard.
    ``client_id`` (a UUID made on the phone) makes a repeated send harmless: 201 the first time, 200 after."""

    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.all())
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    items = InspectionAnswerSerializer(many=True, allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photo = serializers.ImageField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["equipment"].queryset = Equipment.objects.restrict(request.user, "view").filter(active=True)


class SafetyEventSerializer(SchoolScopedSerializer):
    """A safety education event or drill: kind, date, duration, participants (count and classes), the
    organiser, the evaluation and the problems found (one per line)."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    classes = serializers.PrimaryKeyRelatedField(queryset=SchoolClass.objects.all(), many=True, required=False)
    organiser = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    start_time = ClockTimeField(required=False, allow_null=True)

    class Meta:
        model = SafetyEvent
        fields = [
            "id",
            "school",
            "kind",
            "kind_label",
            "title",
            "held_on",
            "start_time",
            "duration_minutes",
            "place",
            "organiser",
            "participants",
            "classes",
            "evacuation_seconds",
            "evaluation",
            "problems",
        ]

    def validate_held_on(self, value):
        from django.utils import timezone

        if value > timezone.localdate():
            raise serializers.ValidationError(_("Record an event once it has taken place (the date is in the future)."))
        return value

    def validate(self, attrs):
        from ..choices import DRILL_KINDS

        attrs = super().validate(attrs)
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if attrs.get("evacuation_seconds") and kind not in DRILL_KINDS:
            raise serializers.ValidationError({"evacuation_seconds": _("The evacuation time belongs to a drill.")})
        return attrs
