"""Pages of the utilities app: meters (with their latest month's use and flag), a meter's page with the
chart of its last 24 months and the table behind it, readings, entering a month's readings of a campus on
one form, and the correction of a reading (the ``correct`` step)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.tenancy.models import Campus
from logistics.ui.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    SchoolViewMixin,
)
from logistics.workflow.views import StepPageView

from . import figures, services
from .filtersets import MeterFilterSet, MeterReadingFilterSet, MeterReadingImportFilterSet
from .forms import EntryChoiceForm, MeterForm, ReadingRowForm
from .models import Meter, MeterReading, MeterReadingImport
from .tables import MeterReadingImportTable, MeterReadingTable, MeterTable


def _latest(field):
    return Subquery(MeterReading.objects.filter(meter_id=OuterRef("pk")).order_by("-month").values(field)[:1])


METER_LIST = Meter.objects.select_related("campus", "building").annotate(
    last_month=_latest("month"), last_use=_latest("consumption"), last_flagged=_latest("flagged")
)


class MeterListView(ObjectListView):
    queryset = METER_LIST
    filterset = MeterFilterSet
    table = MeterTable
    template_name = "utilities/meter_list.html"
    export_name = "meters"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_enter"] = permissions.has_perm(
            self.request.user, "utilities.add_meterreading", self.request.school
        )
        return context


class MeterDetailView(ObjectDetailView):
    queryset = Meter.objects.select_related("campus", "building")
    template_name = "utilities/meter_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meter = self.object
        latest = meter.readings.order_by("-month").values_list("month", flat=True).first()
        end = max(filter(None, [latest, services.last_month()]))
        history = figures.meter_history(meter, end)
        context.update(
            {
                "history": list(reversed(history)),
                "chart": figures.chart_config(meter, history),
                "can_enter": permissions.has_perm(self.request.user, "utilities.add_meterreading", meter.school_id),
                "factor": services.factor(meter.school),
            }
        )
        return context


class MeterEditView(ObjectEditView):
    queryset = Meter.objects.all()
    form_class = MeterForm


class MeterDeleteView(ObjectDeleteView):
    queryset = Meter.objects.all()


READING_LIST = MeterReading.objects.select_related("meter__campus", "entered_by")


class MeterReadingListView(ObjectListView):
    queryset = READING_LIST
    filterset = MeterReadingFilterSet
    table = MeterReadingTable
    export_name = "meter-readings"


class MeterReadingImportListView(ObjectListView):
    """Uploaded files of readings; upload, map the columns, check every row, import all or none (the
    platform's import pages)."""

    queryset = MeterReadingImport.objects.select_related("created_by")
    filterset = MeterReadingImportFilterSet
    table = MeterReadingImportTable
    template_name = "utilities/import_list.html"


class MeterReadingDetailView(ObjectDetailView):
    queryset = MeterReading.objects.select_related("meter__campus", "meter__building", "entered_by")
    template_name = "utilities/reading_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["corrections"] = list(self.object.corrections.select_related("corrected_by").order_by("-created"))
        return context


class MeterReadingStepView(StepPageView):
    queryset = MeterReading.objects.select_related("meter", "school")


class ReadingEntryView(SchoolViewMixin, TemplateView):
    """A month's readings of all the campus's meters on one form (phone-friendly: one card per meter).

    All or nothing: when a line is refused, nothing is saved and the form comes back with each line's
    message and everything typed kept."""

    template_name = "utilities/reading_entry.html"
    queryset = MeterReading.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        school = self.school_required()
        if not permissions.has_perm(request.user, "utilities.add_meterreading", school):
            raise PermissionDenied(_("You may not enter meter readings."))
        return super().dispatch(request, *args, **kwargs)

    def choice(self, data):
        school = self.request.school
        today = timezone.localdate()
        default_month = services.last_month(today)
        campuses = Campus.objects.restrict(self.request.user, "view").in_school(school).order_by("name")
        first = campuses.first()
        initial = {"campus": first.pk if first else None, "month": f"{default_month:%Y-%m}", "read_on": today}
        if data:  # what is not given (a link with only ?campus=) keeps its default
            data = {**{k: str(v) for k, v in initial.items() if v is not None}, **data.dict()}
        form = EntryChoiceForm(data or None, school=school, user=self.request.user, initial=initial)
        campus, month, read_on = first, default_month, today
        if form.is_bound and form.is_valid():
            campus = form.cleaned_data["campus"]
            month = services.parse_month(form.cleaned_data["month"], default_month)
            read_on = form.cleaned_data["read_on"]
        elif form.is_bound:
            campus = None
        return form, campus, month, read_on

    def lines(self, campus, month, data=None):
        meters = (
            Meter.objects.restrict(self.request.user, "view")
            .in_school(self.request.school)
            .filter(campus=campus, active=True)
            .select_related("building")
            .order_by("kind", "name")
        )
        out = []
        for meter, done, previous in services.readings_for_entry(meters, month):
            form = None if done else ReadingRowForm(data, prefix=f"m{meter.pk}")
            out.append({"meter": meter, "done": done, "previous": previous, "form": form})
        return out

    def get(self, request, *args, **kwargs):
        form, campus, month, read_on = self.choice(request.GET)
        lines = self.lines(campus, month) if campus else []
        return self.render_to_response(self.context(form, campus, month, read_on, lines))

    def post(self, request, *args, **kwargs):
        form, campus, month, read_on = self.choice(request.POST)
        if campus is None:
            messages.error(request, _("Choose the campus, the month and the reading date."))
            return self.render_to_response(self.context(form, None, month, read_on, []), status=400)
        lines = self.lines(campus, month, request.POST)
        errors = False
        saved = 0
        try:
            with transaction.atomic():
                for line in lines:
                    row = line["form"]
                    if row is None:
                        continue
                    if not row.is_valid():
                        errors = True
                        continue
                    if row.is_empty() and not row.cleaned_data.get("replacement"):
                        continue  # not read this time
                    try:
                        services.record_reading(
                            line["meter"],
                            request.user,
                            month,
                            read_on,
                            value=row.cleaned_data["value"],
                            consumption=row.cleaned_data["consumption"],
                            replacement=row.cleaned_data["replacement"],
                            reason=row.cleaned_data["reason"],
                        )
                    except ValidationError as exc:
                        errors = True
                        _attach(row, exc)
                        continue
                    saved += 1
                if errors:
                    raise _Refused
        except _Refused:
            messages.error(request, _("Some readings were refused; nothing was saved. Check the marked lines."))
            return self.render_to_response(self.context(form, campus, month, read_on, lines), status=400)
        if not saved:
            messages.warning(request, _("Nothing was entered."))
            return self.render_to_response(self.context(form, campus, month, read_on, lines), status=400)
        messages.success(
            request,
            _("Saved %(n)s readings of %(month)s for %(campus)s.")
            % {"n": saved, "month": f"{month:%Y-%m}", "campus": campus},
        )
        query = f"?campus={campus.pk}&month={month:%Y-%m}&read_on={read_on:%Y-%m-%d}"
        return redirect(reverse("utilities:reading_entry") + query)

    def context(self, form, campus, month, read_on, lines):
        return {
            "title": _("Enter meter readings"),
            "breadcrumbs": [
                (_("Home"), reverse("dashboard:home")),
                (_("Meters"), reverse("utilities:meter_list")),
                (_("Enter meter readings"), None),
            ],
            "choice": form,
            "campus": campus,
            "month": month,
            "read_on": read_on,
            "lines": lines,
            "open_lines": sum(1 for line in lines if line["form"] is not None),
        }


class _Refused(Exception):
    """Roll the month's entry back when one line is refused."""


def _attach(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)
