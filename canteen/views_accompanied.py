"""Pages of 陪餐 (record on a phone, the list, a record with the canteen's answer), the monthly accounts
(draft, publish, correct) and the corrections of a record's typo."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions
from logistics.attachments.models import Attachment
from logistics.ui.views import ObjectDetailView, ObjectEditView, ObjectListView, breadcrumbs_for
from logistics.workflow.views import StepPageView

from . import accompanied, accounts, corrections
from .choices import AccountStatus, FoodCostSource, IncomeSource
from .filtersets_accompanied import AccompaniedMealFilterSet, MonthlyAccountFilterSet
from .forms_accompanied import AccompaniedMealForm, CorrectionForm, MonthlyAccountForm
from .models import AccompaniedMeal, Delivery, DeliveryLine, MonthlyAccount
from .tables_accompanied import AccompaniedMealTable, MonthlyAccountTable
from .widgets_accompanied import month_bounds, percent

# --- 陪餐 ------------------------------------------------------------------------------------------


class AccompaniedMealListView(ObjectListView):
    """Every 陪餐 record the user may see (a parent: their own), with this month's coverage on top."""

    queryset = AccompaniedMeal.objects.select_related("companion")
    filterset = AccompaniedMealFilterSet
    table = AccompaniedMealTable
    template_name = "canteen/accompanied/list.html"
    export_name = "accompanied-meals"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        user = self.request.user
        context["add_url"] = (
            reverse("canteen:accompaniedmeal_add")
            if permissions.has_perm(user, "canteen.add_accompaniedmeal", school)
            else None
        )
        if permissions.has_perm(user, "canteen.view_canteen_figures", school):
            start, end = month_bounds(timezone.localdate())
            covered, served = accompanied.coverage(school, start, end)
            context["coverage"] = {"covered": covered, "served": served, "percent": percent(covered, served)}
            context["missing"] = list(
                accompanied.unaccompanied(accompanied.served_meals(school, start, end)).order_by("-date", "-starts_at")[
                    :10
                ]
            )
        return context


