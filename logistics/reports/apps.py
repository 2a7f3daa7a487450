from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "logistics.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from logistics.accounts.roles import Role, grant
        from logistics.tenancy import demo as demo_registry
        from logistics.ui import nav

        from . import demo, registry, sections

        # --- who sees and does what ---
        readers = [
            Role.PRINCIPAL,
            Role.LOGISTICS_HEAD,
            Role.LOGISTICS_STAFF,
            Role.FINANCE_OFFICER,
            Role.DISTRICT_OFFICER,
        ]
        grant(readers, "reports.view_report")
        grant(
            [Role.PRINCIPAL, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF],
            "reports.add_report",
        )
        # the head completes next month's plan and makes the report final; the principal marks it read
        grant([Role.LOGISTICS_HEAD], "reports.finalize_report")
        grant([Role.PRINCIPAL], "reports.acknowledge_report")

        # --- menu ---
        nav.register(
            nav.NavItem(
                _("Monthly reports"),
                "reports:report_list",
                "reports.view_report",
                group=_("Overview"),
                order=5,
            )
        )

        # --- monthly-report sections ---
        registry.register(sections.SchoolSummarySection)
        registry.register(sections.ChangeLogSection)

        # --- demo data: made after every app's records (order 100) ---
        demo_registry.register(demo.seed, order=100)
