from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Everything the app declares to the platform (docs/PLATFORM_GUIDE.md § Declaring an app)."""
        from logistics.accounts.roles import MANAGEMENT_ROLES, STAFF_ROLES, Role, grant, model_perms
        from logistics.corrective import registry as corrective
        from logistics.reminders import registry as reminders
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import reminders as providers
        from . import settings_rules as keys

        heads = [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF]
        # --- hazards (the platform's corrective actions of the safety origins) ---
        grant(MANAGEMENT_ROLES, ["safety.view_hazard", "safety.view_hazardticket"])
        grant(heads, ["safety.add_hazard", "safety.assign_hazard", "safety.rectify_hazard", "safety.verify_hazard"])
        grant(heads, ["safety.add_hazardticket"])
        grant(Role.PRINCIPAL, ["safety.verify_hazard"])
        grant(STAFF_ROLES, ["safety.add_hazard"])  # anyone on staff reports a hazard
        grant(STAFF_ROLES, ["safety.view_hazard"], scope="involved")
        grant(STAFF_ROLES, ["safety.rectify_hazard"], scope="owner")
        grant(Role.DISTRICT_OFFICER, ["safety.view_hazard"], scope="major")

        # --- patrols ---
        setup = ["safety.checkpoint", "safety.route", "safety.routestop", "safety.patrolschedule"]
        for model in setup:
            grant([*MANAGEMENT_ROLES, Role.GUARD], model_perms(model, ("view",)))
            grant(heads, model_perms(model, ("add", "change", "delete")))
        grant(MANAGEMENT_ROLES, ["safety.view_patrolround", "safety.view_patrolscan"])
        grant(heads, ["safety.explain_patrolround", "safety.patrol_patrolround"])
        grant(Role.GUARD, ["safety.view_patrolround", "safety.patrol_patrolround"], scope="guard")
        grant(Role.GUARD, ["safety.explain_patrolround"], scope="guard")
        grant(Role.GUARD, ["safety.view_patrolscan", "safety.add_patrolscan"], scope="own")

        # --- menu ---
        group = _("Safety")
        for item in (
            nav.NavItem(_("Hazards"), "safety:hazard_list", "safety.view_hazard", group=group, order=60),
            nav.NavItem(_("My patrol"), "safety:my_rounds", "safety.patrol_patrolround", group=group, order=61),
            nav.NavItem(
                _("Patrol rounds"), "safety:patrolround_list", "safety.view_patrolround", group=group, order=62
            ),
            nav.NavItem(_("Patrol routes"), "safety:route_list", "safety.view_route", group=group, order=63),
            nav.NavItem(_("Checkpoints"), "safety:checkpoint_list", "safety.view_checkpoint", group=group, order=64),
        ):
            nav.register(item)

        # --- rules with numbers ---
        rules.register(
            rules.Rule(
                keys.KEY_AREA_DAILY_PATROLS,
                5,
                _("Patrols of each key area (重点部位) a day"),
                source=_("GB/T 29315-2022 中小学、幼儿园安全技术防范系统要求 (key areas patrolled ≥ 5 times a day)"),
                kind=int,
                minimum=1,
                unit=_("times a day"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                keys.DEVICE_CLOCK_TOLERANCE_MINUTES,
                5,
                _("A phone's clock ahead of the server by more than this is not trusted"),
                source=_("Houqin default (phones' clocks drift; a scan's time is then the time it was received)"),
                kind=int,
                minimum=0,
                unit=_("minutes"),
                group=str(group),
            )
        )

        # --- where hazards come from ---
        corrective.register(corrective.Origin("safety.hazard", _("Safety hazard report")))
        corrective.register(corrective.Origin("safety.patrol", _("Patrol")))
        corrective.register(corrective.Origin("safety.inspection", _("Safety inspection")))

        reminders.register(providers.PatrolRoundsProvider)
