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

        self.connect_school_cache()

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

    def connect_school_cache(self):
        """A save or delete of a school (or of its district) forgets the kept school row."""
        from django.db.models.signals import post_delete, post_save

        from .middleware import forget_school
        from .models import District, School

        def school_changed(sender, instance, **kwargs):
            forget_school(instance.pk)

        def district_changed(sender, instance, **kwargs):
            for school_id in School.objects.filter(district=instance).values_list("pk", flat=True):
                forget_school(school_id)

        for signal in (post_save, post_delete):
            signal.connect(school_changed, sender=School, weak=False, dispatch_uid=f"school-cache-{signal}")
            signal.connect(district_changed, sender=District, weak=False, dispatch_uid=f"district-cache-{signal}")
