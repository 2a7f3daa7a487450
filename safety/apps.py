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
        from logistics.dashboard import registry as dashboard
        from logistics.reminders import registry as reminders
        from logistics.reports import registry as reports
        from logistics.tenancy import demo as demo_registry
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import demo, report, widgets
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

        # --- equipment inspections, dormitory checks, CCTV review; education and drills ---
        grant(MANAGEMENT_ROLES, model_perms("safety.equipment", ("view",)))
        grant(MANAGEMENT_ROLES, ["safety.view_inspection", "safety.view_checklist", "safety.view_safetyevent"])
        grant(heads, model_perms("safety.equipment", ("add", "change", "delete")))
        grant(heads, ["safety.add_inspection", "safety.add_checklist", "safety.change_checklist"])
        grant([*heads, Role.PRINCIPAL], model_perms("safety.safetyevent", ("add", "change")))
        grant(Role.GUARD, ["safety.view_equipment", "safety.view_checklist", "safety.add_inspection"])
        grant(Role.GUARD, ["safety.view_inspection"], scope="own")
        grant(STAFF_ROLES, ["safety.view_safetyevent"])

        # --- gate register (门卫登记) ---
        grant(Role.GUARD, ["safety.add_visitor", "safety.view_visitor", "safety.checkout_visitor"])
        grant(Role.GUARD, model_perms("safety.vehicleentry", ("view", "add", "change")))
        grant(Role.GUARD, model_perms("safety.gategoods", ("view", "add")))
        grant(MANAGEMENT_ROLES, ["safety.view_visitor", "safety.view_vehicleentry", "safety.view_gategoods"])
        grant(heads, ["safety.add_visitor", "safety.checkout_visitor", "safety.approve_visitor"])
        grant(heads, model_perms("safety.vehicleentry", ("add", "change")))
        grant(heads, model_perms("safety.gategoods", ("add",)))
        grant(Role.LOGISTICS_HEAD, ["safety.reveal_visitor"])  # the whole ID number, recorded
        grant(STAFF_ROLES, ["safety.view_visitor", "safety.approve_visitor"], scope="host")

        # --- leave passes (请假离校) and the duty rota ---
        grant(MANAGEMENT_ROLES, ["safety.view_leavepass", "safety.view_dutyleader"])
        grant(heads, model_perms("safety.dutyleader", ("add", "change", "delete")))
        grant(Role.PRINCIPAL, model_perms("safety.dutyleader", ("add", "change", "delete")))
        grant(STAFF_ROLES, ["safety.view_dutyleader"])
        # one scope per role and permission: the row rules combine what each role needs
        grant([Role.TEACHER, Role.PARENT], ["safety.add_leavepass"])
        grant(STAFF_ROLES, ["safety.view_leavepass"], scope="staff")  # their class, their duty days, asked
        grant(STAFF_ROLES, ["safety.approve_leavepass"], scope="approver")  # their class, their duty days
        grant([*STAFF_ROLES, Role.PARENT], ["safety.cancel_leavepass"], scope="own")
        grant(Role.GUARD, ["safety.view_leavepass", "safety.gate_leavepass"], scope="gate")
        grant(Role.PARENT, ["safety.view_leavepass"], scope="family")

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
            nav.NavItem(_("Inspections due"), "safety:inspection_due", "safety.add_inspection", group=group, order=72),
            nav.NavItem(_("Inspections"), "safety:inspection_list", "safety.view_inspection", group=group, order=73),
            nav.NavItem(_("Safety equipment"), "safety:equipment_list", "safety.view_equipment", group=group, order=74),
            nav.NavItem(
                _("Education and drills"), "safety:safetyevent_list", "safety.view_safetyevent", group=group, order=75
            ),
            nav.NavItem(_("Gate"), "safety:gate", "safety.add_visitor", group=group, order=65),
            nav.NavItem(_("Leave passes"), "safety:leavepass_list", "safety.view_leavepass", group=group, order=69),
            nav.NavItem(
                _("Leave passes at the gate"), "safety:pass_gate", "safety.gate_leavepass", group=group, order=70
            ),
            nav.NavItem(_("Duty leaders"), "safety:dutyleader_list", "safety.view_dutyleader", group=group, order=71),
            nav.NavItem(_("Visitors"), "safety:visitor_list", "safety.view_visitor", group=group, order=66),
            nav.NavItem(_("Vehicles"), "safety:vehicleentry_list", "safety.view_vehicleentry", group=group, order=67),
            nav.NavItem(
                _("Deliveries and scrap sales"), "safety:gategoods_list", "safety.view_gategoods", group=group, order=68
            ),
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

        rules.register(
            rules.Rule(
                keys.GATE_RETENTION_DAYS,
                180,
                _("Days the gate register keeps visitors' and drivers' personal data"),
                source=_("个人信息保护法 art. 19 (kept no longer than needed); Houqin default 180 days"),
                kind=int,
                minimum=1,
                unit=_("days"),
                group=str(group),
            )
        )
        for key, default, label in zip(
            keys.LESSON_HOURS,
            (800, 1150, 1400, 1720),
            (
                _("Morning lessons start"),
                _("Morning lessons end"),
                _("Afternoon lessons start"),
                _("Afternoon lessons end"),
            ),
            strict=True,
        ):
            rules.register(
                rules.Rule(
                    key,
                    default,
                    label,
                    source=_("The school's timetable (作息时间表): visitors during lessons need the host's approval"),
                    kind=int,
                    minimum=0,
                    maximum=2359,
                    clock=True,
                    group=str(group),
                )
            )

        rules.register(
            rules.Rule(
                keys.EQUIPMENT_INSPECTION_DAYS,
                30,
                _("Fire and safety equipment is inspected every"),
                source=_(
                    "GB 50444-2008 建筑灭火器配置验收及检查规范 § 5.2 (extinguishers checked at least monthly); "
                    "公安部令第61号《机关、团体、企业、事业单位消防安全管理规定》 art. 26: 事业单位 at least "
                    "quarterly fire inspections (防火检查), other units monthly — Houqin keeps the monthly check"
                ),
                kind=int,
                minimum=1,
                maximum=92,
                unit=_("days"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                keys.DORMITORY_CHECK_DAYS,
                1,
                _("Each dormitory is checked every"),
                source=_("Houqin default, not set by a regulation (dormitories checked at fixed times, 查寝)"),
                kind=int,
                minimum=1,
                unit=_("days"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                keys.CCTV_REVIEW_DAYS,
                1,
                _("Each CCTV monitoring point is reviewed every"),
                source=_("Houqin default, not set by a regulation (one school reviews 5 monitoring points daily)"),
                kind=int,
                minimum=1,
                unit=_("days"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                keys.EXPIRY_WARNING_DAYS,
                30,
                _("Warn this many days before equipment's refill / service date"),
                source=_("Houqin default, not set by a regulation"),
                kind=int,
                minimum=0,
                unit=_("days"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                keys.DRILLS_PER_TERM,
                1,
                _("Emergency evacuation drills a term, at least"),
                source=_(
                    "Houqin default, not set by a regulation (公安部令第61号 art. 40: key fire-safety units drill at "
                    "least every six months, other units at least yearly; set your province's rule here)"
                ),
                kind=int,
                minimum=0,
                unit=_("drills"),
                group=str(group),
            )
        )

        # --- where hazards come from ---
        corrective.register(corrective.Origin("safety.hazard", _("Safety hazard report")))
        corrective.register(corrective.Origin("safety.patrol", _("Patrol")))
        corrective.register(corrective.Origin("safety.inspection", _("Safety inspection")))
        corrective.register(corrective.Origin("safety.drill", _("Safety drill or education event")))

        reminders.register(providers.PatrolRoundsProvider)
        reminders.register(providers.GatePurgeProvider)
        reminders.register(providers.LeavePassProvider)
        reminders.register(providers.EquipmentDueProvider)
        reports.register(report.SafetySection)
        dashboard.register(widgets.SafetyWidget)
        dashboard.register(widgets.InspectionWidget)
        demo_registry.register(demo.seed)
        # what needs the principal now, area figures and the district comparison (logistics.dashboard)
        from . import overview

        overview.register()
        demo_registry.register(overview.demo)
