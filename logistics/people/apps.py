from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "logistics.people"
    label = "people"
    verbose_name = _("Classes and students")

    def ready(self):
        from logistics.accounts.roles import STAFF_ROLES, Role, grant, model_perms
        from logistics.ui import nav

        from . import signals

        signals.connect()

        # --- who sees and does what ---
        staff = [*STAFF_ROLES, Role.DISTRICT_OFFICER]
        grant(staff, ["people.view_grade", "people.view_schoolclass"])
        grant([*STAFF_ROLES], "people.view_student")
        grant(Role.PARENT, "people.view_student", scope="children")
        grant(Role.PARENT, "people.view_guardianlink", scope="own")
        grant([Role.PRINCIPAL, Role.LOGISTICS_HEAD], "people.view_guardianlink")
        for model in (
            "people.grade",
            "people.schoolclass",
            "people.student",
            "people.guardianlink",
        ):
            grant(Role.LOGISTICS_HEAD, model_perms(model, ("add", "change", "delete")))

        # --- menu ---
        nav.register(
            nav.NavItem(
                _("Students"),
                "people:student_list",
                "people.view_student",
                group=_("School"),
                order=85,
            )
        )
