"""The finance figures page of a district (各校收费情况): one row per school for a chosen term, the
district's total of the schools that reported, the missing schools shown as missing; XLSX export.
Figures from ``finance.figures.district_rows`` (a fixed number of queries for any number of schools)."""

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.tenancy.models import School

from . import figures

PERM = "finance.view_district_financefigures"


def _headers():
    return [
        _("School"),
        _("Fee board"),
        _("Published on"),
        _("Items on the board"),
        _("Due (yuan)"),
        _("Collected (yuan)"),
        _("Outstanding (yuan)"),
        _("Collected %"),
        _("Refunds awaiting a decision"),
        _("Refunds awaiting (yuan)"),
        _("Settlements approved"),
    ]


class DistrictFiguresView(LoginRequiredMixin, TemplateView):
    """Per school for a term: items on the published board, board current or not, collected/due,
    refunds pending, settlements done; ``?export=xlsx``."""

    template_name = "finance/district_figures.html"

    def schools(self):
        user = self.request.user
        schools = School.objects.restrict(user, "view").select_related("district").order_by("district__name", "name")
        allowed = [s for s in schools if permissions.has_perm(user, PERM, s)]
        if not allowed:
            raise PermissionDenied
        return allowed

    def get(self, request, *args, **kwargs):
        schools = self.schools()
        choices = figures.terms(schools)
        term = request.GET.get("term") or (choices[0] if choices else "")
        if term and term not in choices:
            choices = [term, *choices]
        rows = figures.district_rows(schools, term) if term else []
        total = figures.totals(rows) if rows else None
        if request.GET.get("export") == "xlsx":
            return self.xlsx(term, rows, total)
        context = self.get_context_data(
            term=term, terms=choices, rows=rows, total=total, title=_("Fees across schools"), many=len(rows) > 1
        )
        return self.render_to_response(context)

    def xlsx(self, term, rows, total):
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Fees"))[:31]
        sheet.append([str(_("Term")), term])
        sheet.append([str(h) for h in _headers()])
        for row in rows:
            if row.missing:
                sheet.append([row.school.name, str(row.board_state)])
                continue
            sheet.append(
                [
                    row.school.name,
                    str(row.board_state),
                    row.published_on,
                    row.items,
                    row.due,
                    row.collected,
                    row.outstanding,
                    row.collected_percent,
                    row.refunds_pending,
                    row.refunds_pending_amount,
                    f"{row.settled}/{row.to_settle}",
                ]
            )
        if total and len(rows) > 1:
            sheet.append(
                [
                    str(_("District total (%(n)s schools reported, %(m)s missing)"))
                    % {"n": total["reported"], "m": total["missing"]},
                    "",
                    None,
                    total["items"],
                    total["due"],
                    total["collected"],
                    total["outstanding"],
                    total["collected_percent"],
                    total["refunds_pending"],
                    total["refunds_pending_amount"],
                    f"{total['settled']}/{total['to_settle']}",
                ]
            )
        for cells in sheet.iter_rows(min_row=3, min_col=3, max_col=3):
            for c in cells:
                c.number_format = "yyyy-mm-dd"
        for cells in sheet.iter_rows(min_row=3, min_col=5, max_col=7):
            for c in cells:
                c.number_format = "#,##0.00"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="finance-district.xlsx"'
        return response
