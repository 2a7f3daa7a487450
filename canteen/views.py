"""Pages of the canteen: today's sample checklist (the kitchen's phone), meals with their dishes,
the food samples list, a sample with its discard step, and the samples due for discard."""

import datetime

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.attachments.models import Attachment
from logistics.tenancy import rules
from logistics.ui.views import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    SchoolViewMixin,
)
from logistics.workflow.views import StepPageView

from . import cold, health, menus, services, supply
from .choices import MEAL_ORDER, MENU_MEALS, Meal, SampleStatus
from .corrections import corrections_by_record, corrections_of
from .filtersets import (
    ColdEpisodeFilterSet,
    ColdReadingFilterSet,
    DeliveryFilterSet,
    DisinfectionFilterSet,
    FoodSampleFilterSet,
    HealthCertificateFilterSet,
    MealServiceFilterSet,
    MorningCheckFilterSet,
    SupplierFilterSet,
    WeeklyMenuFilterSet,
)
from .forms import (
    ColdReadingForm,
    ColdStoreForm,
    DeliveryForm,
    DeliveryLineFormSet,
    DisinfectionForm,
    HealthCertificateForm,
    MealServiceForm,
    MorningCheckRowForm,
    ProductCategoryForm,
    SampleForm,
    SupplierForm,
    SupplierLicenceForm,
    WeeklyMenuForm,
)
from .models import (
    ColdEpisode,
    ColdReading,
    ColdStore,
    Delivery,
    DeliveryLine,
    Dish,
    Disinfection,
    FoodSample,
    HealthCertificate,
    MealService,
    MorningCheck,
    ProductCategory,
    Supplier,
    SupplierLicence,
    WeeklyMenu,
)
from .models.health import SYMPTOMS
from .settings_rules import FEVER_CELSIUS, SAMPLE_HOURS, SAMPLE_MIN_GRAMS
from .tables import (
    ColdEpisodeTable,
    ColdReadingTable,
    ColdStoreTable,
    DeliveryTable,
    DisinfectionTable,
    FoodSampleTable,
    HealthCertificateTable,
    MealServiceTable,
    MorningCheckTable,
    ProductCategoryTable,
    SupplierTable,
    WeeklyMenuTable,
)

SAMPLE_LIST = FoodSample.objects.select_related("sampled_by", "school")


class FoodSampleListView(ObjectListView):
    """Every sample of the school the user may see, newest first; late entries marked."""

    queryset = SAMPLE_LIST
    filterset = FoodSampleFilterSet
    table = FoodSampleTable
    template_name = "canteen/foodsample_list.html"
    export_name = "food-samples"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["add_url"] = None  # samples are logged from a meal's checklist
        context["tab"] = "all"
        return context


class DiscardDueView(FoodSampleListView):
    """Samples still kept whose keeping time is over: they may be discarded now (the morning list)."""

    export_name = "food-samples-due"

    def get_base_queryset(self):
        return super().get_base_queryset().filter(status=SampleStatus.KEPT, keep_until__lte=timezone.now())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Food samples due for discard")
        context["tab"] = "due"
        return context


