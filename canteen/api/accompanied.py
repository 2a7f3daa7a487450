"""API of 陪餐 (``accompanied-meals/``, action ``answer``), the monthly accounts (``accounts/``, actions
``publish`` and ``revise``) and the ``correct`` action of samples, disinfections, cold readings and
morning checks (``correct-line`` of a delivery's lines)."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.accounts import permissions
from logistics.api.docs import internal_doc
from logistics.api.serializers import SchoolScopedSerializer
from logistics.api.viewsets import SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet
from logistics.attachments.validators import validate_image
from logistics.workflow.api import STEP_ERRORS, WorkflowViewSetMixin
from logistics.workflow.serializers import ErrorSerializer, StepSerializer

from .. import accompanied, accounts, corrections
from ..filtersets_accompanied import AccompaniedMealFilterSet, MonthlyAccountFilterSet
from ..models import AccompaniedMeal, Correction, MealService, MonthlyAccount
from .serializers import CanteenPersonSerializer, as_drf


class AccompaniedMealSerializer(SchoolScopedSerializer):
    """A 陪餐 record. Create with ``meal`` (served in the last 7 days), ``rating`` (1–5), the observations
    and optional ``photos`` (multipart); who ate (leader or parent) is the person recording."""

    meal = serializers.PrimaryKeyRelatedField(queryset=MealService.objects.all())
    companion = CanteenPersonSerializer(read_only=True)
    answered_by = CanteenPersonSerializer(read_only=True, allow_null=True)
    photos = serializers.ListField(
        child=serializers.ImageField(validators=[validate_image]), write_only=True, required=False, max_length=6
    )
    rating = serializers.IntegerField(min_value=1, max_value=5)
    late_entry = serializers.BooleanField(read_only=True)

    class Meta:
        model = AccompaniedMeal
        fields = [
            "id",
            "school",
            "meal",
            "date",
            "meal_kind",
            "companion",
            "kind",
            "companion_title",
            "quality",
            "quantity",
            "hygiene",
            "price",
            "rating",
            "feedback",
            "status",
            "answer_text",
            "answered_at",
            "answered_by",
            "late_entry",
            "created",
            "photos",
        ]
        read_only_fields = ["date", "meal_kind", "kind", "created"]
        extra_kwargs = {"school": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        school = getattr(request, "school", None)
        if "meal" in self.fields and school is not None:
            # a parent does not read the kitchen's meal records: the meals of the last days are offered
            self.fields["meal"].queryset = accompanied.pickable_meals(school)

    def create(self, validated_data):
        try:
            return accompanied.record(
                meal=validated_data["meal"],
                actor=self.context["request"].user,
                rating=validated_data["rating"],
                companion_title=validated_data.get("companion_title", ""),
                quality=validated_data.get("quality", ""),
                quantity=validated_data.get("quantity", ""),
                hygiene=validated_data.get("hygiene", ""),
                price=validated_data.get("price", ""),
                feedback=validated_data.get("feedback", ""),
                photos=validated_data.get("photos", ()),
            )
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


class AnswerSerializer(StepSerializer):
    answer_text = serializers.CharField(max_length=2000)


@extend_schema_view(
    list=extend_schema(summary="陪餐 records (a parent: their own; filter by date range, meal, kind, status)"),
    create=extend_schema(summary="Record a 陪餐 (JSON, or multipart with photos)"),
)
class AccompaniedMealViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = AccompaniedMeal.objects.select_related("companion", "answered_by", "school")
    serializer_class = AccompaniedMealSerializer
    filterset_class = AccompaniedMealFilterSet
    ordering_fields = ["date", "id"]
    ordering = ["-date", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    step_response_serializer = AccompaniedMealSerializer


MONEY = {"max_digits": 12, "decimal_places": 2}


class MonthlyAccountSerializer(SchoolScopedSerializer):
    """One version of a month's canteen accounts. Create a draft with ``month`` (any day of it) and the
    figures; ``income_source`` ``finance`` takes the meal fees from finance's payments, ``food_source``
    ``deliveries`` the food from the accepted delivery lines (then those amounts are ignored). Published
    and superseded versions refuse ``PUT``/``PATCH``/``DELETE`` (409): correct them with ``revise``."""

    total_income = serializers.DecimalField(read_only=True, **MONEY)
    total_expense = serializers.DecimalField(read_only=True, **MONEY)
    balance = serializers.DecimalField(read_only=True, **MONEY)
    closing_balance = serializers.DecimalField(read_only=True, **MONEY)
    meal_fee_income = serializers.DecimalField(required=False, min_value=Decimal("0"), **MONEY)
    food_expense = serializers.DecimalField(required=False, min_value=Decimal("0"), **MONEY)
    opening_balance = serializers.DecimalField(required=False, **MONEY)

    class Meta:
        model = MonthlyAccount
        fields = [
            "id",
            "school",
            "month",
            "version",
            "status",
            "supersedes",
            "opening_balance",
            "income_source",
            "meal_fee_income",
            "other_income",
            "food_source",
            "food_expense",
            "fuel_expense",
            "wage_expense",
            "other_expense",
            "total_income",
            "total_expense",
            "balance",
            "closing_balance",
            "notes",
            "reason",
            "changes",
            "published_at",
            "superseded_at",
        ]
        read_only_fields = ["version", "status", "supersedes", "changes", "published_at", "superseded_at"]
        extra_kwargs = {"school": {"required": False}}
        validators = []

    def create(self, validated_data):
        data = dict(validated_data)
        school, month = data.pop("school"), data.pop("month")
        try:
            return accounts.draft(school=school, month=month, actor=self.context["request"].user, **data)
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc

    def update(self, instance, validated_data):
        data = {k: v for k, v in validated_data.items() if k not in ("school", "month")}
        try:
            return accounts.update_draft(instance, self.context["request"].user, **data)
        except DjangoValidationError as exc:
            raise as_drf(exc) from exc


@extend_schema_view(
    list=extend_schema(summary="Monthly canteen accounts, every version (filter by month range, status)"),
    create=extend_schema(summary="Draft a month's accounts"),
)
class MonthlyAccountViewSet(WorkflowViewSetMixin, SchoolScopedModelViewSet):
    queryset = MonthlyAccount.objects.select_related("school")
    serializer_class = MonthlyAccountSerializer
    filterset_class = MonthlyAccountFilterSet
    ordering_fields = ["month", "version", "id"]
    ordering = ["-month", "-version"]
    step_response_serializer = MonthlyAccountSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # nothing is deleted


class CanteenCorrectionSerializer(serializers.ModelSerializer):
    corrected_by = CanteenPersonSerializer(read_only=True)

    class Meta:
        model = Correction
        fields = ["id", "changes", "reason", "corrected_by", "corrected_at"]


class LineCorrectionSerializer(CanteenCorrectionSerializer):
    """A correction of one line of a delivery (``line``: the line's id)."""

    line = serializers.IntegerField(source="object_id", read_only=True)

    class Meta(CanteenCorrectionSerializer.Meta):
        fields = ["id", "line", "changes", "reason", "corrected_by", "corrected_at"]


_REQUESTS = {}


def _value_field(model_field):
    kind = model_field.get_internal_type()
    if model_field.choices:
        return serializers.ChoiceField(choices=model_field.choices, required=False)
    if kind == "DecimalField":
        return serializers.DecimalField(
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
            required=False,
            allow_null=model_field.null,
        )
    if kind == "PositiveIntegerField":
        return serializers.IntegerField(min_value=0, required=False, allow_null=model_field.null)
    if kind == "BooleanField":
        return serializers.BooleanField(required=False)
    if kind == "DateField":
        return serializers.DateField(required=False, allow_null=model_field.null)
    return serializers.CharField(max_length=model_field.max_length, required=False, allow_blank=True)


def correction_request(model, name=None, extra=None):
    """The request body of ``correct`` for ``model``: its correctable fields (all optional) and the
    reason (with ``extra`` fields first, e.g. the ``line`` of a delivery)."""
    name = name or f"{model.__name__}CorrectionRequest"
    if name in _REQUESTS:
        return _REQUESTS[name]
    fields = {**(extra or {}), "reason": serializers.CharField(max_length=300)}
    for field_name in corrections.CORRECTABLE[model]:
        fields[field_name] = _value_field(model._meta.get_field(field_name))
    _REQUESTS[name] = inline_serializer(name, fields)
    return _REQUESTS[name]


def _apply(record, user, validated):
    values = dict(validated)
    reason = values.pop("reason")
    try:
        with transaction.atomic():
            return corrections.correct(record, user, reason, **values)
    except DjangoValidationError as exc:
        raise as_drf(exc) from exc


@internal_doc
class CorrectActionMixin:
    """``POST …/{id}/correct/``: correct a typo with a reason (the original values stay on record);
    ``GET …/{id}/corrections/``: the record's corrections."""

    def _correct(self, request):
        obj = self.get_object()
        data = correction_request(type(obj)).__class__(data=request.data)
        data.is_valid(raise_exception=True)
        correction = _apply(obj, request.user, data.validated_data)
        return Response(CanteenCorrectionSerializer(correction).data, status=201)

    def _corrections(self, request):
        obj = self.get_object()
        return Response(CanteenCorrectionSerializer(corrections.corrections_of(obj), many=True).data)


def correct_actions(model):
    """The two actions of ``CorrectActionMixin`` with ``model``'s request body in the schema."""

    @extend_schema(
        request=correction_request(model),
        responses={201: CanteenCorrectionSerializer, **STEP_ERRORS},
        summary="Correct a typo",
    )
    @action(detail=True, methods=["post"], permission_action="correct")
    def correct(self, request, pk=None):
        return self._correct(request)

    @extend_schema(
        responses={200: CanteenCorrectionSerializer(many=True), 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Corrections of the record",
    )
    @action(
        detail=True,
        methods=["get"],
        permission_action="view",
        url_path="corrections",
        pagination_class=None,
        filter_backends=[],
    )
    def corrections_list(self, request, pk=None):
        return self._corrections(request)

    return correct, corrections_list


def line_correction_actions():
    """``POST deliveries/{id}/correct-line/`` (a line's figures, with a reason; the inspection decision
    is not correctable) and ``GET deliveries/{id}/line-corrections/`` (its lines' corrections)."""
    from ..models import DeliveryLine

    request_body = correction_request(
        DeliveryLine,
        "DeliveryLineCorrectionRequest",
        {"line": serializers.IntegerField(help_text="The id of a line of this delivery.")},
    )

    @extend_schema(
        request=request_body,
        responses={201: LineCorrectionSerializer, **STEP_ERRORS},
        summary="Correct a line's figures (quantity, unit, dates, batch, price) with a reason",
    )
    @action(detail=True, methods=["post"], url_path="correct-line", permission_action="view")
    def correct_line(self, request, pk=None):
        delivery = self.get_object()
        if not permissions.has_perm(request.user, "canteen.correct_deliveryline", delivery.school_id):
            raise PermissionDenied(_("You may not correct delivery lines."))
        data = request_body.__class__(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = DeliveryLine.objects.filter(
            school_id=delivery.school_id, delivery=delivery, pk=values.pop("line")
        ).first()
        if line is None:
            raise serializers.ValidationError({"line": [_("This line is not part of this delivery.")]})
        correction = _apply(line, request.user, values)
        return Response(LineCorrectionSerializer(correction).data, status=201)

    @extend_schema(
        responses={200: LineCorrectionSerializer(many=True), 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Corrections of the delivery's lines",
    )
    @action(
        detail=True,
        methods=["get"],
        permission_action="view",
        url_path="line-corrections",
        pagination_class=None,
        filter_backends=[],
    )
    def line_corrections(self, request, pk=None):
        delivery = self.get_object()
        found = corrections.corrections_by_record(
            DeliveryLine, delivery.school, delivery.lines.values_list("pk", flat=True)
        )
        rows = sorted((c for cs in found.values() for c in cs), key=lambda c: (c.corrected_at, c.pk), reverse=True)
        return Response(LineCorrectionSerializer(rows, many=True).data)

    return correct_line, line_corrections
