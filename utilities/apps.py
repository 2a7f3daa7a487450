from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtilitiesConfig(AppConfig):
    name = "utilities"
    verbose_name = _("Utilities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from logistics.accounts.roles import Role, grant, model_perms
        from logistics.dashboard import registry as dashboard
        from logistics.reminders import registry as reminders
        from logistics.reports import registry as reports
        from logistics.tenancy import demo as demo_registry
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import demo, report, widgets
        from . import reminders as providers
        from .settings_rules import ANOMALY_FACTOR

        # --- who sees and does what (docs/utilities.md § Who sees what) ---
        logistics = [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF]
        readings = ["utilities.view_meter", "utilities.view_meterreading", "utilities.view_readingcorrection"]
        figures = "utilities.view_utility_figures"
        grant(logistics, [*readings, figures, "utilities.add_meterreading", "utilities.correct_meterreading"])
        grant(logistics, model_perms("utilities.meter", ("add", "change")))
        grant(logistics, model_perms("utilities.meterreadingimport", ("view", "add", "change")))
        grant(Role.LOGISTICS_HEAD, ["utilities.delete_meter"])  # a meter without readings (they are protected)
        grant(Role.PRINCIPAL, [*readings, figures])
        grant(Role.DISTRICT_OFFICER, [figures])

        # --- menu ---
        group = _("Utilities")
        for item in (
            nav.NavItem(_("Meters"), "utilities:meter_list", "utilities.view_meter", group=group, order=70),
            nav.NavItem(
                _("Enter meter readings"),
                "utilities:reading_entry",
                "utilities.add_meterreading",
                group=group,
                order=71,
            ),
            nav.NavItem(
                _("Meter readings"), "utilities:meterreading_list", "utilities.view_meterreading", group=group, order=72
            ),
            nav.NavItem(
                _("Import readings"),
                "utilities:meterreadingimport_list",
                "utilities.add_meterreadingimport",
                group=group,
                order=73,
            ),
        ):
            nav.register(item)

        # --- rules with numbers ---
        rules.register(
            rules.Rule(
                ANOMALY_FACTOR,
                1.5,
                _("A month's use above this many times the usual raises an alert"),
                source=_(
                    "Houqin default, not a regulation: the usual is the median of the same month in past years "
                    "and of the last 6 months. A field report found a leaking reserve fire main by comparing the "
                    "monthly water bills (“根据每月水费对比…备用消防水管严重漏水”)."
                ),
                kind=float,
                minimum=1.1,
                maximum=10,
                unit=_("times the usual"),
                group=str(group),
            )
        )

        # --- anomaly alert, monthly-report section, dashboard widget, demo data ---
        reminders.register(providers.AnomalyProvider)
        reports.register(report.UtilitiesSection)
        dashboard.register(widgets.UtilitiesWidget)
        demo_registry.register(demo.seed)
        # what needs the principal now, area figures and the district comparison (logistics.dashboard)
        from . import overview

        overview.register()

        # --- imports: readings from XLSX/CSV on the platform's import engine ---
        from logistics.imports import registry as imports

        from .imports import ReadingsImporter

        imports.register(ReadingsImporter())
