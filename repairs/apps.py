from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = _("Repairs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from logistics.accounts.roles import MANAGEMENT_ROLES, Role, grant, model_perms
        from logistics.dashboard import registry as dashboard
        from logistics.reminders import registry as reminders
        from logistics.reports import registry as reports
        from logistics.tenancy import demo as demo_registry
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import demo, report, widgets
        from . import reminders as providers
        from .steps import PART_COST_CONFIRM_ABOVE, PART_COST_MAXIMUM

        # --- who sees and does what (docs/repairs.md § Visibility) ---
        requesters = [
            Role.TEACHER,
            Role.FINANCE_OFFICER,
            Role.CANTEEN_MANAGER,
            Role.CANTEEN_STAFF,
            Role.GUARD,
        ]
        ticket_data = ["repairs.view_ticket", "repairs.view_worklog", "repairs.view_partusage"]
        grant(MANAGEMENT_ROLES, [*ticket_data, "repairs.add_ticket", "repairs.view_stats"])
        grant(MANAGEMENT_ROLES, ["repairs.view_maintenanceplan", "repairs.view_dutyslot"])
        grant([Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF], ["repairs.assign_ticket"])
        grant(
            [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF],
            model_perms("repairs.maintenanceplan", ("add", "change", "delete")),
        )
        grant([Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF], model_perms("repairs.dutyslot", ("add", "change", "delete")))
        grant(Role.REPAIR_WORKER, [*ticket_data, "repairs.add_ticket"], scope="assigned")
        grant(Role.REPAIR_WORKER, ["repairs.work_ticket", "repairs.view_maintenanceplan", "repairs.view_dutyslot"])
        grant(requesters, [*ticket_data, "repairs.add_ticket"], scope="own")
        grant(Role.DISTRICT_OFFICER, ["repairs.view_stats"])
        # the ticket's steps (declared on Ticket): working on it, confirming the fix, withdrawing it
        grant([Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF], ["repairs.progress_ticket", "repairs.cancel_ticket"])
        grant(Role.REPAIR_WORKER, ["repairs.progress_ticket"], scope="worker")
        everyone_who_files = [*requesters, *MANAGEMENT_ROLES, Role.REPAIR_WORKER]
        grant(everyone_who_files, ["repairs.confirm_ticket", "repairs.cancel_ticket"], scope="own")

        # --- menu ---
        group = _("Repairs")
        for item in (
            nav.NavItem(_("Report a repair"), "repairs:ticket_add", "repairs.add_ticket", group=group, order=20),
            nav.NavItem(_("Repair tickets"), "repairs:ticket_list", "repairs.view_ticket", group=group, order=21),
            nav.NavItem(_("My jobs"), "repairs:my_jobs", "repairs.work_ticket", group=group, order=22),
            nav.NavItem(
                _("Maintenance plans"),
                "repairs:maintenanceplan_list",
                "repairs.view_maintenanceplan",
                group=group,
                order=23,
            ),
            nav.NavItem(_("Duty rota"), "repairs:dutyslot_list", "repairs.view_dutyslot", group=group, order=24),
            nav.NavItem(
                _("Room QR posters"),
                "repairs:qr_posters",
                "repairs.view_maintenanceplan",
                group=group,
                order=26,
                places=("rooms", "buildings"),
            ),
            nav.NavItem(_("Repair figures"), "repairs:stats", "repairs.view_stats", group=group, order=25),
        ):
            nav.register(item)

        # --- rules with numbers ---
        source = _("Houqin default, not set by a regulation (有报即修: repaired as soon as reported)")
        hours = _("hours")
        for key, default, label in (
            ("repairs.target_hours.emergency", 2, _("Target time of an emergency repair")),
            ("repairs.target_hours.high", 24, _("Target time of a high-urgency repair")),
            ("repairs.target_hours.normal", 72, _("Target time of a normal repair")),
            ("repairs.target_hours.low", 168, _("Target time of a low-urgency repair")),
        ):
            rules.register(rules.Rule(key, default, label, source=source, kind=float, unit=hours, group=str(group)))
        rules.register(
            rules.Rule(
                "repairs.auto_confirm_days",
                3,
                _("Days until a completed ticket confirms itself without the requester's answer"),
                source=_("Houqin default, not set by a regulation"),
                kind=int,
                unit=_("days"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                "repairs.auto_assign",
                True,
                _("New tickets go to the worker on duty for the trade (duty rota)"),
                source=_("Houqin default, not set by a regulation (duty rota per trade)"),
                kind=bool,
                minimum=None,
                group=str(group),
            )
        )

        guard = _("Houqin default, not set by a regulation (a guard against typing errors)")
        for key, default, label in (
            (PART_COST_CONFIRM_ABOVE, 2_000, _("A part's unit cost above this must be confirmed when it is entered")),
            (PART_COST_MAXIMUM, 100_000, _("Highest unit cost accepted for a part or material")),
        ):
            rules.register(
                rules.Rule(
                    key,
                    default,
                    label,
                    source=guard,
                    kind=int,
                    minimum=1,
                    maximum=100_000_000,
                    unit=_("yuan"),
                    group=str(group),
                )
            )

        reminders.register(providers.OverdueTicketProvider)
        reminders.register(providers.AutoConfirmProvider)
        reminders.register(providers.MaintenancePlanProvider)
        reminders.register(providers.FiguresProvider)
        reports.register(report.RepairsSection)
        dashboard.register(widgets.RepairsWidget)
        dashboard.register(widgets.MyJobsWidget)
        demo_registry.register(demo.seed)
        # what needs the principal now, area figures and the district comparison (logistics.dashboard)
        from . import overview

        overview.register()

        from logistics.people import registry as people_registry

        from .choices import Trade

        people_registry.register_trades(Trade.choices)  # the staff pages offer these for repair workers
