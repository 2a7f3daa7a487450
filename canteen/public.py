"""Public pages of the canteen (信息公开): this and next week's menu and the food sources, for parents
on a phone without logging in. Read-only, cacheable, no personal data (no names, phones or licences'
numbers beyond what a licence board shows)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from logistics.ui.public import PublicSchoolMixin

from . import menus
from .choices import MenuStatus
from .models import MenuItem, Supplier, SupplierLicence, WeeklyMenu


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class MenuView(PublicSchoolMixin, TemplateView):
    """``/p/<slug>/canteen/menu/``: the published menus of this week and the next, with what changed."""

    template_name = "canteen/public_menu.html"

    def get_context_data(self, **kwargs):
        from .views import menu_table

        context = super().get_context_data(**kwargs)
        monday = menus.monday_of(timezone.localdate())
        weeks = [monday, monday + datetime.timedelta(days=7)]
        published = list(
            WeeklyMenu.objects.filter(school=self.school, week_start__in=weeks, status=MenuStatus.PUBLISHED)
            .prefetch_related(Prefetch("items", queryset=MenuItem.objects.order_by("day", "position", "pk")))
            .order_by("week_start", "canteen")
        )
        context.update({"weeks": [(menu, menu_table(menu)) for menu in published], "monday": monday})
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
