"""API of spending approval, budgets, collective decisions and the staff statement."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from logistics.api.viewsets import SchoolScopedCreateReadViewSet, SchoolScopedModelViewSet
from logistics.workflow.api import WorkflowViewSetMixin
from logistics.workflow.serializers import ErrorSerializer

from .. import budgets, expenses, statements
from ..budget_queries import with_figures
from ..expense_filtersets import BudgetFilterSet, ExpenseFilterSet, StaffStatementFilterSet
from ..models import Budget, CollectiveDecision, Expense, StaffStatement
from . import expense_serializers as s


def _as_api_error(exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return serializers.ValidationError({("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()})


class ExpenseListSerializer(s.ExpenseSerializer):
    class Meta(s.ExpenseSerializer.Meta):
        fields = [f for f in s.ExpenseSerializer.Meta.fields if f not in ("invoice_files",)]


@extend_schema_view(
    list=extend_schema(summary="Expenses (staff: their own; finance officer, heads: the school's)"),
    create=extend_schema(summary="File an expense/reimbursement as a draft (multipart: invoices)"),
    update=extend_schema(summary="Change a draft; anything submitted answers 409"),
    partial_update=extend_schema(summary="Change a draft; anything submitted answers 409"),
    destroy=extend_schema(summary="Delete a draft; anything submitted answers 409"),
)
class ExpenseViewSet(WorkflowViewSetMixin, SchoolScopedModelViewSet):
    queryset = Expense.objects.select_related("buyer", "receiver").prefetch_related("signatures__signer")
    serializer_class = s.ExpenseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    search_fields = ["reference", "purpose", "supplier"]
    ordering_fields = ["reference_number", "amount", "spent_on", "id"]
    ordering = ["-reference_number"]
    filterset_class = ExpenseFilterSet

    def get_serializer_class(self):
        if self.action == "list":
            return ExpenseListSerializer
        return super().get_serializer_class()

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        invoices = data.pop("invoices", [])
        try:
            expense = expenses.file_expense(actor=self.request.user, invoices=invoices, **data)
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc
        serializer.instance = expense
        return expense

    def perform_update(self, serializer):
        serializer.validated_data.pop("invoices", None)
        files = self.request.FILES.getlist("invoices") if hasattr(self.request, "FILES") else []
        super().perform_update(serializer)
        expenses.attach(serializer.instance, files, expenses.INVOICE)


class CollectiveDecisionListSerializer(s.CollectiveDecisionSerializer):
    class Meta(s.CollectiveDecisionSerializer.Meta):
        fields = [f for f in s.CollectiveDecisionSerializer.Meta.fields if f != "minutes_files"]


@extend_schema_view(
    list=extend_schema(summary="Collective decisions (集体决策); the minutes in each one's detail"),
    create=extend_schema(summary="Record a collective decision (multipart: minutes required)"),
)
class CollectiveDecisionViewSet(SchoolScopedCreateReadViewSet):
    queryset = CollectiveDecision.objects.all()
    serializer_class = s.CollectiveDecisionSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering = ["-meeting_date", "-id"]

    def get_serializer_class(self):
        return CollectiveDecisionListSerializer if self.action == "list" else super().get_serializer_class()

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        minutes = data.pop("minutes", [])
        decision = CollectiveDecision.objects.create(**data)
        expenses.attach(decision, minutes, expenses.MINUTES)
        serializer.instance = decision
        return decision


@extend_schema_view(
    list=extend_schema(summary="Budgets per year and category with actual, committed and remaining"),
    create=extend_schema(summary="Set a category's budget for a year (once; then revise it)"),
)
class BudgetViewSet(SchoolScopedCreateReadViewSet):
    queryset = Budget.objects.all()
    serializer_class = s.BudgetSerializer
    filterset_class = BudgetFilterSet
    ordering = ["-year", "category"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("revisions")
        return with_figures(queryset)

    def get_serializer_class(self):
        return s.BudgetDetailSerializer if self.action == "retrieve" else s.BudgetSerializer

    @extend_schema(
        summary="Revise a budget's amount (with the reason; kept in its history)",
        request=s.BudgetReviseSerializer,
        responses={200: s.BudgetDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], permission_action="revise")
    def revise(self, request, pk=None):
        budget = self.get_object()
        body = s.BudgetReviseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            budgets.revise(budget, request.user, body.validated_data["amount"], body.validated_data["reason"])
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc
        fresh = with_figures(Budget.objects.filter(pk=budget.pk).prefetch_related("revisions")).get()
        return Response(s.BudgetDetailSerializer(fresh, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="Staff income/expense statements (staff: the published ones)"),
    create=extend_schema(summary="Draft the statement of a half term (or a correction of a published one)"),
)
class StaffStatementViewSet(WorkflowViewSetMixin, SchoolScopedCreateReadViewSet):
    queryset = StaffStatement.objects.all()
    serializer_class = s.StaffStatementSerializer
    filterset_class = StaffStatementFilterSet
    ordering = ["-period_end", "-version"]

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        try:
            statement = statements.new_statement(
                school=data["school"],
                actor=self.request.user,
                title=data["title"],
                period_start=data.get("period_start"),
                period_end=data.get("period_end"),
                note=data.get("note", ""),
                corrects=data.get("corrects"),
            )
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc
        serializer.instance = statement
        return statement
