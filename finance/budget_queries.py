"""Budget figures as queryset annotations: one query for a whole list of budgets."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from .choices import ExpenseStatus
from .models import Expense

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum_of(status):
    rows = (
        Expense.objects.filter(school_id=OuterRef("school_id"), category=OuterRef("category"), status=status)
        .annotate(y=ExtractYear("spent_on"))
        .filter(y=OuterRef("year"))
        .order_by()
        .values("school_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO)


def with_figures(queryset):
    """Budgets annotated with ``actual`` (paid expenses of the year and category) and ``committed``
    (approved, not yet paid)."""
    return queryset.annotate(actual=_sum_of(ExpenseStatus.PAID), committed=_sum_of(ExpenseStatus.APPROVED))
