import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import FormView

from logistics.accounts import permissions
from logistics.attachments.views import serve_file
from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.tables import Column, Table
from logistics.ui.views import ObjectDetailView, ObjectListView, SchoolViewMixin
from logistics.workflow.views import StepPageView

from . import services, summary
from .choices import ReportStatus
from .forms import SummaryForm
from .models import Report, ReportVersion


class ReportFilterSet(BaseFilterSet):
    search_fields = ("title",)

    class Meta:
        model = Report
        fields = ["school", "period", "status"]


class ReportTable(Table):
    columns = [
        Column("title", gettext_lazy("title"), link=True),
        Column("period", gettext_lazy("month")),
        Column("generated_at", gettext_lazy("generated")),
        Column(
            "status",
            pgettext_lazy("report", "status"),
            badge={ReportStatus.DRAFT: "warning", ReportStatus.FINAL: "primary", ReportStatus.READ: "success"},
        ),
    ]
    default_order = "-period"


class ReportListView(ObjectListView):
    queryset = Report.objects.all()
    filterset = ReportFilterSet
    table = ReportTable
    template_name = "reports/report_list.html"
    title = gettext_lazy("Monthly reports")  # as in the menu; the breadcrumb follows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_generate"] = permissions.has_perm(self.request.user, "reports.add_report", self.request.school)
        context["last_month"] = services.previous_month().strftime("%Y-%m")
        return context


class ReportDetailView(ObjectDetailView):
    queryset = Report.objects.all()
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        crumbs = list(context.get("breadcrumbs") or [])
        if len(crumbs) > 1:  # Home › Monthly reports (as in the menu) › the report
            crumbs[1] = (gettext_lazy("Monthly reports"), crumbs[1][1])
        context["breadcrumbs"] = crumbs
        context["versions"] = list(self.object.versions.all())
        context["doc"] = services.report_document(self.object)
        return context


class ReportStepView(StepPageView):
    queryset = Report.objects.select_related("school")


class ReportGenerateView(SchoolViewMixin, View):
    """Generate (or regenerate) the current school's report for any past month, on demand."""

    queryset = Report.objects.all()

    def post(self, request):
        school = self.school_required()
        if not permissions.has_perm(request.user, "reports.add_report", school):
            raise PermissionDenied
        raw = request.POST.get("month", "")
        try:
            period = datetime.date.fromisoformat(f"{raw}-01")
        except ValueError:
            messages.error(request, _("Choose a month like 2026-10."))
            return redirect("reports:report_list")
        if period.year < 2000 or period > timezone.localdate().replace(day=1):
            messages.error(request, _("Only past or current months can be reported."))
            return redirect("reports:report_list")
        try:
            report = services.generate(school, period, user=request.user)
        except services.ReportIsFinal as exc:
            messages.error(request, exc.messages[0])
            return redirect("reports:report_list")
        messages.success(request, _("The report was generated."))
        return redirect(report)


class ReportFileView(SchoolViewMixin, View):
    queryset = Report.objects.all()

    def get(self, request, pk, fmt, version=None):
        report = get_object_or_404(self.restricted(), pk=pk)
        if version is not None:  # an earlier generation, kept with its time
            report = get_object_or_404(ReportVersion, pk=version, report=report)
        field = {"pdf": report.pdf, "xlsx": report.xlsx}.get(fmt)
        if not field:
            raise Http404
        return serve_file(field, force_download=fmt == "xlsx")


class SummaryView(SchoolViewMixin, FormView):
    """The term or year summary (学期工作总结 / 年度总结) from the same sections, as PDF or XLSX, on demand."""

    queryset = Report.objects.all()
    form_class = SummaryForm
    template_name = "reports/summary.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            school = self.school_required()
            if not permissions.has_perm(request.user, "reports.view_report", school):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["choices"] = summary.choices()
        if self.request.method == "GET" and "period" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound:
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        period = summary.parse(form.cleaned_data["period"])
        document = summary.document(self.school_required(), period, self.request.user)
        name = f"{self.request.school.slug}-{form.cleaned_data['period']}"
        if form.cleaned_data["fmt"] == "xlsx":
            response = HttpResponse(
                services.render_xlsx(document),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = HttpResponse(services.render_pdf(document), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Term and year summaries")
        context["breadcrumbs"] = [
            (_("Home"), reverse("dashboard:home")),
            (gettext_lazy("Monthly reports"), reverse("reports:report_list")),
            (context["title"], None),
        ]
        return context
