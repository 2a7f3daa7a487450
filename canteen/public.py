"""Public pages of the canteen (信息公开): this and next week's menu and the food sources, for parents
on a phone without logging in. Read-only, cacheable, no personal data (no names, phones or licences'
numbers beyond what a licence board shows)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from logistics.ui.public import PublicSchoolMixin

from . import menus
from .choices import MEAL_ORDER, MENU_MEALS, Meal, MenuStatus
from .models import MenuItem, Supplier, SupplierLicence, WeeklyMenu


def _week_rows(menu, items):
    """The rows of the public page for ``menu`` (day, weekday, [(meal label, dishes HTML)]) from its
    items read as ``values_list`` rows (day, meal, position, pk, dish, ingredients): each meal's dishes
    joined into one escaped string, not a template loop per dish."""
    cells = {}
    for day, meal, _position, _pk, dish, ingredients in sorted(
        items, key=lambda r: (r[0], MEAL_ORDER.get(r[1], 9), r[2], r[3])
    ):
        cells.setdefault((day, meal), []).append(
            format_html('<span class="me-2">{}<small class="text-muted">（{}）</small></span>', dish, ingredients)
            if ingredients
            else format_html('<span class="me-2">{}</span>', dish)
        )
    rows = []
    for day in menu.days:
        meals = [(Meal(m).label, mark_safe("".join(cells[(day, m)]))) for m in MENU_MEALS if cells.get((day, m))]  # noqa: S308 — each part escaped by format_html
        if meals or day.weekday() < 5:
            rows.append((day, menus.WEEKDAYS[day.weekday()], meals))
    return rows


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class MenuView(PublicSchoolMixin, TemplateView):
    """``/p/<slug>/canteen/menu/``: the published menus of this week and the next, with what changed.
    Parents open it on a phone: the dishes are read as plain rows (one query) and each meal's dishes
    rendered in one piece."""

    template_name = "canteen/public_menu.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        monday = menus.monday_of(timezone.localdate())
        weeks = [monday, monday + datetime.timedelta(days=7)]
        published = list(
            WeeklyMenu.objects.filter(school=self.school, week_start__in=weeks, status=MenuStatus.PUBLISHED)
            .only("id", "school_id", "week_start", "canteen", "version", "changes", "status")
            .order_by("week_start", "canteen")
        )
        items = {}
        if published:
            for row in MenuItem.objects.filter(school=self.school, menu__in=[m.pk for m in published]).values_list(
                "menu_id", "day", "meal", "position", "pk", "dish", "main_ingredients"
            ):
                items.setdefault(row[0], []).append(row[1:])
        context.update(
            {"weeks": [(menu, _week_rows(menu, items.get(menu.pk, []))) for menu in published], "monday": monday}
        )
        return context


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class SourcesView(PublicSchoolMixin, TemplateView):
    """``/p/<slug>/canteen/sources/``: the school's active food suppliers, what they supply and their
    licences' validity (学校食品安全与营养健康管理规定: publish food sources and suppliers)."""

    template_name = "canteen/public_sources.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        suppliers = list(
            Supplier.objects.filter(school=self.school, active=True)
            .prefetch_related(Prefetch("licences", queryset=SupplierLicence.objects.order_by("kind")))
            .order_by("name")
        )
        for supplier in suppliers:
            supplier.valid = supplier.licence_problem(today) is None
        context["suppliers"] = suppliers
        return context


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class AccountsView(PublicSchoolMixin, TemplateView):
    """``/p/<slug>/canteen/accounts/``: the published monthly accounts (食堂按月公示收支), each month with its
    corrections (every version, what changed and why). Figures only: no names."""

    template_name = "canteen/public_accounts.html"

    def get_context_data(self, **kwargs):
        from .accounts import public_months

        context = super().get_context_data(**kwargs)
        context["months"] = public_months(self.school)
        return context
