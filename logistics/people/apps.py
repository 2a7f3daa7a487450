from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "logistics.people"
    label = "people"
    verbose_name = _("Classes and students")

    def ready(self):
        from logistics.accounts.roles import STAFF_ROLES, Role, grant, model_perms
        from logistics.imports import registry as imports
        from logistics.tenancy import demo as demo_registry
        from logistics.ui import nav

        from . import demo, signals

        signals.connect()

        # --- who sees what about minors (issue 8 § Who sees what; docs/roles.md) ---
        heads = [Role.PRINCIPAL, Role.LOGISTICS_HEAD]
        grant([*STAFF_ROLES, Role.DISTRICT_OFFICER], ["people.view_grade", "people.view_schoolclass"])
        grant(heads, ["people.view_student", "people.view_guardianlink", "people.view_invitation"])
        grant(heads, ["people.reveal_student", "people.promote_grade", "people.view_staff", "people.manage_staff"])
        # Logistics staff record damages by student, finance charges them: names and classes, no guardians.
        grant([Role.LOGISTICS_STAFF, Role.FINANCE_OFFICER], "people.view_student")
        # Teachers: the classes they teach or head; the class teacher also sees guardians and prints invitations.
        grant(Role.TEACHER, "people.view_student", scope="taught")
        grant(Role.TEACHER, ["people.view_guardianlink", "people.view_invitation"], scope="own_class")
        grant(Role.TEACHER, "people.add_invitation", scope="own_class")
        # Parents: their own children and their own links. Guards, canteen and repair workers: no student data.
        grant(Role.PARENT, "people.view_student", scope="children")
        grant(Role.PARENT, "people.view_guardianlink", scope="own")
        for model in ("people.grade", "people.schoolclass", "people.guardianlink"):
            grant(heads, model_perms(model, ("add", "change", "delete")))
        grant(heads, model_perms("people.student", ("add", "change")))  # students leave; they are never deleted
        grant(heads, "people.add_invitation")
        # Imports of staff, classes, students and guardians: the principal and the logistics head.
        grant(heads, model_perms("people.peopleimport", ("view", "add", "change")))

        group = _("School")
        for item in (
            nav.NavItem(_("Staff and roles"), "people:staff_list", "people.view_staff", group=group, order=81),
            nav.NavItem(_("Classes"), "people:schoolclass_list", "people.view_schoolclass", group=group, order=84),
            nav.NavItem(_("Students"), "people:student_list", "people.view_student", group=group, order=85),
            nav.NavItem(
                _("Import people"), "people:peopleimport_list", "people.view_peopleimport", group=group, order=86
            ),
            nav.NavItem(
                _("District schools"),
                "people:district_school_list",
                "dashboard.view_district_dashboard",
                group=_("District"),
                order=5,
                where="any",
            ),
        ):
            nav.register(item)
        demo_registry.register(demo.seed)

        # --- imports: staff, classes, students with guardians, guardians (logistics/people/imports.py) ---
        from .imports import IMPORTERS

        for importer in IMPORTERS:
            imports.register(importer())
