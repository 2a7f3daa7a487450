"""API of the hygiene self-inspections, their checklists and the duty roster."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from logistics.api.serializers import SchoolScopedSerializer
from logistics.api.viewsets import SchoolScopedCreateReadViewSet

from .. import inspections, roster
from ..inspection_choices import ItemResult
from ..inspection_filtersets import ChecklistTemplateFilterSet, DutyAssignmentFilterSet, HygieneInspectionFilterSet
from ..models import ChecklistItem, ChecklistTemplate, DutyAssignment, HygieneInspection, InspectionResult
from .serializers import CanteenPersonSerializer, User, as_drf


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "points", "critical"]
        read_only_fields = ["id", "position"]
        extra_kwargs = {"points": {"min_value": 1, "max_value": 100}}


class ChecklistTemplateSerializer(SchoolScopedSerializer):
    """A checklist with its items in order; writing ``items`` replaces the list (items taken off stay on
    past inspections)."""

    items = ChecklistItemSerializer(many=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "school", "name", "kind", "frequency", "weekday", "month_day", "active", "items"]
        extra_kwargs = {"school": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["items"] = [i for i, item in zip(data["items"], instance.items.all(), strict=False) if item.active]
        return data

    def validate(self, attrs):
        items = attrs.pop("items", None)
        attrs = super().validate(attrs)
        if items is not None:
            if not items:
                raise serializers.ValidationError({"items": [_("List at least one item.")]})
            texts = [i["text"].strip() for i in items]
            if len(set(texts)) != len(texts):
                raise serializers.ValidationError({"items": [_("An item is listed twice.")]})
            attrs["items"] = [(i["text"].strip(), i.get("points", 5), i.get("critical", False)) for i in items]
        return attrs

    def create(self, validated_data):
        items = validated_data.pop("items", None)
        if items is None:
            raise serializers.ValidationError({"items": [_("List at least one item.")]})
        with transaction.atomic():
            template = ChecklistTemplate.objects.create(created_by=self.context["request"].user, **validated_data)
            inspections.set_items(template, items, actor=self.context["request"].user)
        return template

    def update(self, instance, validated_data):
        items = validated_data.pop("items", None)
        with transaction.atomic():
            instance = super().update(instance, validated_data)
            if items is not None:
                inspections.set_items(instance, items, actor=self.context["request"].user)
        return instance


class InspectionResultSerializer(serializers.ModelSerializer):
    """One item's answer: ``item`` (an item of the checklist), ``result`` pass / fail / na, ``note``."""

    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all())
    result = serializers.ChoiceField(choices=ItemResult.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    class Meta:
        model = InspectionResult
        fields = ["id", "item", "position", "text", "points", "critical", "result", "note"]
        read_only_fields = ["id", "position", "text", "points", "critical"]


class HygieneInspectionSerializer(SchoolScopedSerializer):
    """A self-inspection with one result per item of its checklist (every item in use answered); the
    score (%) and grade are computed (Rules ``canteen.inspection_grade_a`` / ``_b``; a failed critical item
    means C)."""

    template = serializers.PrimaryKeyRelatedField(queryset=ChecklistTemplate.objects.all())
    template_name = serializers.CharField(source="template.name", read_only=True)
    inspector = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    inspector_detail = CanteenPersonSerializer(source="inspector", read_only=True)
    results = InspectionResultSerializer(many=True)

    class Meta:
        model = HygieneInspection
        fields = [
            "id",
            "school",
            "template",
            "template_name",
            "date",
            "inspector",
            "inspector_detail",
            "note",
            "passed_points",
            "applicable_points",
            "score",
            "grade",
            "failed_items",
            "critical_failed",
            "results",
            "created",
        ]
        read_only_fields = ["created"]
        extra_kwargs = {"school": {"required": False}, "date": {"required": False}}

    def validate(self, attrs):
        results = attrs.pop("results", None) or []
        attrs = super().validate(attrs)
        template = attrs["template"]
        if template.school_id != attrs["school"].pk:
            raise serializers.ValidationError({"template": [_("This belongs to another school.")]})
        answers = {}
        for row in results:
            if row["item"].template_id != template.pk:
                raise serializers.ValidationError(
                    {"results": [_("An answer names an item that is not on this checklist.")]}
                )
            if row["item"].pk in answers:
                raise serializers.ValidationError({"results": [_("An item is answered twice.")]})
            answers[row["item"].pk] = (row["result"], row.get("note", ""))
        attrs["answers"] = answers
        return attrs

    def create(self, validated_data):
        user = self.context["request"].user
        try:
            return inspections.record_inspection(
                template=validated_data["template"],
                inspector=validated_data.get("inspector") or user,
                actor=user,
                answers=validated_data["answers"],
                day=validated_data.get("date"),
                note=validated_data.get("note", ""),
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


class OpenItemActionSerializer(serializers.Serializer):
    """Open the corrective action of a failed item: its owner and deadline (assigned at once)."""

    result = serializers.PrimaryKeyRelatedField(queryset=InspectionResult.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    deadline = serializers.DateField()
    measures = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OpenedActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    title = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)


class DutyAssignmentSerializer(SchoolScopedSerializer):
    """A person on a meal of a day's roster; refused without a valid health certificate or off duty after
    the morning check (食品安全法 art. 45), the reason in the answer."""

    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    person_detail = CanteenPersonSerializer(source="person", read_only=True)

    class Meta:
        model = DutyAssignment
        fields = ["id", "school", "date", "meal", "person", "person_detail", "post", "created"]
        read_only_fields = ["created"]
        extra_kwargs = {"school": {"required": False}, "date": {"required": False}}

    def create(self, validated_data):
        from django.utils import timezone

        try:
            return roster.assign(
                school=validated_data["school"],
                person=validated_data["person"],
                day=validated_data.get("date") or timezone.localdate(),
                meal=validated_data["meal"],
                post=validated_data.get("post", ""),
                actor=self.context["request"].user,
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


@extend_schema_view(
    list=extend_schema(summary="Checklist templates with their items (filter by kind, frequency, in use)"),
    create=extend_schema(summary="Add a checklist with its items"),
)
class ChecklistTemplateViewSet(mixins.UpdateModelMixin, SchoolScopedCreateReadViewSet):
    queryset = ChecklistTemplate.objects.prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("position", "pk"))
    )
    serializer_class = ChecklistTemplateSerializer
    filterset_class = ChecklistTemplateFilterSet
    search_fields = ["name"]
    ordering_fields = ["name", "kind", "id"]
    ordering = ["kind", "name", "id"]


@extend_schema_view(
    list=extend_schema(summary="Hygiene self-inspections (filter by date range, checklist, grade, failed items)"),
    create=extend_schema(summary="Record an inspection with one result per checklist item"),
)
class HygieneInspectionViewSet(SchoolScopedCreateReadViewSet):
    queryset = HygieneInspection.objects.select_related("template", "inspector").prefetch_related(
        Prefetch("results", queryset=InspectionResult.objects.order_by("position", "pk"))
    )
    serializer_class = HygieneInspectionSerializer
    filterset_class = HygieneInspectionFilterSet
    search_fields = ["note", "template__name"]
    ordering_fields = ["date", "score", "id"]
    ordering = ["-date", "-id"]

    @extend_schema(
        summary="Open the corrective action of a failed item (owner, deadline)",
        request=OpenItemActionSerializer,
        responses={201: OpenedActionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="open-action", permission_action="rectify")
    def open_action(self, request, pk=None):
        inspection = self.get_object()
        body = OpenItemActionSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        result = body.validated_data["result"]
        owner = body.validated_data["owner"]
        if result.inspection_id != inspection.pk:
            raise serializers.ValidationError({"result": [_("This item is not part of this inspection.")]})
        try:
            with transaction.atomic():
                made = inspections.open_item_action(
                    result=result,
                    actor=request.user,
                    owner=owner,
                    deadline=body.validated_data["deadline"],
                    measures=body.validated_data["measures"],
                )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc
        return Response(OpenedActionSerializer(made).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="The duty roster (filter by date, date range, meal, person)"),
    create=extend_schema(summary="Put a person on a meal of the day's roster"),
)
class DutyAssignmentViewSet(SchoolScopedCreateReadViewSet):
    queryset = DutyAssignment.objects.select_related("person")
    serializer_class = DutyAssignmentSerializer
    filterset_class = DutyAssignmentFilterSet
    ordering_fields = ["date", "meal", "id"]
    ordering = ["-date", "meal", "id"]
