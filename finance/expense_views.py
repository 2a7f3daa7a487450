"""Pages of spending approval (支出报销, 一支笔审批), budgets, collective decisions and the staff
income/expense statement (经费收支情况通报)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.ui.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SchoolViewMixin
from logistics.workflow.views import StepPageView

from . import budgets, expenses, statements
from .choices import ExpenseStatus
from .expense_filtersets import ExpenseFilterSet, StaffStatementFilterSet
from .expense_forms import (
    BudgetForm,
    BudgetReviseForm,
    CollectiveDecisionForm,
    DocumentsField,
    ExpenseForm,
    StaffStatementForm,
)
from .expense_tables import CollectiveDecisionTable, ExpenseTable, StaffStatementTable
from .models import Budget, CollectiveDecision, Expense, StaffStatement

# --- expenses --------------------------------------------------------------------------------------


class ExpenseListView(ObjectListView):
    queryset = Expense.objects.select_related("buyer")
    filterset = ExpenseFilterSet
    table = ExpenseTable


class ExpenseDetailView(ObjectDetailView):
    queryset = Expense.objects.select_related("buyer", "receiver", "filed_by", "decision", "paid_by", "reversed_by")
    template_name = "finance/expenses/expense_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        expense = self.object
        context["signatures"] = list(expense.signatures.select_related("signer"))
        context["invoices"] = list(expenses.attachments_of(expense, expenses.INVOICE))
        if expense.status in (ExpenseStatus.DRAFTED, ExpenseStatus.SUBMITTED, ExpenseStatus.SIGNED):
            context["need"] = expenses.requirements(expense)
        context["head_limit"], context["principal_limit"] = expenses.limits(expense.school)
        if expense.decision_id:
            context["minutes"] = list(expenses.attachments_of(expense.decision, expenses.MINUTES))
        if expense.status == ExpenseStatus.DRAFTED and context.get("edit_url"):
            context["invoice_field"] = DocumentsField(label=_("invoice scans or photos")).widget.render(
                "invoices", None, attrs={"class": "form-control", "id": "id_invoices"}
            )
        return context


class ExpenseEditView(ObjectEditView):
    queryset = Expense.objects.all()
    form_class = ExpenseForm


class ExpenseDeleteView(ObjectDeleteView):
    queryset = Expense.objects.all()


class ExpenseStepView(StepPageView):
    queryset = Expense.objects.select_related("school")


class ExpenseInvoiceView(LoginRequiredMixin, View):
    """Add invoice scans to a draft (whoever may change it)."""

    def post(self, request, pk):
        expense = get_object_or_404(Expense.objects.restrict(request.user, "change"), pk=pk)
        if expense.status != ExpenseStatus.DRAFTED:
            raise PermissionDenied(_("Invoices are added while the expense is a draft."))
        try:
            files = DocumentsField().clean(request.FILES.getlist("invoices"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if files:
                expenses.attach(expense, files, expenses.INVOICE)
                messages.success(request, _("%(n)s files attached.") % {"n": len(files)})
            else:
                messages.error(request, _("Choose the invoice scans or photos to attach."))
        return redirect(expense.get_absolute_url())


# --- collective decisions ----------------------------------------------------------------------------


class CollectiveDecisionListView(ObjectListView):
    queryset = CollectiveDecision.objects.all()
    table = CollectiveDecisionTable


class CollectiveDecisionDetailView(ObjectDetailView):
    queryset = CollectiveDecision.objects.all()
    template_name = "finance/expenses/decision_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes"] = list(expenses.attachments_of(self.object, expenses.MINUTES))
        if decision_in_use(self.object):
            context["edit_url"] = None
        context["expenses"] = list(
            Expense.objects.restrict(self.request.user, "view").filter(decision=self.object).order_by("pk")
        )
        return context


def decision_in_use(decision):
    """A decision an expense was submitted on is a record of that approval: never edited afterwards."""
    return decision.pk and decision.expenses.exclude(status=ExpenseStatus.DRAFTED).exists()


class CollectiveDecisionEditView(ObjectEditView):
    queryset = CollectiveDecision.objects.all()
    form_class = CollectiveDecisionForm

    def get_object(self):
        decision = super().get_object()
        if decision_in_use(decision):
            raise PermissionDenied(_("An expense was submitted on this decision: it can no longer be changed."))
        return decision


# --- budgets -----------------------------------------------------------------------------------------


class BudgetListView(SchoolViewMixin, TemplateView):
    """A year's budgets by category: budget, actual (paid), committed (approved, unpaid), remaining, %."""

    queryset = Budget.objects.all()
    template_name = "finance/budgets/budget_list.html"

    def get(self, request, *args, **kwargs):
        school = self.school_required()
        if not permissions.has_perm(request.user, "finance.view_budget", school):
            raise PermissionDenied(_("You may not see the budgets."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        try:
            year = int(self.request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        rows, total = budgets.table(school.pk, year)
        years = sorted(
            set(Budget.objects.filter(school=school).values_list("year", flat=True).distinct()) | {year}, reverse=True
        )
        context.update(
            {
                "title": _("Budgets %(year)s") % {"year": year},
                "year": year,
                "years": years,
                "rows": rows,
                "total": total,
                "may_add": permissions.has_perm(self.request.user, "finance.add_budget", school),
                "chart": {
                    "type": "bar",
                    "data": {
                        "labels": [r["label"] for r in rows],
                        "datasets": [
                            {"label": _("budget (yuan)"), "data": [float(r["budget"] or 0) for r in rows]},
                            {"label": pgettext("budget figure", "paid"), "data": [float(r["actual"]) for r in rows]},
                            {
                                "label": pgettext("budget figure", "committed"),
                                "data": [float(r["committed"]) for r in rows],
                            },
                        ],
                    },
                    "options": {"maintainAspectRatio": False, "indexAxis": "y"},
                },
            }
        )
        return context


class BudgetDetailView(ObjectDetailView):
    queryset = Budget.objects.all()
    template_name = "finance/budgets/budget_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        budget = self.object
        context["figures"] = budgets.figures_for(budget.school_id, budget.year, [budget.category]).get(budget.category)
        context["revisions"] = list(budget.revisions.select_related("created_by"))
        if Budget.objects.restrict(self.request.user, "revise").filter(pk=budget.pk).exists():
            context["revise_form"] = kwargs.get("revise_form") or BudgetReviseForm(initial={"amount": budget.amount})
        context["expenses"] = list(
            Expense.objects.restrict(self.request.user, "view")
            .filter(
                school_id=budget.school_id,
                category=budget.category,
                spent_on__year=budget.year,
                status__in=(ExpenseStatus.APPROVED, ExpenseStatus.PAID),
            )
            .order_by("-spent_on", "-pk")[:50]
        )
        return context

    def post(self, request, pk):
        """The revision (预算调整): new amount and reason; the form again with the message if refused."""
        self.object = get_object_or_404(Budget.objects.restrict(request.user, "revise"), pk=pk)
        form = BudgetReviseForm(request.POST)
        if form.is_valid():
            try:
                budgets.revise(self.object, request.user, form.cleaned_data["amount"], form.cleaned_data["reason"])
            except ValidationError as exc:
                errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, errors in errors_by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Budget revised."))
                return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(revise_form=form), status=400)


class BudgetEditView(ObjectEditView):
    queryset = Budget.objects.all()
    form_class = BudgetForm

    def get_success_url(self, obj):
        return obj.get_absolute_url()


# --- the staff statement -------------------------------------------------------------------------------


class StaffStatementListView(ObjectListView):
    queryset = StaffStatement.objects.all()
    filterset = StaffStatementFilterSet
    table = StaffStatementTable


class StaffStatementDetailView(ObjectDetailView):
    queryset = StaffStatement.objects.select_related("supersedes", "published_by")
    template_name = "finance/statements/statement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.object
        context["f"] = statements.for_display(statement.figures)
        context["may_correct"] = statement.status == "published" and permissions.has_perm(
            self.request.user, "finance.add_staffstatement", statement.school_id
        )
        later = StaffStatement.objects.filter(supersedes=statement).first()
        context["corrected_by"] = later if later and later.status in ("published", "superseded") else None
        return context


class StaffStatementEditView(ObjectEditView):
    """Draft a statement (figures computed from the records) or, with ``?corrects=<id>``, a correction
    of the published one."""

    queryset = StaffStatement.objects.all()
    form_class = StaffStatementForm

    def corrects(self):
        pk = self.request.GET.get("corrects") or self.request.POST.get("corrects")
        if not pk or "pk" in self.kwargs:
            return None
        return get_object_or_404(StaffStatement.objects.restrict(self.request.user, "view"), pk=pk)

    def get_form(self, data=None, files=None):
        school = self.object.school if self.object.school_id else self.request.school
        return self.form_class(
            data, files, instance=self.object, user=self.request.user, school=school, corrects=self.corrects()
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.pk:
            return super().post(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                statement = statements.new_statement(
                    school=self.object.school,
                    actor=request.user,
                    title=data["title"],
                    period_start=data.get("period_start"),
                    period_end=data.get("period_end"),
                    note=data.get("note", ""),
                    corrects=self.corrects(),
                )
            except ValidationError as exc:
                errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                for field, errors in errors_by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved “%(object)s”.") % {"object": statement})
                return redirect(statement.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        corrects = self.corrects()
        if corrects is not None:
            context["title"] = _("Correct %(object)s") % {"object": corrects}
            context["hidden_fields"] = {"corrects": corrects.pk}
        return context


class StaffStatementStepView(StepPageView):
    queryset = StaffStatement.objects.select_related("school", "supersedes")


class StaffStatementPdfView(LoginRequiredMixin, View):
    """The statement as PDF (Chinese fonts) for whoever may read it."""

    def get(self, request, pk):
        from logistics.ui.documents import html_to_pdf

        statement = get_object_or_404(
            StaffStatement.objects.restrict(request.user, "view").select_related("school"), pk=pk
        )
        html = render_to_string(
            "finance/statements/statement_pdf.html",
            {"object": statement, "f": statements.for_display(statement.figures), "school": statement.school},
            request=request,
        )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="statement-{statement.pk}.pdf"'
        return response
