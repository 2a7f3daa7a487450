from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "logistics.tenancy"
    label = "tenancy"
    verbose_name = _("Schools and places")

    def ready(self):
        from logistics.accounts.roles import (
            ALL_ROLES,
            STAFF_ROLES,
            Role,
            grant,
            model_perms,
        )
        from logistics.ui import nav

        # --- who sees and does what ---
        grant(ALL_ROLES, "tenancy.view_school")
        grant(
            [*STAFF_ROLES, Role.DISTRICT_OFFICER],
            ["tenancy.view_campus", "tenancy.view_building", "tenancy.view_room"],
        )
        for model in ("tenancy.campus", "tenancy.building", "tenancy.room"):
            grant(Role.LOGISTICS_HEAD, model_perms(model, ("add", "change", "delete")))
        grant([Role.LOGISTICS_HEAD, Role.PRINCIPAL], "tenancy.change_school")

        # --- menu ---
        nav.register(
            nav.NavItem(
                _("Places"),
                "tenancy:room_list",
                "tenancy.view_room",
                group=_("School"),
                order=80,
            )
        )
        nav.register(
            nav.NavItem(
                _("Rules"),
                "tenancy:rules",
                "tenancy.view_room",
                group=_("School"),
                order=90,
            )
        )
