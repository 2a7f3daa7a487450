from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")
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

        # --- who sees and does what (docs/finance.md § Visibility) ---
        heads = [Role.PRINCIPAL, Role.LOGISTICS_HEAD]
        officer = Role.FINANCE_OFFICER
        board = ["finance.view_feedisclosure", "finance.view_disclosureentry"]
        grant([*heads, officer], ["finance.view_feeitem", *board, "finance.view_consent"])
        grant(officer, [*model_perms("finance.feeitem", ("add", "change", "delete")), "finance.add_feedisclosure"])
        grant(officer, ["finance.change_feedisclosure", "finance.delete_feedisclosure", "finance.submit_feedisclosure"])
        grant([officer, Role.PRINCIPAL], ["finance.publish_feedisclosure"])
        grant(Role.PRINCIPAL, ["finance.approve_feedisclosure"])
        grant(officer, ["finance.add_consent", "finance.give_consent"])
        # Withdrawing consent is possible only while nothing is paid (after that: a refund), so the grant
        # admits only those consents and the step is not offered on a paid one.
        grant(officer, ["finance.revoke_consent"], scope="unpaid")
        grant(officer, ["finance.remind_consent"])
        # the bulk actions of the API (the item page's "Ask the guardians" / "Charge the students")
        grant(officer, ["finance.open_consents_feeitem", "finance.charge_feeitem"])
        # Class teachers: their class's consents; they record signed paper forms and remind guardians.
        grant(Role.TEACHER, ["finance.view_feeitem"])
        grant(
            Role.TEACHER, ["finance.view_consent", "finance.give_consent", "finance.remind_consent"], scope="own_class"
        )
        # Parents: their own children's consents (give, decline, withdraw); everyone: the published board.
        grant(Role.PARENT, ["finance.view_feeitem"])
        grant(Role.PARENT, ["finance.view_consent", "finance.give_consent"], scope="children")
        grant(Role.PARENT, ["finance.revoke_consent"], scope="children_unpaid")
        grant([Role.TEACHER, Role.PARENT, Role.DISTRICT_OFFICER], board, scope="published")
        # Money per student: the officer records; the principal and logistics head approve and reverse
        # (管钱不管帐: whoever recorded a payment never reverses it nor approves its refund).
        money = ["charge", "payment", "waiver", "refund"]
        grant([*heads, officer], [f"finance.view_{m}" for m in money])
        grant(officer, [f"finance.add_{m}" for m in money])
        # The separation of duties is the grants' row scope, so a page never offers a step the user
        # would be refused: "others" = recorded/asked by someone else, "uninvolved" = and no payment
        # of the charge (of the item, for a settlement) recorded by the user.
        grant([*heads, officer], ["finance.reverse_payment"], scope="others")
        grant(heads, ["finance.approve_waiver"], scope="others")
        grant(heads, ["finance.approve_refund"], scope="uninvolved")
        grant(Role.TEACHER, ["finance.view_charge"], scope="own_class")
        grant(Role.PARENT, [f"finance.view_{m}" for m in money], scope="children")
        # Term settlement (多退少不补): the officer computes, the principal approves.
        grant([*heads, officer], ["finance.view_settlement", "finance.view_settlementline"])
        grant(officer, ["finance.add_settlement", "finance.change_settlement", "finance.compute_settlement"])
        grant(Role.PRINCIPAL, ["finance.approve_settlement"], scope="uninvolved")
        grant(Role.DISTRICT_OFFICER, ["finance.view_feeitem"])
        # Bank statements of payments: the officer imports (and is the payments' recorder); heads read.
        grant(officer, model_perms("finance.paymentimport", ("view", "add", "change")))
        grant(heads, ["finance.view_paymentimport"])
        # Actual cost per student of a settlement: entered by the officer while it is not approved.
        grant([*heads, officer], ["finance.view_studentcost"])
        grant(officer, model_perms("finance.studentcost", ("add", "change", "delete")))
        # ... or imported from an XLSX/CSV (the import engine's record of the file)
        grant(officer, model_perms("finance.studentcostimport", ("view", "add", "change")))
        grant(heads, ["finance.view_studentcostimport"])
        # Parents: the settlement statements of their own children.
        grant(Role.PARENT, ["finance.view_settlementline"], scope="children")
        # The district's figures page (every school of the district; heads their own school).
        grant([Role.DISTRICT_OFFICER, *heads, officer], ["finance.view_district_financefigures"])

        # --- menu ---
        group = _("Finance")
        for item in (
            nav.NavItem(_("Fee items"), "finance:feeitem_list", "finance.view_feeitem", group=group, order=60),
            nav.NavItem(
                _("Fee disclosure board"),
                "finance:feedisclosure_list",
                "finance.view_feedisclosure",
                group=group,
                order=61,
            ),
            nav.NavItem(_("Consents"), "finance:consent_list", "finance.view_consent", group=group, order=62),
            nav.NavItem(_("Charges"), "finance:charge_list", "finance.view_charge", group=group, order=63),
            nav.NavItem(_("Payments"), "finance:payment_list", "finance.view_payment", group=group, order=64),
            nav.NavItem(
                _("Term settlements"), "finance:settlement_list", "finance.view_settlement", group=group, order=65
            ),
            nav.NavItem(
                _("Import payments"),
                "finance:paymentimport_list",
                "finance.add_paymentimport",
                group=group,
                order=66,
            ),
            nav.NavItem(
                _("Settlement statements"),
                "finance:settlementstatement_list",
                "finance.view_settlementline",
                group=group,
                order=67,
            ),
            nav.NavItem(
                _("Fees across schools"),
                "finance:district_figures",
                "finance.view_district_financefigures",
                group=group,
                order=68,
                where="any",
            ),
        ):
            nav.register(item)

        # --- rules with numbers ---
        rules.register(
            rules.Rule(
                providers.CONSENT_DAYS,
                7,
                _("Days before a voluntary fee's charge date when pending consents are reminded"),
                source=_("Houqin default: parents who have not answered are reminded before the charge date"),
                kind=int,
                minimum=1,
                maximum=60,
                unit=_("days"),
                group=str(group),
            )
        )

        rules.register(
            rules.Rule(
                "finance.settlement_policy",
                False,
                _(
                    "Term settlement charges the shortfall when the actual cost exceeds what was collected "
                    "(多退少补); off: refund the surplus, never charge more (多退少不补)"
                ),
                source=_("发改价格〔2010〕1619号 (多退少不补); some provinces' rules say 多退少补"),
                kind=bool,
                minimum=None,
                group=str(group),
            )
        )

        from logistics.imports import registry as imports

        from .bank_import import PaymentsImporter

        imports.register(PaymentsImporter())
        from .cost_import import StudentCostsImporter

        imports.register(StudentCostsImporter())

        reminders.register(providers.PendingConsentsProvider)
        reminders.register(providers.UnpaidChargesProvider)
        reminders.register(providers.AwaitingDecisionProvider)
        reports.register(report.FinanceSection)
        dashboard.register(widgets.FinanceWidget)
        demo_registry.register(demo.seed)
        # what needs the principal now, area figures and the district comparison (logistics.dashboard)
        from . import overview

        overview.register()
        demo_registry.register(overview.demo)

        # --- spending approval 一支笔审批, budgets, the staff statement (docs/finance.md § Spending) ---
        from logistics.accounts.roles import STAFF_ROLES

        from . import expenses as spending
        from . import spending_demo, spending_reminders, spending_report, spending_widgets

        # Every staff member files their own reimbursements (and sees those they bought or checked);
        # the finance officer sees all and pays; the logistics head and the principal sign; the officer's
        # review (会计审核) counts as a signature in the head's band. Parents: nothing of this.
        grant(STAFF_ROLES, ["finance.add_expense", "finance.view_collectivedecision"])
        grant(STAFF_ROLES, ["finance.view_expense"], scope="involved")
        grant(STAFF_ROLES, ["finance.change_expense", "finance.delete_expense", "finance.submit_expense"], scope="own")
        grant([*heads, officer], [*model_perms("finance.expense", ("view",)), "finance.view_expensesignature"])
        grant([*heads, officer], ["finance.approve_expense"])
        grant(officer, ["finance.pay_expense", "finance.reverse_expense"])
        grant(Role.PRINCIPAL, ["finance.reverse_expense"])
        grant([*heads, officer], ["finance.add_collectivedecision"])
        grant(officer, ["finance.change_collectivedecision"])
        # Budgets: the officer sets and revises them, the heads read them.
        grant([*heads, officer], ["finance.view_budget", "finance.view_budgetrevision"])
        grant(officer, ["finance.add_budget", "finance.change_budget", "finance.revise_budget"])
        grant(Role.PRINCIPAL, ["finance.revise_budget"])
        # The staff statement: drafted by the officer, reviewed and published by the principal, read by
        # every staff member once published.
        grant([*heads, officer], ["finance.view_staffstatement"])
        grant(officer, ["finance.add_staffstatement", "finance.change_staffstatement", "finance.submit_staffstatement"])
        grant(Role.PRINCIPAL, ["finance.publish_staffstatement"])
        grant(STAFF_ROLES, ["finance.view_staffstatement"], scope="published")

        spending_group = _("Finance")
        for item in (
            nav.NavItem(_("Expenses"), "finance:expense_list", "finance.view_expense", group=spending_group, order=66),
            nav.NavItem(_("Budgets"), "finance:budget_list", "finance.view_budget", group=spending_group, order=67),
            nav.NavItem(
                _("Collective decisions"),
                "finance:collectivedecision_list",
                "finance.add_collectivedecision",
                group=spending_group,
                order=68,
            ),
            nav.NavItem(
                _("Income and expense statements"),
                "finance:staffstatement_list",
                "finance.view_staffstatement",
                group=spending_group,
                order=69,
            ),
        ):
            nav.register(item)

        rules.register(
            rules.Rule(
                spending.HEAD_LIMIT,
                300,
                _("Expenses up to this amount are approved by the logistics head (一支笔审批)"),
                source=_(
                    "Houqin default, not set by a regulation: the school's own 财务管理制度 sets its bands "
                    "(中小学校财务制度, 财教〔2012〕488号, asks for internal approval rules)"
                ),
                kind=int,
                minimum=0,
                maximum=1_000_000,
                unit=_("yuan"),
                group=str(group),
            )
        )
        rules.register(
            rules.Rule(
                spending.PRINCIPAL_LIMIT,
                10_000,
                _(
                    "Expenses up to this amount are approved by the principal; above it a recorded collective "
                    "decision (集体决策, “三重一大”) is needed. The principal's own expense (the principal bought "
                    "or filed it) that needs the principal's signature is decided collectively whatever its "
                    "amount, the logistics head signing in the principal's place"
                ),
                source=_(
                    "Houqin default, not set by a regulation: the amount of 大额资金 is set by each school or "
                    "district under the “三重一大” rules; 中小学校财务制度 (财教〔2012〕488号)"
                ),
                kind=int,
                minimum=0,
                maximum=100_000_000,
                unit=_("yuan"),
                group=str(group),
            )
        )
        reminders.register(spending_reminders.ExpensesAwaitingSignatureProvider)
        reminders.register(spending_reminders.StatementAwaitingReviewProvider)
        reports.register(spending_report.SpendingSection)
        dashboard.register(spending_widgets.SpendingWidget)
        demo_registry.register(spending_demo.seed)
        from . import demo_bank

        demo_registry.register(demo_bank.seed)
