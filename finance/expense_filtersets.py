"""FilterSets of spending approval, budgets and the staff statement (pages and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.ui.filtersets import BaseFilterSet

from .choices import ExpenseCategory, ExpenseStatus, StatementStatus
from .models import Budget, Expense, StaffStatement


class ExpenseFilterSet(BaseFilterSet):
    search_fields = ("reference", "purpose", "supplier")
    status = django_filters.MultipleChoiceFilter(
        choices=ExpenseStatus.choices, label=pgettext_lazy("expense filter", "status"), distinct=False
    )
    category = django_filters.MultipleChoiceFilter(
        choices=ExpenseCategory.choices, label=_("budget category"), distinct=False
    )
    spent_after = django_filters.DateFilter(field_name="spent_on", lookup_expr="gte", label=_("bought from"))
    spent_before = django_filters.DateFilter(field_name="spent_on", lookup_expr="lte", label=_("bought until"))

    class Meta:
        model = Expense
        fields = ["status", "category"]


class BudgetFilterSet(BaseFilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    category = django_filters.MultipleChoiceFilter(
        choices=ExpenseCategory.choices, label=_("budget category"), distinct=False
    )

    class Meta:
        model = Budget
        fields = ["year", "category"]


class StaffStatementFilterSet(BaseFilterSet):
    search_fields = ("title",)
    status = django_filters.MultipleChoiceFilter(
        choices=StatementStatus.choices, label=pgettext_lazy("statement filter", "status"), distinct=False
    )

    class Meta:
        model = StaffStatement
        fields = ["status"]
