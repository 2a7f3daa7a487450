"""System checks of what the apps declare to the platform (``manage.py check``; this module is imported
in ``AccountsConfig.ready()``, as ``logistics/api/checks.py`` and ``logistics/workflow/checks.py`` are in
their apps').

- ``houqin.E001``: a role is granted a permission no model declares (a typo in ``grant()`` would
  silently grant nothing).
- ``houqin.E002``: a menu entry's URL name does not reverse (the entry would silently vanish).
- ``houqin.E003``: a menu entry or dashboard widget asks for a permission no model declares (it would
  silently show to nobody).
- ``houqin.E004``: a model with a reference number (``ReferenceMixin``) has no unique
  (school, reference) constraint with a message a person can read (``violation_error_message``).
- ``houqin.E005``: a permission is granted to a role that does not exist (``Role``).
- ``houqin.E006``: a database constraint of a project model has no message a person can read
  (``violation_error_message``): without one, a refused value shows the constraint's name.

A permission is ``<app_label>.<codename>``: one of a model's default permissions
(``view|add|change|delete_<model_name>``, per ``Meta.default_permissions``) or of its ``Meta.permissions``.
"""

from django.apps import apps
from django.core import checks
from django.core.checks import Error
from django.db.models import UniqueConstraint
from django.urls import NoReverseMatch, reverse

PERMISSION_HINT = (
    "A permission is '<app_label>.<codename>': a model's default permission (view/add/change/delete_"
    "<model_name>) or a codename in its Meta.permissions. Fix the name, or declare it on the model."
)


def declared_permissions():
    """Every ``<app_label>.<codename>`` the installed models declare (no database needed)."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        names.update(f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions)
        names.update(f"{opts.app_label}.{codename}" for codename, _name in opts.permissions)
    return names


@checks.register()
def check_grants(app_configs=None, **kwargs):
    """houqin.E001: every permission in the role map exists; houqin.E005: every role does."""
    from logistics.accounts import roles

    known = declared_permissions()
    errors = []
    for role, perms in sorted(roles.granted().items()):
        if perms and role not in roles.Role.values:
            errors.append(
                Error(
                    f"Permissions are granted to role '{role}', which does not exist.",
                    hint="Grant to a member of logistics.accounts.roles.Role (e.g. Role.TEACHER).",
                    obj=role,
                    id="houqin.E005",
                )
            )
        for perm in sorted(perms):
            if perm not in known:
                errors.append(
                    Error(
                        f"Role '{role}' is granted '{perm}', which no model declares.",
                        hint=PERMISSION_HINT,
                        obj=perm,
                        id="houqin.E001",
                    )
                )
    return errors


@checks.register(checks.Tags.urls)
def check_navigation(app_configs=None, **kwargs):
    """houqin.E002: every menu entry reverses; houqin.E003: its permission (and every dashboard
    widget's) exists."""
    from logistics.dashboard import registry as dashboard
    from logistics.ui import nav

    known = declared_permissions()
    errors = []
    for item in nav.items():
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            errors.append(
                Error(
                    f"Menu entry '{item.label}' points to URL name '{item.url_name}', which does not reverse.",
                    hint="Use '<app_label>:<url name>' of a URL without arguments, as named in <app>/urls.py.",
                    obj=item.url_name,
                    id="houqin.E002",
                )
            )
        if item.perm not in known:
            errors.append(
                Error(
                    f"Menu entry '{item.label}' needs '{item.perm}', which no model declares.",
                    hint=PERMISSION_HINT,
                    obj=item.perm,
                    id="houqin.E003",
                )
            )
    for widget in dashboard.widgets():
        if widget.perm not in known:
            errors.append(
                Error(
                    f"Dashboard widget '{widget.code}' needs '{widget.perm}', which no model declares.",
                    hint=PERMISSION_HINT,
                    obj=widget.perm,
                    id="houqin.E003",
                )
            )
    return errors


@checks.register(checks.Tags.models)
def check_references(app_configs=None, **kwargs):
    """houqin.E004: reference numbers are unique per school, and a duplicate is refused in words."""
    from logistics.tenancy.references import ReferenceMixin

    errors = []
    for model in apps.get_models():
        if not issubclass(model, ReferenceMixin) or model._meta.abstract or model._meta.proxy:
            continue
        if not any(
            isinstance(c, UniqueConstraint)
            and tuple(c.fields) == ("school", "reference")
            and c.condition is None
            and c.violation_error_message != c.default_violation_error_message
            for c in model._meta.constraints
        ):
            errors.append(
                Error(
                    f"{model._meta.label} has a reference number but no unique (school, reference) constraint "
                    "with a violation_error_message.",
                    hint='Add models.UniqueConstraint(fields=["school", "reference"], name=…, '
                    'violation_error_message=_("A … with this reference number already exists in this school.")) '
                    "to Meta.constraints, and a migration.",
                    obj=model,
                    id="houqin.E004",
                )
            )
    return errors


@checks.register(checks.Tags.models)
def check_constraint_messages(app_configs=None, **kwargs):
    """houqin.E006: every constraint of the project's own models says in words what it refuses."""
    from django.conf import settings

    errors = []
    base = str(settings.BASE_DIR)
    for model in apps.get_models():
        config = apps.get_app_config(model._meta.app_label)
        if not str(config.path).startswith(base) or ".venv" in str(config.path):
            continue
        for constraint in model._meta.constraints:
            if constraint.violation_error_message == constraint.default_violation_error_message:
                errors.append(
                    Error(
                        f"{model._meta.label}: constraint {constraint.name} has no violation_error_message.",
                        hint='Give it violation_error_message=_("…") saying what is refused (shown to users).',
                        obj=model,
                        id="houqin.E006",
                    )
                )
    return errors
