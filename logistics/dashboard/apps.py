from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "logistics.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from logistics.accounts.roles import Role, grant
        from logistics.ui import nav

        from . import registry, widgets

        # --- who sees and does what ---
        grant(
            [
                Role.PRINCIPAL,
                Role.LOGISTICS_HEAD,
                Role.LOGISTICS_STAFF,
                Role.FINANCE_OFFICER,
                Role.DISTRICT_OFFICER,
            ],
            "dashboard.view_school_dashboard",
        )
        grant(Role.DISTRICT_OFFICER, "dashboard.view_district_dashboard")

        # --- menu ---
        nav.register(
            nav.NavItem(
                _("District dashboard"),
                "dashboard:district",
                "dashboard.view_district_dashboard",
                group=_("Overview"),
                order=1,
                where="any",
            )
        )

        # --- dashboard widgets ---
        registry.register(widgets.SchoolSummaryWidget)