class AccompaniedMealCreateView(ObjectEditView):
    """Record a 陪餐 on a phone: the meal (today's first), a rating in one tap, a few words, photos."""

    queryset = AccompaniedMeal.objects.all()
    template_name = "canteen/accompanied/form.html"

    def get_form(self, data=None, files=None):
        school = self.school_required()
        initial = {}
        meal = self.request.GET.get("meal")
        if meal:
            initial["meal"] = meal
        return AccompaniedMealForm(data, files, school=school, initial=initial)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                record = accompanied.record(actor=request.user, **data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("陪餐 recorded. Thank you."))
                return redirect(record.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Record a 陪餐")
        context["kind"] = accompanied.kind_of(self.request.user, self.request.school)
        return context


class AccompaniedMealDetailView(ObjectDetailView):
    queryset = AccompaniedMeal.objects.select_related("companion", "answered_by", "meal", "school")
    template_name = "canteen/accompanied/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context.update(
            {
                "record": record,
                "photos": list(
                    Attachment.objects.filter(
                        content_type=ContentType.objects.get_for_model(AccompaniedMeal),
                        object_id=record.pk,
                        school_id=record.school_id,
                    )
                ),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


class AccompaniedMealStepView(StepPageView):
    queryset = AccompaniedMeal.objects.select_related("school", "meal")


# --- monthly accounts ------------------------------------------------------------------------------


class MonthlyAccountListView(ObjectListView):
    queryset = MonthlyAccount.objects.all()
    filterset = MonthlyAccountFilterSet
    table = MonthlyAccountTable
    template_name = "canteen/accounts/list.html"
    export_name = "canteen-accounts"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        context["public_url"] = reverse("canteen_public:accounts", args=[school.slug]) if school else None
        return context


class MonthlyAccountDetailView(ObjectDetailView):
    queryset = MonthlyAccount.objects.select_related("school", "published_by", "supersedes")
    template_name = "canteen/accounts/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = self.object
        versions = list(MonthlyAccount.objects.filter(school=account.school, month=account.month).order_by("-version"))
        context.update({"account": account, "versions": versions})
        if account.status == AccountStatus.DRAFT:
            context["finance_fees"] = accounts.finance_meal_fees(account.school, account.month)
            context["delivery_food"] = accounts.delivery_food_cost(account.school, account.month)
        return context


class MonthlyAccountEditView(ObjectEditView):
    """Draft a month or change a draft (published months: 403 — a correction is a new version)."""

    queryset = MonthlyAccount.objects.all()
    form_class = MonthlyAccountForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if not self.object.pk and data is None:
            school = self.object.school
            month = timezone.localdate().replace(day=1)
            form.initial.update(
                {
                    "month": month,
                    "opening_balance": accounts.previous_closing(school, month),
                    "income_source": IncomeSource.FINANCE
                    if accounts.finance_meal_fees(school, month)
                    else IncomeSource.ENTERED,
                    "food_source": FoodCostSource.DELIVERIES,
                }
            )
        return form

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "month" and v is not None}
        try:
            if self.object.pk:
                return accounts.update_draft(self.object, self.request.user, **data)
            return accounts.draft(
                school=self.object.school, month=form.cleaned_data["month"], actor=self.request.user, **data
            )
        except ValidationError as exc:
            raise _FormError(exc) from exc

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except _FormError as error:
            form = self.get_form(request.POST, request.FILES)
            form.is_valid()
            exc = error.args[0]
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
            return self.render_to_response(self.get_context_data(form=form), status=400)


class _FormError(Exception):
    """A service's refusal while saving a form (shown on the form, nothing saved)."""


class MonthlyAccountStepView(StepPageView):
    queryset = MonthlyAccount.objects.select_related("school")

    def get_success_url(self):
        result = getattr(self, "result", None)
        if isinstance(result, MonthlyAccount):
            return reverse("canteen:monthlyaccount_edit", args=[result.pk])
        return super().get_success_url()


# --- corrections -----------------------------------------------------------------------------------

#: the corrected models by the ``kind`` of the page's address (samples, disinfections, cold readings,
#: morning checks, delivery lines)
CORRECTED = corrections.KINDS


class CorrectionView(ObjectEditView):
    """``/canteen/corrections/<kind>/<pk>/``: a record's corrections (original values, reason, who, when)
    and, for the canteen manager, the form to correct a typo."""

    template_name = "canteen/corrections/page.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        model = CORRECTED.get(kwargs.get("kind"))
        if model is None:
            raise Http404
        self.queryset = model.objects.select_related("school")

    def get_object(self):
        obj = get_object_or_404(self.restricted("view").in_school(self.school_required()), pk=self.kwargs["pk"])
        if isinstance(obj, DeliveryLine):
            # a line is read where its delivery is: whoever may not see the delivery may not see the line
            get_object_or_404(Delivery.objects.restrict(self.request.user, "view"), pk=obj.delivery_id)
        self.may_correct = self.queryset.restrict(self.request.user, "correct").filter(pk=obj.pk).exists()
        return obj

    def get_form(self, data=None, files=None):
        return CorrectionForm(data, record=self.object) if self.may_correct else None

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.may_correct:
            raise PermissionDenied(_("You may not correct this record."))
        form = self.get_form(request.POST)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
            try:
                corrections.correct(self.object, request.user, form.cleaned_data["reason"], **values)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Corrected: the original values and the reason are kept."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context.update(
            {
                "record": record,
                "record_url": record.get_absolute_url(),
                "current": [
                    (record._meta.get_field(name).verbose_name, corrections.display(record, name))
                    for name in corrections.CORRECTABLE[type(record)]
                ],
                "corrections": corrections.corrections_of(record),
                "title": _("Corrections of %(record)s") % {"record": record},
                "breadcrumbs": breadcrumbs_for(record, _("Corrections")),
            }
        )
        return context