class FoodSampleDetailView(ObjectDetailView):
    queryset = FoodSample.objects.select_related("sampled_by", "discarded_by", "meal", "school")
    template_name = "canteen/foodsample_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sample = self.object
        context.update(
            {
                "sample": sample,
                "photos": list(
                    Attachment.objects.filter(
                        content_type=ContentType.objects.get_for_model(FoodSample),
                        object_id=sample.pk,
                        school_id=sample.school_id,
                    )
                ),
                "sample_hours": rules.value(sample.school, SAMPLE_HOURS),
                "corrections": corrections_of(sample),
                "may_correct": FoodSample.objects.restrict(self.request.user, "correct").filter(pk=sample.pk).exists(),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


class FoodSampleStepView(StepPageView):
    """``/canteen/samples/<pk>/<step>/``: the discard step's page."""

    queryset = FoodSample.objects.select_related("school", "meal")


MEAL_LIST = MealService.objects.annotate(
    dish_count=Count("dishes", filter=Q(dishes__served=True), distinct=True),
    sample_count=Count("samples", distinct=True),
)


class MealServiceListView(ObjectListView):
    queryset = MEAL_LIST
    filterset = MealServiceFilterSet
    table = MealServiceTable
    export_name = "meal-services"


class MealServiceDetailView(ObjectDetailView):
    queryset = MealService.objects.select_related("school")
    template_name = "canteen/meal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meal = self.object
        context["dishes"] = list(meal.dishes.select_related("sample__sampled_by").order_by("-served", "position", "pk"))
        context["can_sample"] = permissions.has_perm(self.request.user, "canteen.add_foodsample", meal.school_id)
        return context


class MealServiceEditView(ObjectEditView):
    queryset = MealService.objects.all()
    form_class = MealServiceForm


# --- the checklist: a day's meals, each dish one tap to open, weight, photo, save -------------------


def checklist_meals(school, day):
    """The meals of ``day`` in serving order, each with its served dishes and their samples."""
    meals = list(
        MealService.objects.filter(school=school, date=day).prefetch_related(
            Prefetch(
                "dishes",
                queryset=Dish.objects.filter(served=True)
                .select_related("sample__sampled_by")
                .order_by("position", "pk"),
                to_attr="served_dishes",
            )
        )
    )
    meals.sort(key=lambda m: (m.starts_at or m.ends_at_datetime.time(), MEAL_ORDER.get(m.meal, 9), m.canteen))
    for meal in meals:
        meal.done = sum(1 for d in meal.served_dishes if getattr(d, "sample", None) is not None)
    return meals


def _sample_of(dish):
    try:
        return dish.sample
    except FoodSample.DoesNotExist:
        return None


class ChecklistView(SchoolViewMixin, TemplateView):
    """Today's meals (or one meal's) as a checklist of dishes: tap a dish, type the weight, an optional
    photo, save. Built for a phone in the kitchen; the canteen staff's and manager's page."""

    template_name = "canteen/checklist.html"
    queryset = MealService.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        school = self.school_required()
        if not permissions.has_perm(request.user, "canteen.add_foodsample", school):
            raise PermissionDenied(_("You may not log food samples."))
        return super().dispatch(request, *args, **kwargs)

    def get_meals(self):
        school = self.request.school
        if "pk" in self.kwargs:
            meal = get_object_or_404(self.restricted().in_school(school), pk=self.kwargs["pk"])
            return [m for m in checklist_meals(school, meal.date) if m.pk == meal.pk]
        return checklist_meals(school, timezone.localdate())

    def get_context_data(self, error_dish=None, error_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        meals = self.get_meals()
        for meal in meals:
            for dish in meal.served_dishes:
                dish.logged = _sample_of(dish)
                if error_dish is not None and dish.pk == error_dish.pk:
                    dish.form = error_form
                else:
                    dish.form = SampleForm(school=school, auto_id=f"d{dish.pk}-%s")
        context.update(
            {
                "title": _("Food samples of %(day)s") % {"day": meals[0].date.strftime("%Y-%m-%d")}
                if "pk" in self.kwargs and meals
                else _("Today's food samples"),
                "meals": meals,
                "today": timezone.localdate(),
                "min_grams": rules.value(school, SAMPLE_MIN_GRAMS),
                "sample_hours": rules.value(school, SAMPLE_HOURS),
                "source": rules.get_rule(SAMPLE_MIN_GRAMS).source,
                "can_manage": permissions.has_perm(self.request.user, "canteen.add_mealservice", school),
                "error_dish": error_dish,
                "meal_pk": self.kwargs.get("pk"),
                "next": reverse("canteen:meal_checklist", args=[self.kwargs["pk"]])
                if "pk" in self.kwargs
                else reverse("canteen:today"),
            }
        )
        return context


class RecordSampleView(ChecklistView):
    """POST ``/canteen/dishes/<pk>/sample/``: record the dish's sample, back to the checklist; a refused
    sample shows the checklist again with the dish open, the message and the input kept."""

    http_method_names = ["post"]

    def get_meals(self):
        if self.return_meal:
            self.kwargs["pk"] = self.dish.meal_id
        return super().get_meals()

    def post(self, request, *args, **kwargs):
        school = request.school
        dish = get_object_or_404(
            Dish.objects.restrict(request.user, "view").in_school(school).select_related("meal", "school"),
            pk=self.kwargs["dish"],
        )
        self.dish = dish
        nxt = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}) or "/sample/" in nxt:
            nxt = ""
        self.return_meal = dish.meal.date != timezone.localdate() or "/meals/" in nxt
        form = SampleForm(request.POST, request.FILES, school=school, auto_id=f"d{dish.pk}-%s")
        if form.is_valid():
            try:
                sample = services.record_sample(
                    dish=dish,
                    actor=request.user,
                    weight_grams=form.cleaned_data["weight_grams"],
                    container=form.cleaned_data["container"],
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("%(dish)s: %(grams)s g sampled, keep until %(time)s.")
                    % {
                        "dish": dish.name,
                        "grams": sample.weight_grams,
                        "time": services.local_minute(sample.keep_until),
                    },
                )
                target = nxt or (
                    reverse("canteen:meal_checklist", args=[dish.meal_id])
                    if self.return_meal
                    else reverse("canteen:today")
                )
                return redirect(f"{target.split('#')[0]}#meal-{dish.meal_id}")
        context = self.get_context_data(error_dish=dish, error_form=form)
        return self.render_to_response(context, status=400)


# --- suppliers, licences, categories, deliveries ----------------------------------------------------


class SupplierListView(ObjectListView):
    queryset = Supplier.objects.prefetch_related("licences")
    filterset = SupplierFilterSet
    table = SupplierTable
    export_name = "suppliers"


class SupplierDetailView(ObjectDetailView):
    queryset = Supplier.objects.prefetch_related("licences")
    template_name = "canteen/supplier_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supplier, user = self.object, self.request.user
        context.update(
            {
                "licences": list(supplier.licences.all()),
                "problem": supplier.licence_problem(timezone.localdate()),
                "scans": list(
                    Attachment.objects.filter(
                        content_type=ContentType.objects.get_for_model(Supplier),
                        object_id=supplier.pk,
                        school_id=supplier.school_id,
                    )
                ),
                "can_add_licence": permissions.has_perm(user, "canteen.add_supplierlicence", supplier.school_id),
                "deliveries": list(supplier.deliveries.order_by("-delivered_on", "-pk")[:10]),
            }
        )
        return context


class SupplierEditView(ObjectEditView):
    queryset = Supplier.objects.all()
    form_class = SupplierForm


class SupplierLicenceEditView(ObjectEditView):
    queryset = SupplierLicence.objects.all()
    form_class = SupplierLicenceForm

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if not self.object.pk and "supplier" in self.request.GET and not form.is_bound:
            form.initial["supplier"] = self.request.GET["supplier"]
        return form


class ProductCategoryListView(ObjectListView):
    queryset = ProductCategory.objects.all()
    table = ProductCategoryTable
    export_name = "product-categories"


class ProductCategoryEditView(ObjectEditView):
    queryset = ProductCategory.objects.all()
    form_class = ProductCategoryForm

    def get_success_url(self, obj):
        return reverse("canteen:productcategory_list")


class DeliveryListView(ObjectListView):
    queryset = Delivery.objects.select_related("supplier").prefetch_related("lines")
    filterset = DeliveryFilterSet
    table = DeliveryTable
    export_name = "deliveries"


class DeliveryDetailView(ObjectDetailView):
    queryset = Delivery.objects.select_related("supplier", "school")
    template_name = "canteen/delivery_detail.html"

    def get_context_data(self, **kwargs):
        from logistics.workflow import guard

        context = super().get_context_data(**kwargs)
        delivery = self.object
        allowed = {spec.name for spec in guard.allowed_steps(self.request.user, delivery)}
        lines = list(delivery.lines.select_related("category").prefetch_related("inspectors").order_by("pk"))
        corrected = corrections_by_record(DeliveryLine, delivery.school, [line.pk for line in lines])
        for line in lines:
            line.corrections = corrected.get(line.pk, [])
        context.update(
            {
                "delivery": delivery,
                "lines": lines,
                "may_correct": permissions.has_perm(self.request.user, "canteen.correct_deliveryline", delivery.school),
                "may_accept": "accept_line" in allowed,
                "may_reject": "reject_line" in allowed,
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


class DeliveryCreateView(SchoolViewMixin, TemplateView):
    """Record a delivery and its lines in one form (refused for a supplier whose licence expired)."""

    template_name = "canteen/delivery_form.html"
    queryset = Delivery.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, "canteen.add_delivery", self.school_required()
        ):
            raise PermissionDenied(_("You may not record deliveries."))
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        school, user = self.request.school, self.request.user
        form = DeliveryForm(data, instance=Delivery(school=school), user=user, school=school)
        lines = DeliveryLineFormSet(data, prefix="lines", form_kwargs={"school": school, "user": user})
        return form, lines

    def get(self, request, *args, **kwargs):
        form, lines = self.forms()
        return self.render_to_response(self.get_context_data(form=form, lines=lines))

    def post(self, request, *args, **kwargs):
        form, lines = self.forms(request.POST)
        if form.is_valid() and lines.is_valid():
            rows = [f.cleaned_data for f in lines.forms if f.has_changed() and f.cleaned_data]
            try:
                delivery = supply.create_delivery(
                    school=request.school,
                    actor=request.user,
                    supplier=form.cleaned_data["supplier"],
                    delivered_on=form.cleaned_data["delivered_on"],
                    note=form.cleaned_data.get("note", ""),
                    lines=rows,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Delivery %(ref)s recorded: inspect each line.") % {"ref": delivery.reference}
                )
                return redirect(delivery.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, lines=lines), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Record a delivery")
        context["cancel_url"] = reverse("canteen:delivery_list")
        return context


class DeliveryStepView(StepPageView):
    """``/canteen/deliveries/<pk>/<step>/``: accept or reject a line (``?line=`` preselects it)."""

    queryset = Delivery.objects.select_related("supplier", "school")

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        line = self.request.GET.get("line")
        if data is None and line and line.isdigit():
            form.initial["line"] = int(line)
        return form


# --- staff health (personal data: the canteen manager, the logistics head and the principal) -------


class HealthCertificateListView(ObjectListView):
    queryset = HealthCertificate.objects.select_related("person")
    filterset = HealthCertificateFilterSet
    table = HealthCertificateTable
    export_name = "health-certificates"


class HealthCertificateEditView(ObjectEditView):
    queryset = HealthCertificate.objects.all()
    form_class = HealthCertificateForm

    def get_success_url(self, obj):
        return reverse("canteen:healthcertificate_list")


class MorningCheckDetailView(ObjectDetailView):
    """One morning check (personal data: whoever may see it — the manager, the logistics head, the
    principal, the person), its corrections and, for the canteen manager, the way to correct it."""

    queryset = MorningCheck.objects.select_related("person", "checked_by", "school")
    template_name = "canteen/morningcheck_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = self.object
        context.update(
            {
                "check": check,
                "answers": [(check._meta.get_field(name).verbose_name, getattr(check, name)) for name in SYMPTOMS],
                "corrections": corrections_of(check),
                "may_correct": MorningCheck.objects.restrict(self.request.user, "correct").filter(pk=check.pk).exists(),
                "edit_url": None,
                "delete_url": None,
            }
        )
        return context


class MorningCheckListView(ObjectListView):
    queryset = MorningCheck.objects.select_related("person", "checked_by")
    filterset = MorningCheckFilterSet
    table = MorningCheckTable
    export_name = "morning-checks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["add_url"] = (
            reverse("canteen:team_check")
            if permissions.has_perm(self.request.user, "canteen.add_morningcheck", self.request.school)
            else None
        )
        return context


class TeamCheckView(SchoolViewMixin, TemplateView):
    """The whole team's morning check (晨检) of today on one phone screen: each person's temperature and
    the yes/no questions; saving records every row not yet checked today."""

    template_name = "canteen/team_check.html"
    queryset = MorningCheck.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, "canteen.add_morningcheck", self.school_required()
        ):
            raise PermissionDenied(_("You may not record morning checks."))
        return super().dispatch(request, *args, **kwargs)

    def rows(self, data=None):
        school, today = self.request.school, timezone.localdate()
        team = health.team_of(school)
        done = {c.person_id: c for c in MorningCheck.objects.filter(school=school, date=today, person__in=team)}
        certs = health.valid_certificates(school, team, today)
        rows = []
        for person in team:
            form = None if person.pk in done else MorningCheckRowForm(data, prefix=f"p{person.pk}")
            rows.append({"person": person, "check": done.get(person.pk), "form": form, "cert": certs.get(person.pk)})
        return rows

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(rows=self.rows()))

    def post(self, request, *args, **kwargs):
        rows = self.rows(request.POST)
        pending = [row for row in rows if row["form"] is not None and row["form"].has_changed()]
        if pending and all(row["form"].is_valid() for row in pending):
            with transaction.atomic():
                for row in pending:
                    health.record_check(
                        school=request.school, person=row["person"], checked_by=request.user, **row["form"].cleaned_data
                    )
            off = MorningCheck.objects.filter(school=request.school, date=timezone.localdate(), on_duty=False).count()
            messages.success(
                request, _("%(n)s morning checks recorded; %(off)s off duty today.") % {"n": len(pending), "off": off}
            )
            return redirect(reverse("canteen:team_check"))
        if not pending:
            messages.error(request, _("Enter at least one person's temperature."))
        return self.render_to_response(self.get_context_data(rows=rows), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        context.update(
            {
                "title": _("Morning check of %(day)s") % {"day": timezone.localdate().strftime("%Y-%m-%d")},
                "fever": rules.value(school, FEVER_CELSIUS),
                "questions": [
                    ("fever", _("fever")),
                    ("diarrhoea", _("diarrhoea")),
                    ("skin_wound", _("skin wound or infection")),
                    ("sore_throat", _("sore throat or cough")),
                    ("other_symptom", _("other symptom")),
                ],
            }
        )
        return context


# --- weekly menus -----------------------------------------------------------------------------------


class WeeklyMenuListView(ObjectListView):
    queryset = WeeklyMenu.objects.all()
    filterset = WeeklyMenuFilterSet
    table = WeeklyMenuTable
    export_name = "weekly-menus"


def menu_table(menu):
    """Rows (day, [(meal label, [(dish, ingredients)])]) of a menu for the pages."""
    cells = menus.grid(menu)
    rows = []
    for day in menu.days:
        meals = [(Meal(m).label, cells.get((day, m), [])) for m in MENU_MEALS if cells.get((day, m))]
        if meals or day.weekday() < 5:
            rows.append((day, menus.WEEKDAYS[day.weekday()], meals))
    return rows


class WeeklyMenuDetailView(ObjectDetailView):
    queryset = WeeklyMenu.objects.select_related("school", "published_by").prefetch_related("items")
    template_name = "canteen/menu_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        menu = self.object
        context.update(
            {
                "menu": menu,
                "rows": menu_table(menu),
                "versions": list(
                    WeeklyMenu.objects.filter(
                        school=menu.school, week_start=menu.week_start, canteen=menu.canteen
                    ).order_by("-version")
                ),
                "public_url": reverse("canteen_public:menu", args=[menu.school.slug]),
            }
        )
        return context


class WeeklyMenuEditView(ObjectEditView):
    queryset = WeeklyMenu.objects.all()
    form_class = WeeklyMenuForm
    template_name = "canteen/menu_form.html"

    def get_form(self, data=None, files=None):
        form = super().get_form(data, files)
        if not self.object.pk and not form.is_bound:
            form.initial["week_start"] = menus.monday_of(timezone.localdate()) + datetime.timedelta(days=7)
        return form


class WeeklyMenuStepView(StepPageView):
    queryset = WeeklyMenu.objects.select_related("school")

    def get_success_url(self):
        result = getattr(self, "result", None)
        if isinstance(result, WeeklyMenu) and result.pk != self.object.pk:
            return reverse("canteen:weeklymenu_edit", args=[result.pk])
        return super().get_success_url()


class MealsFromMenuView(SchoolViewMixin, View):
    """POST: today's meal services from the published menu (their dishes stay editable)."""

    queryset = MealService.objects.all()

    def post(self, request, *args, **kwargs):
        school = self.school_required()
        if not permissions.has_perm(request.user, "canteen.add_mealservice", school):
            raise PermissionDenied(_("You may not add meals."))
        made = menus.meals_from_menu(school, timezone.localdate(), actor=request.user)
        if made:
            messages.success(request, _("%(n)s meals taken from the published menu.") % {"n": len(made)})
        else:
            messages.info(request, _("The published menu has nothing more for today."))
        return redirect(reverse("canteen:today"))


# --- hygiene ----------------------------------------------------------------------------------------


class DisinfectionListView(ObjectListView):
    queryset = Disinfection.objects.select_related("done_by")
    filterset = DisinfectionFilterSet
    table = DisinfectionTable
    export_name = "tableware-disinfections"


class DisinfectionEditView(ObjectEditView):
    """Record a disinfection (records are not edited afterwards: no change permission is granted)."""

    queryset = Disinfection.objects.all()
    form_class = DisinfectionForm

    def save(self, form):
        obj = form.save()
        if not obj.in_range:
            messages.warning(self.request, _("Out of range: %(problems)s") % {"problems": obj.problems})
        return obj

    def get_success_url(self, obj):
        return reverse("canteen:disinfection_list")


# --- cold chain -------------------------------------------------------------------------------------


class ColdStoreListView(ObjectListView):
    queryset = ColdStore.objects.all()
    table = ColdStoreTable
    export_name = "cold-stores"


class ColdStoreEditView(ObjectEditView):
    queryset = ColdStore.objects.all()
    form_class = ColdStoreForm

    def get_success_url(self, obj):
        return reverse("canteen:coldstore_list")


class ColdReadingListView(ObjectListView):
    """The readings, newest first, with a form to log one (the phone in front of the fridge)."""

    queryset = ColdReading.objects.select_related("store", "taken_by", "school")
    filterset = ColdReadingFilterSet
    table = ColdReadingTable
    template_name = "canteen/coldreading_list.html"
    export_name = "cold-chain-readings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.request.school
        context["add_url"] = None
        if permissions.has_perm(self.request.user, "canteen.add_coldreading", school):
            context["reading_form"] = kwargs.get("reading_form") or ColdReadingForm(school=school)
        low, high = cold.limits(school)
        context["range"] = f"{low}–{high} °C"
        return context

    def post(self, request, *args, **kwargs):
        school = self.school_required()
        if not permissions.has_perm(request.user, "canteen.add_coldreading", school):
            raise PermissionDenied(_("You may not log temperatures."))
        form = ColdReadingForm(request.POST, school=school)
        if form.is_valid():
            try:
                reading = cold.record_reading(
                    store=form.cleaned_data["store"],
                    actor=request.user,
                    celsius=form.cleaned_data["celsius"],
                    taken_at=form.cleaned_data.get("taken_at"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if reading.in_range:
                    messages.success(request, _("Reading recorded."))
                else:
                    messages.warning(request, _("Out of range: recorded in the episode, with its corrective action."))
                return redirect(reverse("canteen:coldreading_list"))
        response = self.get(request, *args, **kwargs)
        response.context_data["reading_form"] = form
        response.status_code = 400
        return response


class ColdEpisodeListView(ObjectListView):
    queryset = ColdEpisode.objects.select_related("store")
    filterset = ColdEpisodeFilterSet
    table = ColdEpisodeTable
    export_name = "cold-chain-episodes"
