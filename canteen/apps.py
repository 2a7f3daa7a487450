from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanteenConfig(AppConfig):
    name = "canteen"
    verbose_name = _("Canteen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from logistics.accounts.roles import MANAGEMENT_ROLES, Role, grant, model_perms
        from logistics.corrective import registry as corrective
        from logistics.dashboard import registry as dashboard
        from logistics.reminders import registry as reminders
        from logistics.reports import registry as reports
        from logistics.tenancy import demo as demo_registry
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import demo, report, widgets
        from . import demo_accompanied as demo_b
        from . import reminders as providers
        from . import reminders_accompanied as providers_b
        from . import report_disclosure as report_b
        from . import settings_rules as keys
        from . import widgets_accompanied as widgets_b

        # --- who sees and does what (docs/canteen.md § Visibility) ---
        meal_data = [
            *model_perms("canteen.mealservice", ("view",)),
            *model_perms("canteen.dish", ("view",)),
            "canteen.view_foodsample",
        ]
        # logistics head, principal (and the rest of the school's management): everything, read
        grant(MANAGEMENT_ROLES, meal_data)
        # canteen manager: everything of the canteen
        grant(
            Role.CANTEEN_MANAGER,
            [
                *model_perms("canteen.mealservice"),
                *model_perms("canteen.dish"),
                "canteen.view_foodsample",
                "canteen.add_foodsample",
                "canteen.discard_foodsample",
            ],
        )
        # canteen staff: the day's meals, logging samples; the samples of today and their own
        grant(Role.CANTEEN_STAFF, [*model_perms("canteen.mealservice", ("view",)), "canteen.view_dish"])
        grant(Role.CANTEEN_STAFF, ["canteen.view_foodsample", "canteen.add_foodsample"], scope="today_or_own")
        # suppliers, licences and deliveries (进货查验): the manager keeps them, staff inspect with them
        supply = ["canteen.supplier", "canteen.supplierlicence", "canteen.productcategory"]
        supply_view = [perm for model in supply for perm in model_perms(model, ("view",))]
        grant(
            [*MANAGEMENT_ROLES, Role.CANTEEN_STAFF],
            [*supply_view, "canteen.view_delivery", "canteen.view_deliveryline"],
        )
        grant(
            Role.CANTEEN_MANAGER, [perm for model in supply for perm in model_perms(model, ("view", "add", "change"))]
        )
        grant([Role.CANTEEN_MANAGER, Role.CANTEEN_STAFF], ["canteen.add_delivery", "canteen.inspect_delivery"])
        grant(Role.CANTEEN_MANAGER, ["canteen.view_delivery", "canteen.view_deliveryline"])
        # staff health (personal data, PIPL): the manager keeps it, the logistics head and the principal
        # read it, each worker sees their own; nobody else
        health_view = ["canteen.view_healthcertificate", "canteen.view_morningcheck"]
        grant([Role.LOGISTICS_HEAD, Role.PRINCIPAL], health_view)
        grant(
            Role.CANTEEN_MANAGER,
            [*health_view, *model_perms("canteen.healthcertificate", ("add", "change")), "canteen.add_morningcheck"],
        )
        grant(Role.CANTEEN_STAFF, health_view, scope="own")

        # weekly menus: the manager drafts and publishes; everyone in the school reads them (parents on the
        # public page)
        grant(
            Role.CANTEEN_MANAGER,
            [*model_perms("canteen.weeklymenu", ("view", "add", "change")), "canteen.publish_weeklymenu"],
        )
        grant(Role.CANTEEN_MANAGER, model_perms("canteen.menuitem", ("view",)))
        grant([*MANAGEMENT_ROLES, Role.CANTEEN_STAFF], ["canteen.view_weeklymenu", "canteen.view_menuitem"])

        # hygiene: the kitchen records disinfections; they are never edited afterwards
        grant([Role.CANTEEN_MANAGER, Role.CANTEEN_STAFF], model_perms("canteen.disinfection", ("view", "add")))
        grant(MANAGEMENT_ROLES, ["canteen.view_disinfection"])

        # cold chain: the kitchen logs readings; the manager keeps the stores; management reads
        grant(Role.CANTEEN_MANAGER, model_perms("canteen.coldstore", ("view", "add", "change")))
        grant(
            [Role.CANTEEN_MANAGER, Role.CANTEEN_STAFF],
            [
                *model_perms("canteen.coldreading", ("view", "add")),
                "canteen.view_coldepisode",
                "canteen.view_coldstore",
            ],
        )
        grant(MANAGEMENT_ROLES, ["canteen.view_coldreading", "canteen.view_coldepisode", "canteen.view_coldstore"])
        # the corrective actions of the canteen's origins: the manager follows and verifies them
        grant(
            Role.CANTEEN_MANAGER,
            ["corrective.view_correctiveaction", "corrective.verify_correctiveaction"],
            scope="origins:canteen",
        )

        # the canteen's figures (dashboard widget; district: figures only)
        grant([*MANAGEMENT_ROLES, Role.CANTEEN_MANAGER, Role.DISTRICT_OFFICER], ["canteen.view_canteen_figures"])

        # --- menu ---
        group = _("Canteen")
        for item in (
            nav.NavItem(_("Today's samples"), "canteen:today", "canteen.add_foodsample", group=group, order=40),
            nav.NavItem(_("Weekly menus"), "canteen:weeklymenu_list", "canteen.view_weeklymenu", group=group, order=39),
            nav.NavItem(_("Meals"), "canteen:mealservice_list", "canteen.view_mealservice", group=group, order=41),
            nav.NavItem(_("Food samples"), "canteen:foodsample_list", "canteen.view_foodsample", group=group, order=42),
            nav.NavItem(
                _("Due for discard"), "canteen:discard_due", "canteen.discard_foodsample", group=group, order=43
            ),
            nav.NavItem(_("Morning check"), "canteen:team_check", "canteen.add_morningcheck", group=group, order=44),
            nav.NavItem(
                _("Disinfection log"), "canteen:disinfection_list", "canteen.view_disinfection", group=group, order=44
            ),
            nav.NavItem(_("Cold chain"), "canteen:coldreading_list", "canteen.view_coldreading", group=group, order=44),
            nav.NavItem(_("Cold stores"), "canteen:coldstore_list", "canteen.change_coldstore", group=group, order=44),
            nav.NavItem(_("Deliveries"), "canteen:delivery_list", "canteen.view_delivery", group=group, order=45),
            nav.NavItem(_("Suppliers"), "canteen:supplier_list", "canteen.view_supplier", group=group, order=46),
            nav.NavItem(
                _("Product categories"),
                "canteen:productcategory_list",
                "canteen.change_productcategory",
                group=group,
                order=47,
            ),
            nav.NavItem(
                _("Health certificates"),
                "canteen:healthcertificate_list",
                "canteen.view_healthcertificate",
                group=group,
                order=48,
            ),
            nav.NavItem(
                _("Morning checks"), "canteen:morningcheck_list", "canteen.view_morningcheck", group=group, order=49
            ),
        ):
            nav.register(item)

        # --- rules with numbers ---
        regulation = _("GB 31654-2021 餐饮服务通用卫生规范; 学校食品安全与营养健康管理规定 (2019)")
        for rule in (
            rules.Rule(
                keys.SAMPLE_MIN_GRAMS,
                125,
                _("Minimum weight of each dish's food sample"),
                source=_(
                    "GB 31654-2021 餐饮服务通用卫生规范; 学校食品安全与营养健康管理规定 (2019): ≥ 125 g per dish "
                    "(some provinces require 200 g)"
                ),
                kind=int,
                minimum=125,
                maximum=1000,
                unit=_("g"),
                group=str(group),
            ),
            rules.Rule(
                keys.SAMPLE_HOURS,
                48,
                _("Hours a food sample is kept before it may be discarded"),
                source=regulation,
                kind=int,
                minimum=48,
                maximum=720,
                unit=_("hours"),
                group=str(group),
            ),
            rules.Rule(
                keys.MISSING_SAMPLE_AFTER_HOURS,
                1,
                _("Hours after a meal's end at which a missing food sample is reminded"),
                source=_(
                    "Canteen issue (“reminder to the canteen manager one hour after the meal's end”); Houqin default"
                ),
                kind=float,
                minimum=0,
                maximum=24,
                unit=_("hours"),
                group=str(group),
            ),
            rules.Rule(
                keys.MISSING_SAMPLE_ESCALATE_HOURS,
                2,
                _("Hours after a meal's end at which a still missing food sample goes to the logistics head"),
                source=_("Houqin default"),
                kind=float,
                minimum=0,
                maximum=48,
                unit=_("hours"),
                group=str(group),
            ),
            rules.Rule(
                keys.LATE_ENTRY_HOURS,
                12,
                _("Hours after the event at which a canteen record counts as a late entry"),
                source=_("Houqin default (tamper evidence: inspectors compare the entry time with the event)"),
                kind=float,
                minimum=1,
                maximum=720,
                unit=_("hours"),
                group=str(group),
            ),
            rules.Rule(
                keys.DISCARD_LIST_HOUR,
                7,
                _("Hour of the morning at which the samples due for discard are listed"),
                source=_("Houqin default"),
                kind=int,
                minimum=0,
                maximum=23,
                unit=_("o'clock"),
                group=str(group),
            ),
            rules.Rule(
                keys.LICENCE_WARNING_DAYS,
                30,
                _("Days before a supplier licence expires at which it is reminded"),
                source=_("Canteen issue (“licences expiring within 30 days are reminded”); Houqin default"),
                kind=int,
                minimum=1,
                maximum=365,
                unit=_("days"),
                group=str(group),
            ),
            rules.Rule(
                keys.BULK_INSPECTORS,
                2,
                _("Different inspectors a bulk staple needs before it is accepted"),
                source=_("教育部 school canteen guidance (2024); provincial 配餐指南: 大宗食材双人或多人联检"),
                kind=int,
                minimum=2,
                maximum=10,
                unit=_("people"),
                group=str(group),
            ),
            rules.Rule(
                keys.RETENTION_MONTHS_AFTER_EXPIRY,
                6,
                _("Months a delivery record is kept after its products' shelf life ends"),
                source=_("食品安全法 art. 50, 53 (≥ 6 months past the shelf life)"),
                kind=int,
                minimum=6,
                maximum=120,
                unit=_("months"),
                group=str(group),
            ),
            rules.Rule(
                keys.RETENTION_YEARS_WITHOUT_EXPIRY,
                2,
                _("Years a delivery record is kept where the products have no shelf life"),
                source=_("食品安全法 art. 50, 53 (≥ 2 years without a shelf life)"),
                kind=int,
                minimum=2,
                maximum=30,
                unit=_("years"),
                group=str(group),
            ),
            rules.Rule(
                keys.FEVER_CELSIUS,
                37.3,
                _("Morning-check temperature at or above which a worker is off duty"),
                source=_("食品安全法 art. 45; 学校食品安全与营养健康管理规定 (2019): 晨检 (fever ≥ 37.3 °C)"),
                kind=float,
                minimum=37.0,
                maximum=38.5,
                unit=_("°C"),
                group=str(group),
            ),
            rules.Rule(
                keys.CERTIFICATE_WARNING_DAYS,
                30,
                _("Days before a health certificate expires at which it is reminded"),
                source=_("食品安全法 art. 45 (health certificate renewed yearly); Houqin default"),
                kind=int,
                minimum=1,
                maximum=365,
                unit=_("days"),
                group=str(group),
            ),
            rules.Rule(
                keys.MENU_LEAD_DAYS,
                7,
                _("Days before the week starts by which its menu is published"),
                source=_("教育部 school canteen guidance (2024); provincial 配餐指南: 菜谱提前一周公布"),
                kind=int,
                minimum=0,
                maximum=30,
                unit=_("days"),
                group=str(group),
            ),
        ):
            rules.register(rule)
        disinfection_source = _("GB 31654-2021 餐饮服务通用卫生规范 (餐用具清洗消毒); GB 14934-2016")
        celsius, minutes, mg = _("°C"), _("minutes"), _("mg/L")
        for key, default, label, unit, maximum in (
            ("canteen.disinfect.steam_celsius", 100, _("Minimum temperature of steam disinfection"), celsius, 300),
            ("canteen.disinfect.steam_minutes", 10, _("Minimum time of steam disinfection"), minutes, 120),
            ("canteen.disinfect.boiling_celsius", 100, _("Minimum temperature of boiling disinfection"), celsius, 300),
            ("canteen.disinfect.boiling_minutes", 10, _("Minimum time of boiling disinfection"), minutes, 120),
            (
                "canteen.disinfect.infrared_celsius",
                120,
                _("Minimum temperature of infrared-cabinet disinfection"),
                celsius,
                300,
            ),
            (
                "canteen.disinfect.infrared_minutes",
                15,
                _("Minimum time of infrared-cabinet disinfection"),
                minutes,
                120,
            ),
            ("canteen.disinfect.dishwasher_celsius", 85, _("Minimum rinse temperature of a dishwasher"), celsius, 300),
            ("canteen.disinfect.dishwasher_minutes", 0.7, _("Minimum rinse time of a dishwasher (40 s)"), minutes, 120),
            ("canteen.disinfect.chemical_minutes", 5, _("Minimum soaking time of chlorine disinfection"), minutes, 120),
            (
                "canteen.disinfect.chemical_mg_per_litre",
                250,
                _("Minimum available chlorine of chlorine disinfection"),
                mg,
                5000,
            ),
        ):
            rules.register(
                rules.Rule(
                    key,
                    default,
                    label,
                    source=disinfection_source,
                    kind=float,
                    minimum=0,
                    maximum=maximum,
                    unit=unit,
                    group=str(group),
                )
            )

        rules.register(
            rules.Rule(
                keys.COLD_MIN_CELSIUS,
                0,
                _("Lowest temperature of the sample fridge and cold stores"),
                source=_("GB 31654-2021 餐饮服务通用卫生规范 (冷藏 0–8 °C)"),
                kind=float,
                minimum=-30,
                maximum=10,
                unit=_("°C"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                keys.COLD_MAX_CELSIUS,
                8,
                _("Highest temperature of the sample fridge and cold stores"),
                source=_("GB 31654-2021 餐饮服务通用卫生规范 (冷藏 0–8 °C)"),
                kind=float,
                minimum=-20,
                maximum=15,
                unit=_("°C"),
                group=str(group),
            )
        )
        corrective.register(corrective.Origin("canteen.cold_chain", _("Cold-chain episode")))

        # --- 陪餐, monthly accounts, corrections (issue 9 part B) ---
        # 陪餐: leaders record theirs, parents their own feedback (家长陪餐); the canteen manager, the
        # logistics head and the principal read every record; the manager answers parents
        accompany = "canteen.accompaniedmeal"
        grant([Role.CANTEEN_MANAGER, Role.LOGISTICS_HEAD, Role.PRINCIPAL], ["canteen.view_accompaniedmeal"])
        grant(MANAGEMENT_ROLES, model_perms(accompany, ("view", "add")), scope="own")
        grant(Role.PARENT, model_perms(accompany, ("view", "add")), scope="own")
        grant(Role.CANTEEN_MANAGER, ["canteen.answer_accompaniedmeal"])
        # monthly accounts: the manager drafts, publishes and corrects; management reads every version
        grant(
            Role.CANTEEN_MANAGER,
            [*model_perms("canteen.monthlyaccount", ("view", "add", "change")), "canteen.publish_monthlyaccount"],
        )
        grant([*MANAGEMENT_ROLES, Role.FINANCE_OFFICER], ["canteen.view_monthlyaccount"])
        # corrections of typos, with a reason: the canteen manager; everyone who sees the record sees them
        grant(
            Role.CANTEEN_MANAGER,
            [
                "canteen.correct_foodsample",
                "canteen.correct_disinfection",
                "canteen.correct_coldreading",
                "canteen.correct_morningcheck",
                "canteen.correct_deliveryline",
            ],
        )
        grant([*MANAGEMENT_ROLES, Role.CANTEEN_MANAGER], ["canteen.view_correction"])
        for item in (
            nav.NavItem(
                _("Accompanied meals"), "canteen:accompaniedmeal_list", "canteen.view_accompaniedmeal", group=group,
                order=50,
            ),
            nav.NavItem(
                _("Monthly accounts"), "canteen:monthlyaccount_list", "canteen.view_monthlyaccount", group=group,
                order=51,
            ),
        ):  # fmt: skip
            nav.register(item)
        accompany_source = _(
            "学校食品安全与营养健康管理规定 (2019): 集中用餐陪餐制度 — every meal a school leader eats with the "
            "students and records it"
        )
        for meal, key in keys.ACCOMPANY_RULES.items():
            rules.register(
                rules.Rule(
                    key,
                    True,
                    {
                        "breakfast": _("Breakfast needs an accompanied-meal (陪餐) record"),
                        "lunch": _("Lunch needs an accompanied-meal (陪餐) record"),
                        "dinner": _("Dinner needs an accompanied-meal (陪餐) record"),
                        "snack": _("A snack needs an accompanied-meal (陪餐) record"),
                    }[meal],
                    source=accompany_source,
                    kind=bool,
                    group=str(group),
                )
            )
        rules.register(
            rules.Rule(
                keys.ACCOMPANY_FLAG_HOUR,
                7,
                _("Hour of the next morning at which a meal without a 陪餐 record is flagged"),
                source=_("Houqin default, not set by a regulation (后勤系统默认值，非法规规定)"),
                kind=int,
                minimum=0,
                maximum=23,
                unit=_("o'clock"),
                group=str(group),
            )
        )
        reminders.register(providers_b.MissingAccompanimentProvider)
        reports.register(report_b.CanteenDisclosureSection)
        dashboard.register(widgets_b.AccompanimentWidget)

        # --- reminders, demo data ---
        reminders.register(providers.MissingSampleProvider)
        reminders.register(providers.DiscardDueProvider)
        reminders.register(providers.LicenceExpiryProvider)
        reminders.register(providers.CertificateExpiryProvider)
        reminders.register(providers.MorningCheckMissingProvider)
        reports.register(report.CanteenSection)
        dashboard.register(widgets.CanteenWidget)
        demo_registry.register(demo.seed_all)
        # what needs the principal now, area figures and the district comparison (logistics.dashboard)
        from . import overview

        overview.register()

        # --- hygiene self-inspections, schedules, cold-chain readings due, on-duty roster (canteen part A) ---
        from . import inspection_demo, inspection_reminders, inspection_report, inspection_widgets

        checklists = ["canteen.checklisttemplate", "canteen.checklistitem"]
        grant(Role.CANTEEN_MANAGER, [p for m in checklists for p in model_perms(m, ("view", "add", "change"))])
        grant([*MANAGEMENT_ROLES, Role.CANTEEN_STAFF], [p for m in checklists for p in model_perms(m, ("view",))])
        inspection_view = ["canteen.view_hygieneinspection", "canteen.view_inspectionresult"]
        grant(
            Role.CANTEEN_MANAGER,
            [*inspection_view, "canteen.add_hygieneinspection", "canteen.rectify_hygieneinspection"],
        )
        # canteen staff do the daily close-down and cleaning checks: today's inspections and their own
        grant(Role.CANTEEN_STAFF, [*inspection_view, "canteen.add_hygieneinspection"], scope="today_or_own")
        grant(MANAGEMENT_ROLES, inspection_view)
        grant(Role.LOGISTICS_HEAD, ["canteen.rectify_hygieneinspection"])
        grant(Role.CANTEEN_MANAGER, model_perms("canteen.dutyassignment", ("view", "add")))
        # a roster entry made by mistake: withdrawn (today's or a future day's) by the manager, kept on record
        grant(Role.CANTEEN_MANAGER, ["canteen.withdraw_dutyassignment"])
        grant(Role.CANTEEN_STAFF, ["canteen.view_dutyassignment"], scope="today_or_own")
        grant(MANAGEMENT_ROLES, ["canteen.view_dutyassignment"])
        for item in (
            nav.NavItem(
                _("Hygiene inspections"),
                "canteen:hygieneinspection_list",
                "canteen.view_hygieneinspection",
                group=group,
                order=44,
            ),
            nav.NavItem(
                _("Inspection schedule"),
                "canteen:inspection_schedule",
                "canteen.view_checklisttemplate",
                group=group,
                order=44,
            ),
            nav.NavItem(
                _("Checklists"),
                "canteen:checklisttemplate_list",
                "canteen.change_checklisttemplate",
                group=group,
                order=44,
            ),
            nav.NavItem(_("Duty roster"), "canteen:roster", "canteen.view_dutyassignment", group=group, order=44),
        ):
            nav.register(item)
        houqin_default = _("Houqin default, not set by a regulation (后勤系统默认值，非法规规定)")
        for rule in (
            rules.Rule(
                keys.INSPECTION_GRADE_A,
                90,
                _("Hygiene self-inspection score (%) from which the grade is A"),
                source=_(
                    "Houqin default in the spirit of the A/B/C quantified grading (量化分级); not set by a "
                    "regulation (后勤系统默认值，非法规规定)"
                ),
                kind=float,
                minimum=50,
                maximum=100,
                unit="%",
                group=str(group),
            ),
            rules.Rule(
                keys.INSPECTION_GRADE_B,
                75,
                _("Hygiene self-inspection score (%) from which the grade is B"),
                source=_(
                    "Houqin default in the spirit of the A/B/C quantified grading (量化分级); not set by a "
                    "regulation (后勤系统默认值，非法规规定)"
                ),
                kind=float,
                minimum=0,
                maximum=100,
                unit="%",
                group=str(group),
            ),
            rules.Rule(
                keys.INSPECTION_WEEKDAY,
                5,
                _("Weekday a weekly checklist is due (1 = Monday)"),
                source=houqin_default,
                kind=int,
                minimum=1,
                maximum=7,
                group=str(group),
            ),
            rules.Rule(
                keys.INSPECTION_MONTH_DAY,
                25,
                _("Day of the month a monthly checklist (四防) is due"),
                source=houqin_default,
                kind=int,
                minimum=1,
                maximum=28,
                group=str(group),
            ),
            rules.Rule(
                keys.INSPECTION_REMIND_HOUR,
                15,
                _("Hour of the due day from which a checklist not yet done is reminded"),
                source=houqin_default,
                kind=int,
                minimum=0,
                maximum=23,
                unit=_("o'clock"),
                group=str(group),
            ),
            rules.Rule(
                keys.INSPECTION_FIX_DAYS,
                3,
                _("Days a failed inspection item is given to be put right (suggested deadline)"),
                source=houqin_default,
                kind=int,
                minimum=1,
                maximum=90,
                unit=_("days"),
                group=str(group),
            ),
            rules.Rule(
                keys.COLD_MORNING_BY_HOUR,
                10,
                _("Hour by which the morning cold-chain reading is due"),
                source=_("GB 31654-2021 餐饮服务通用卫生规范 (冷藏设备定时记录温度); the hour is a Houqin default"),
                kind=int,
                minimum=0,
                maximum=23,
                unit=_("o'clock"),
                group=str(group),
            ),
            rules.Rule(
                keys.COLD_AFTERNOON_BY_HOUR,
                16,
                _("Hour by which the afternoon cold-chain reading is due"),
                source=_("GB 31654-2021 餐饮服务通用卫生规范 (冷藏设备定时记录温度); the hour is a Houqin default"),
                kind=int,
                minimum=1,
                maximum=23,
                unit=_("o'clock"),
                group=str(group),
            ),
        ):
            rules.register(rule)
        corrective.register(corrective.Origin("canteen.inspection", _("Hygiene self-inspection")))
        reminders.register(inspection_reminders.InspectionDueProvider)
        reminders.register(inspection_reminders.ColdReadingDueProvider)
        reports.register(inspection_report.HygieneSection)
        dashboard.register(inspection_widgets.HygieneWidget)
        demo_registry.register(inspection_demo.seed)
        demo_registry.register(demo_b.seed_all)  # 陪餐, accounts, late entries: after the meals exist
