from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: every model of the app: management sees all of them (model_perms below)
MODELS = [
    "assets.asset",
    "assets.category",
    "assets.assetmovement",
    "assets.assetloan",
    "assets.disposalrequest",
    "assets.classroomcheck",
    "assets.consumable",
    "assets.consumablestock",
    "assets.stockmovement",
    "assets.issuerequest",
    "assets.stocktake",
    "assets.stocktakeline",
    "assets.damagerecord",
    "assets.assetimport",
]


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Assets")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Everything the app declares to the platform (docs/PLATFORM_GUIDE.md § Declaring an app)."""
        from logistics.accounts.roles import STAFF_ROLES, Role, grant, model_perms
        from logistics.dashboard import registry as dashboard
        from logistics.imports import registry as imports
        from logistics.reminders import registry as reminders
        from logistics.reports import registry as reports
        from logistics.tenancy import demo as demo_registry
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import demo, report, settings_rules, widgets
        from . import reminders as providers

        # --- who sees and does what ---
        # logistics head, staff and principal: everything of their school; the head approves stock-takes
        # and (first) disposals, the principal approves disposals (条例 art. 19); teachers: their own
        # custody and their classroom's list ("custody"), issue requests ("own"); finance officers: values
        # and depreciation, damage payments; parents: damage records of their own child ("children").
        management = [Role.PRINCIPAL, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF]
        logistics = [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF]
        for model in MODELS:
            grant(management, model_perms(model, ("view",)))
        grant([*management, Role.FINANCE_OFFICER], "assets.view_value_asset")
        grant(
            logistics,
            [
                *model_perms("assets.asset", ("add", "change")),
                "assets.transfer_asset",
                "assets.lend_asset",
                "assets.report_lost_asset",
                "assets.request_disposal_asset",
                "assets.repair_asset",
                "assets.write_off_asset",
                *model_perms("assets.category", ("add", "change", "delete")),
                *model_perms("assets.consumable", ("add", "change")),
                "assets.receive_consumable",
                "assets.approve_issuerequest",
                *model_perms("assets.stocktake", ("add", "change")),
                "assets.scan_stocktake",
                *model_perms("assets.damagerecord", ("add", "change", "delete")),
                "assets.record_payment_damagerecord",
                *model_perms("assets.assetimport", ("add", "change")),
                "assets.write_off_disposalrequest",
                "assets.add_classroomcheck",
            ],
        )
        grant(Role.LOGISTICS_HEAD, ["assets.approve_head_disposalrequest", "assets.approve_stocktake"])
        grant(Role.PRINCIPAL, ["assets.approve_principal_disposalrequest"])
        # either approver may refuse a disposal (条例 art. 19)
        grant([Role.LOGISTICS_HEAD, Role.PRINCIPAL], ["assets.reject_disposalrequest"])
        # finance sees values and depreciation, and takes damage payments
        grant(
            Role.FINANCE_OFFICER,
            [
                *(perm for model in MODELS if model != "assets.assetimport" for perm in model_perms(model, ("view",))),
                "assets.record_payment_damagerecord",
            ],
        )
        # teachers: their custody and their classroom; repair workers see assets they repair
        grant(
            Role.TEACHER,
            [
                "assets.view_asset",
                "assets.view_assetmovement",
                "assets.view_assetloan",
                "assets.view_classroomcheck",
                "assets.add_classroomcheck",
                "assets.view_damagerecord",
            ],
            scope="custody",
        )
        grant(Role.REPAIR_WORKER, ["assets.view_asset", "assets.view_category"])
        # every member of staff may ask for consumables (领用申请) and see their own requests
        grant(list(STAFF_ROLES), "assets.view_consumable", scope="catalogue")
        grant(list(STAFF_ROLES), ["assets.view_issuerequest", "assets.add_issuerequest"], scope="own")
        grant(Role.PARENT, "assets.view_damagerecord", scope="children")

        # --- menu ---
        group = _("Assets")
        for label, url_name, perm, order in (
            (_("Asset ledger"), "assets:asset_list", "assets.view_asset", 30),
            (_("Classroom inventory"), "assets:classroom_list", "assets.view_classroomcheck", 31),
            (_("Stock-takes"), "assets:stocktake_list", "assets.view_stocktake", 32),
            (_("Consumables"), "assets:consumable_list", "assets.view_consumable", 33),
            (_("Issue requests"), "assets:issuerequest_list", "assets.view_issuerequest", 34),
            (_("Loans"), "assets:assetloan_list", "assets.view_assetloan", 35),
            (_("Disposals"), "assets:disposalrequest_list", "assets.view_disposalrequest", 36),
            (_("Damage compensation"), "assets:damagerecord_list", "assets.view_damagerecord", 37),
            (_("Ledger by category"), "assets:ledger", "assets.view_value_asset", 38),
            (_("Asset categories"), "assets:category_list", "assets.view_category", 39),
            (_("Ledger import"), "assets:assetimport_list", "assets.add_assetimport", 39),
        ):
            nav.register(nav.NavItem(label, url_name, perm, group=group, order=order))

        # --- rules with numbers (keys in settings_rules.py, read with rules.value(school, key)) ---
        for rule in (
            rules.Rule(
                settings_rules.THRESHOLD,
                1000,
                _("Capitalisation threshold: the unit price from which an item is a fixed asset"),
                source=_("事业单位财务规则 (2022) art. 41: ≥ 1,000 yuan and more than a year of use"),
                kind=int,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.STOCKTAKE_INTERVAL,
                365,
                _("Longest time between two stock-takes"),
                source=_("行政事业性国有资产管理条例 (2021) art. 37: stock-take at least once a year"),
                kind=int,
                minimum=1,
                unit=_("days"),
                group=group,
            ),
            rules.Rule(
                settings_rules.LOAN_DAYS,
                14,
                _("Default loan period of an asset"),
                source=_("Houqin default, not set by a regulation (借领物资有手续: loans are recorded)"),
                kind=int,
                minimum=1,
                unit=_("days"),
                group=group,
            ),
            rules.Rule(
                settings_rules.PRICE_CONFIRM_ABOVE,
                1_000_000,
                _("A unit price above this must be confirmed when it is entered"),
                source=_("Houqin default, not set by a regulation (a guard against typing errors)"),
                kind=int,
                minimum=1,
                maximum=10_000_000_000,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.PRICE_MAXIMUM,
                200_000_000,
                _("Highest unit price accepted on an asset card"),
                source=_("Houqin default, not set by a regulation (a guard against typing errors)"),
                kind=int,
                minimum=1,
                maximum=10_000_000_000,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.CONSUMABLE_PRICE_CONFIRM_ABOVE,
                1_000,
                _("A consumable's unit price above this must be confirmed when it is entered"),
                source=_("Houqin default, not set by a regulation (a guard against typing errors)"),
                kind=int,
                minimum=1,
                maximum=100_000_000,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.CONSUMABLE_PRICE_MAXIMUM,
                50_000,
                _("Highest unit price accepted for a consumable"),
                source=_("Houqin default, not set by a regulation (a guard against typing errors)"),
                kind=int,
                minimum=1,
                maximum=100_000_000,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.DAMAGE_CONFIRM_ABOVE,
                2_000,
                _("A damage amount above this must be confirmed when it is entered"),
                source=_("Houqin default, not set by a regulation (a guard against typing errors)"),
                kind=int,
                minimum=1,
                maximum=100_000_000,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.DAMAGE_MAXIMUM,
                100_000,
                _("Highest damage amount accepted"),
                source=_("Houqin default, not set by a regulation (a guard against typing errors)"),
                kind=int,
                minimum=1,
                maximum=100_000_000,
                unit=_("yuan"),
                group=group,
            ),
            rules.Rule(
                settings_rules.LOAN_REMINDER_DAYS,
                1,
                _("Remind the borrower this many days before a loan is due back"),
                source=_("Houqin default, not set by a regulation"),
                kind=int,
                unit=_("days"),
                group=group,
            ),
        ):
            rules.register(rule)

        # --- reminders, monthly-report section, dashboard widget, demo data ---
        reminders.register(providers.LowStockProvider)
        reminders.register(providers.OverdueLoanProvider)
        reminders.register(providers.StockTakeDueProvider)
        reports.register(report.AssetsSection)
        dashboard.register(widgets.AssetsWidget)
        demo_registry.register(demo.seed)
        # what needs the principal now, area figures and the district comparison (logistics.dashboard)
        from . import overview

        overview.register()
        demo_registry.register(overview.demo)

        # --- imports: the ledger (台账导入) on the platform's import engine ---
        from .services.imports import LedgerImporter

        imports.register(LedgerImporter())
