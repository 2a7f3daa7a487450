"""API of the hygiene self-inspections (with their photos, multipart), their checklists and the duty
roster (with ``withdraw``)."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiRequest, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.api.serializers import SchoolScopedSerializer
from logistics.api.viewsets import SchoolScopedCreateReadViewSet
from logistics.attachments.models import Attachment
from logistics.attachments.validators import validate_image
from logistics.workflow.serializers import ErrorSerializer

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


#: photos of one inspection sent with it through the API (multipart)
MAX_PHOTOS = 10


class PhotoRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    caption = serializers.CharField()


def photos_of(result_ids, school_ids):
    """{result id: [photo refs]} of the results ``result_ids`` of the schools ``school_ids`` (one query)."""
    found = {}
    if not result_ids:
        return found
    for pk, object_id, caption in (
        Attachment.objects.filter(
            school_id__in=list(school_ids),
            content_type=ContentType.objects.get_for_model(InspectionResult),
            object_id__in=list(result_ids),
        )
        .order_by("pk")
        .values_list("pk", "object_id", "caption")
    ):
        found.setdefault(object_id, []).append(
            {"id": pk, "url": reverse("attachments:download", args=[pk]), "caption": caption}
        )
    return found


class InspectionResultSerializer(serializers.ModelSerializer):
    """One item's answer: ``item`` (an item of the checklist), ``result`` pass / fail / na, ``note``;
    on read, its ``photos`` (sent as the inspection's multipart ``photos`` / ``photo_items``)."""

    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all())
    result = serializers.ChoiceField(choices=ItemResult.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    photos = serializers.SerializerMethodField()

    class Meta:
        model = InspectionResult
        fields = ["id", "item", "position", "text", "points", "critical", "result", "note", "photos"]
        read_only_fields = ["id", "position", "text", "points", "critical"]

    @extend_schema_field(PhotoRefSerializer(many=True))
    def get_photos(self, obj):
        known = self.context.get("result_photos")
        if known is None:
            known = photos_of([obj.pk], [obj.school_id])
        return known.get(obj.pk, [])


class InspectionListSerializer(serializers.ListSerializer):
    """A page of inspections: the photos of all their results read in one query."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        ids = [r.pk for inspection in items for r in inspection.results.all()]
        # the API lists every school the user may see: the photos of each inspection's own school
        schools = {inspection.school_id for inspection in items}
        self.child.context["result_photos"] = photos_of(ids, schools) if ids else {}
        return super().to_representation(items)


class HygieneInspectionSerializer(SchoolScopedSerializer):
    """A self-inspection with one result per item of its checklist (every item in use answered); the
    score (%) and grade are computed (Rules ``canteen.inspection_grade_a`` / ``_b``; a failed critical item
    means C)."""

    template = serializers.PrimaryKeyRelatedField(queryset=ChecklistTemplate.objects.all())
    template_name = serializers.CharField(source="template.name", read_only=True)
    inspector = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    inspector_detail = CanteenPersonSerializer(source="inspector", read_only=True)
    results = InspectionResultSerializer(many=True)
    photos = serializers.ListField(
        child=serializers.ImageField(validators=[validate_image]),
        write_only=True,
        required=False,
        max_length=MAX_PHOTOS,
        help_text="Multipart: up to 10 photos, each of the item named at the same place in `photo_items`.",
    )
    photo_items = serializers.ListField(
        child=serializers.IntegerField(),
        write_only=True,
        required=False,
        max_length=MAX_PHOTOS,
        help_text="Multipart: the checklist item (id) of each photo, in the order of `photos`.",
    )

    class Meta:
        model = HygieneInspection
        list_serializer_class = InspectionListSerializer
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
            "photos",
            "photo_items",
            "created",
        ]
        read_only_fields = ["created"]
        extra_kwargs = {"school": {"required": False}, "date": {"required": False}}

    def to_internal_value(self, data):
        """Multipart sends ``results`` as one JSON text (its encoding in the schema), the photos and their
        items as repeated parts."""
        if hasattr(data, "getlist"):
            plain = {key: data.get(key) for key in data if key not in ("photos", "photo_items")}
            for key in ("photos", "photo_items"):
                if key in data:
                    plain[key] = data.getlist(key)
            if isinstance(plain.get("results"), str):
                try:
                    plain["results"] = json.loads(plain["results"])
                except ValueError as exc:
                    raise serializers.ValidationError(
                        {"results": [_("Send the results as a JSON list of {item, result, note}.")]}
                    ) from exc
            data = plain
        return super().to_internal_value(data)

    def validate(self, attrs):
        results = attrs.pop("results", None) or []
        photos = attrs.pop("photos", None) or []
        photo_items = attrs.pop("photo_items", None) or []
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
        if len(photos) != len(photo_items):
            raise serializers.ValidationError(
                {"photo_items": [_("Name the checklist item of each photo (one item per photo, in order).")]}
            )
        by_item = {}
        for photo, item_id in zip(photos, photo_items, strict=True):
            if item_id not in answers:
                raise serializers.ValidationError(
                    {"photo_items": [_("A photo names an item that is not answered in this inspection.")]}
                )
            by_item.setdefault(item_id, []).append(photo)
        attrs["item_photos"] = by_item
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
                photos=validated_data.get("item_photos") or None,
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
    withdrawn_by = CanteenPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DutyAssignment
        fields = [
            "id",
            "school",
            "date",
            "meal",
            "person",
            "person_detail",
            "post",
            "created",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        ]
        read_only_fields = ["created", "withdrawn_at", "withdrawal_reason"]
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
    create=extend_schema(
        summary="Record an inspection with one result per checklist item (JSON, or multipart with photos)",
        description="Multipart: `results` is one part holding the JSON list of results; `photos` (up to 10 "
        "images) and `photo_items` (the checklist item id of each photo, in the same order) are repeated parts. "
        "Each result answers with its `photos` (id, download url, caption).",
        request={
            "application/json": HygieneInspectionSerializer,
            "multipart/form-data": OpenApiRequest(
                HygieneInspectionSerializer,
                encoding={"results": {"contentType": "application/json"}, "photos": {"contentType": "image/*"}},
            ),
        },
    ),
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
    parser_classes = [JSONParser, MultiPartParser]

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


class WithdrawDutySerializer(serializers.Serializer):
    """Why the roster entry is withdrawn (kept on record)."""

    reason = serializers.CharField(max_length=200)


@extend_schema_view(
    list=extend_schema(summary="The duty roster (filter by date, date range, meal, person)"),
    create=extend_schema(summary="Put a person on a meal of the day's roster"),
)
class DutyAssignmentViewSet(SchoolScopedCreateReadViewSet):
    """The roster; an entry made by mistake is withdrawn (``withdraw``, with a reason) — today's or a
    future day's, never a past day's — and stays listed with ``withdrawn_at``, who and why."""

    queryset = DutyAssignment.objects.select_related("person", "withdrawn_by")
    serializer_class = DutyAssignmentSerializer
    filterset_class = DutyAssignmentFilterSet
    ordering_fields = ["date", "meal", "id"]
    ordering = ["-date", "meal", "id"]

    @extend_schema(
        summary="Withdraw a roster entry made by mistake (today's or a future day's), with a reason",
        request=WithdrawDutySerializer,
        responses={200: DutyAssignmentSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], permission_action="withdraw")
    def withdraw(self, request, pk=None):
        duty = self.get_object()
        body = WithdrawDutySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            duty = roster.withdraw(duty, actor=request.user, reason=body.validated_data["reason"])
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc
        return Response(DutyAssignmentSerializer(duty, context=self.get_serializer_context()).data)
