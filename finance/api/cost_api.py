"""API of the actual cost per student of a settlement (逐人实际费用): read and enter them
(``GET``/``POST /api/v1/finance/settlements/{id}/costs/``, all entries or none, errors by entry), and the
XLSX/CSV import on the import engine's mixin (``/api/v1/finance/student-cost-imports/``, multipart ``file``
and ``settlement`` → ``mapping`` → ``validate`` → ``preview`` → ``run``)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from logistics.accounts import permissions
from logistics.api.docs import internal_doc
from logistics.api.viewsets import SchoolScopedCreateReadViewSet
from logistics.imports import engine
from logistics.imports.api import FIELDS, ImportRecordSerializer, import_viewset_mixin
from logistics.workflow.serializers import ErrorSerializer

from ..choices import SettlementStatus
from ..costs import MAX_COST, save_costs
from ..models import Charge, Settlement, StudentCost, StudentCostImport

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class StudentCostSerializer(serializers.ModelSerializer):
    """One student's actual cost in the settlement."""

    student = serializers.IntegerField(source="charge.student_id", read_only=True)
    student_name = serializers.CharField(source="charge.student.name", read_only=True)
    student_number = serializers.CharField(source="charge.student.student_number", read_only=True)

    class Meta:
        model = StudentCost
        fields = ["id", "settlement", "charge", "student", "student_name", "student_number", "amount", "updated"]
        read_only_fields = fields


class CostEntrySerializer(serializers.Serializer):
    student = serializers.IntegerField(help_text="The student's id (a student charged for the settlement's fee).")
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="The actual cost in yuan, 0 to 99,999,999.99."
    )


class CostEntriesSerializer(serializers.Serializer):
    """The costs to enter: every entry is checked, and any wrong entry saves nothing."""

    costs = CostEntrySerializer(many=True, allow_empty=False)


class CostListSerializer(serializers.Serializer):
    """The costs entered in a settlement: how many, their total and each one."""

    count = serializers.IntegerField(help_text="Students whose cost is entered.")
    total = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="The sum of the costs (yuan).")
    costs = StudentCostSerializer(many=True)


class CostsSavedSerializer(CostListSerializer):
    changed = serializers.IntegerField(help_text="Figures created or changed now (0 when sent again).")


def _answer(settlement, **extra):
    from decimal import Decimal

    costs = list(_costs_of(settlement))
    total = sum((c.amount for c in costs), Decimal("0.00"))
    return {
        **extra,
        "count": len(costs),
        "total": f"{total:.2f}",
        "costs": StudentCostSerializer(costs, many=True).data,
    }


def _costs_of(settlement):
    return StudentCost.objects.filter(settlement=settlement).select_related("charge__student").order_by("charge_id")


def check_entries(settlement, entries):
    """``{charge: amount}`` of the entries, or ``ValidationError`` keyed ``costs[i].student|amount``
    (the entry's position, in Chinese: unknown student, not charged for the fee, twice, negative)."""
    charges = {
        c.student_id: c
        for c in Charge.objects.filter(
            school_id=settlement.school_id, fee_item_id=settlement.fee_item_id, settlement__isnull=True
        ).select_related("student")
    }
    errors, figures, seen = [], {}, {}
    for index, entry in enumerate(entries):
        problem = {}
        student, amount = entry["student"], entry["amount"]
        charge = charges.get(student)
        if charge is None:
            problem["student"] = _("Student %(id)s is not charged for this fee in this school.") % {"id": student}
        elif student in seen:
            problem["student"] = _("%(name)s appears twice (also entry %(other)s).") % {
                "name": charge.student.name,
                "other": seen[student] + 1,
            }
        if amount < 0:
            problem["amount"] = _("an actual cost cannot be negative (%(value)s)") % {"value": amount}
        elif amount > MAX_COST:
            problem["amount"] = _("Enter an amount from 0 to 99,999,999.99.")
        errors.append(problem)
        if not problem:
            seen[student] = index
            figures[charge] = amount
    if any(errors):
        # keyed by the entry's position (``costs[0].student``), each message naming the entry too
        raise ValidationError(
            {
                f"costs[{index}].{field}": [_("Entry %(n)s: %(error)s") % {"n": index + 1, "error": message}]
                for index, problem in enumerate(errors)
                for field, message in problem.items()
            }
        )
    return figures


@internal_doc
class SettlementCostsMixin:
    """On ``SettlementViewSet``: the ``costs`` action."""

    @extend_schema(
        methods=["GET"],
        summary="The actual cost entered for each charged student",
        request=None,
        responses={200: CostListSerializer, **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Enter the actual cost of charged students (all entries or none)",
        description=(
            "Each entry names a student charged for the settlement's fee and their actual cost. An unknown "
            "student, another school's, one not charged for the fee, a student twice or a negative cost is "
            "an error of its entry (`errors` keyed `costs[i].student` / `costs[i].amount`), and then nothing is saved. Each figure created or changed "
            "is a recorded change; refused once the settlement is approved."
        ),
        request=CostEntriesSerializer,
        responses={200: CostsSavedSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], permission_action={"GET": "view", "POST": "change"})
    def costs(self, request, pk=None):
        settlement = self.get_object()
        if request.method == "GET":
            return Response(_answer(settlement))
        if not permissions.has_perm(request.user, "finance.add_studentcost", settlement.school_id):
            raise PermissionDenied
        if settlement.status == SettlementStatus.APPROVED:
            raise ValidationError({"detail": [_("This settlement is approved: its costs can no longer change.")]})
        body = CostEntriesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        figures = check_entries(settlement, body.validated_data["costs"])
        try:
            changed = save_costs(settlement, request.user, figures)
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(_answer(settlement, changed=changed))


class StudentCostImportSerializer(ImportRecordSerializer):
    """An uploaded file of actual costs: on create, the ``file`` (multipart) and the ``settlement``."""

    class Meta(ImportRecordSerializer.Meta):
        model = StudentCostImport
        fields = [*FIELDS, "settlement"]
        read_only_fields = [f for f in FIELDS if f not in ("file", "school", "importer")]
        extra_kwargs = {"school": {"required": False}}

    def validate_settlement(self, settlement):
        request = self.context["request"]
        if not Settlement.objects.restrict(request.user, "view").filter(pk=settlement.pk).exists():
            raise serializers.ValidationError(_("This belongs to another school."))
        if settlement.status == SettlementStatus.APPROVED:
            raise serializers.ValidationError(_("This settlement is approved: its costs can no longer change."))
        return settlement

    def validate(self, attrs):
        attrs = super().validate(attrs)
        settlement = attrs.get("settlement")
        if settlement is not None and attrs.get("school") and attrs["school"].pk != settlement.school_id:
            raise serializers.ValidationError({"settlement": _("This belongs to another school.")})
        return attrs


@extend_schema_view(
    list=extend_schema(summary="Uploaded files of the actual cost per student"),
    create=extend_schema(summary="Upload a file of actual costs (XLSX or CSV) for a settlement"),
)
class StudentCostImportViewSet(import_viewset_mixin(StudentCostImportSerializer), SchoolScopedCreateReadViewSet):
    queryset = StudentCostImport.objects.select_related("settlement")
    serializer_class = StudentCostImportSerializer
    ordering = ["-created", "-id"]

    def create_object(self, serializer):
        data = serializer.validated_data
        settlement = data["settlement"]
        obj = engine.open_import(
            lambda **fields: StudentCostImport(settlement=settlement, **fields),
            school=settlement.school,
            user=self.request.user,
            upload=data["file"],
            importer=StudentCostImport.default_importer,
        )
        serializer.instance = obj
        return obj
