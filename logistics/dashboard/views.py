from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from logistics.accounts import permissions
from logistics.people.models import Student
from logistics.tenancy.models import School

from .registry import widgets


class HomeView(LoginRequiredMixin, TemplateView):
    """The start page: the principal's dashboard (widgets the user may see in the current school);
    parents see their children; everyone sees their menu."""

    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, school = self.request.user, self.request.school
        panels = []
        if school:
            for widget in widgets():
                if permissions.has_perm(user, widget.perm, school):
                    html = render_to_string(
                        widget.template,
                        {"widget": widget, **widget.context(school, user)},
                        request=self.request,
                    )
                    panels.append(html)
        context["panels"] = panels
        context["children"] = (
            Student.objects.restrict(user, "view").filter(guardian_links__guardian=user).select_related("school_class")
            if school
            else []
        )
        context["is_district"] = permissions.has_perm(user, "dashboard.view_district_dashboard")
        # everyone without the school's dashboard keeps the quick links beside their own panels
        context["show_links"] = not (school and permissions.has_perm(user, "dashboard.view_school_dashboard", school))
        context["title"] = _("Home")
        return context


def _number(value):
    """A widget's figure as a number ("1,234" → 1234), or None when it is not a count or an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).replace(",", "").strip()
    try:
        return Decimal(text) if text and text[0] in "-0123456789" and "%" not in text else None
    except ArithmeticError:
        return None


def district_totals(rows, summed):
    """The district's total of each summed column whose every school value is a number ("" where not)."""
    totals = []
    for index, add_up in enumerate(summed):
        numbers = [_number(values[index]) for _school, values in rows]
        if add_up and all(n is not None for n in numbers):
            total = sum(numbers, Decimal(0))
            totals.append(f"{total:,.0f}" if total == total.to_integral_value() else f"{total:,.2f}")
        else:
            totals.append("")
    return totals


class DistrictDashboardView(LoginRequiredMixin, TemplateView):
    """Schools side by side for a district officer: one row per school, one query per widget."""

    template_name = "dashboard/district.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not permissions.has_perm(user, "dashboard.view_district_dashboard"):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        schools = list(
            School.objects.restrict(user, "view").select_related("district").order_by("district__name", "name")
        )
        allowed = [s for s in schools if permissions.has_perm(user, "dashboard.view_district_dashboard", s)]
        columns, summed, values = [], [], {s.pk: {} for s in allowed}
        for widget in widgets():
            if not widget.district_columns:
                continue
            for key, label in widget.district_columns:
                columns.append((f"{widget.code}.{key}", label))
                # a widget names the columns that must not be added up (a rate, an average…)
                summed.append(key not in getattr(widget, "district_not_summed", ()))
            for school_id, row in widget.district_values(allowed).items():
                for key, value in row.items():
                    values[school_id][f"{widget.code}.{key}"] = value
        rows = [(s, [values[s.pk].get(key, "") for key, _label in columns]) for s in allowed]
        context.update(
            {
                "columns": columns,
                "rows": rows,
                "totals": district_totals(rows, summed) if len(rows) > 1 else None,
                "title": _("District dashboard"),
            }
        )
        return context
