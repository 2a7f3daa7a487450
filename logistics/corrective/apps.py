from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectiveConfig(AppConfig):
    """The platform's closed loop of corrective actions (整改闭环), shared by the domain apps."""

    name = "logistics.corrective"
    label = "corrective"
    verbose_name = _("Corrective actions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from logistics.accounts.roles import MANAGEMENT_ROLES, STAFF_ROLES, Role, grant
        from logistics.reminders import registry as reminders
        from logistics.tenancy import rules
        from logistics.ui import nav

        from . import registry as corrective
        from . import reminders as providers
        from .services import PRINCIPAL_AFTER_DAYS

        # --- who sees and does what (docs/PLATFORM_GUIDE.md § Corrective actions) ---
        view, add = "corrective.view_correctiveaction", "corrective.add_correctiveaction"
        assign, rectify = "corrective.assign_correctiveaction", "corrective.rectify_correctiveaction"
        verify = "corrective.verify_correctiveaction"
        grant(MANAGEMENT_ROLES, [view])
        grant([Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF], [add, assign, rectify, verify])
        grant(Role.PRINCIPAL, [add, verify])
        # anyone on staff reports what they find; sees what they found, own or rectified; rectifies their own
        grant(STAFF_ROLES, [add])
        grant(STAFF_ROLES, [view], scope="involved")
        grant(STAFF_ROLES, [rectify], scope="owner")
        # the district follows the major ones (挂牌督办)
        grant(Role.DISTRICT_OFFICER, [view], scope="major")

        # --- menu ---
        nav.register(
            nav.NavItem(
                _("Corrective actions"),
                "corrective:correctiveaction_list",
                view,
                group=_("School"),
                order=80,
            )
        )

        # --- rules with numbers ---
        rules.register(
            rules.Rule(
                PRINCIPAL_AFTER_DAYS,
                7,
                _("Days past the deadline before an open corrective action goes to the principal"),
                source=_(
                    "中小学幼儿园安全管理办法 (教育部令第23号) art. 31: hazards found are rectified in time, "
                    "the head of the school answers for it; the number of days is a Houqin default"
                ),
                kind=int,
                minimum=0,
                unit=_("days"),
                group=str(_("Corrective actions")),
            )
        )

        # --- where actions come from: the platform's own (a hazard anyone reports by hand) ---
        corrective.register(corrective.Origin("corrective.report", _("Reported by staff"), manual=True))

        reminders.register(providers.CorrectiveActionProvider)
