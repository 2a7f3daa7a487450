"""Roles and the role → permission map, in code.

A permission is ``<app_label>.<action>_<model_name>`` (Django's spelling) and each grant carries a
*scope*: ``all`` rows of the school, or a row rule the model names (``own``, ``assigned``,
``children``…) and implements in ``scope_q()``. Domain apps add their grants with :func:`grant` in
their ``AppConfig.ready()``; ``docs/roles.md`` is generated from this map
(``manage.py roles_table``).
"""

from collections import defaultdict

from django.db import models
from django.utils.translation import pgettext_lazy

ALL = "all"


class Role(models.TextChoices):
    DISTRICT_OFFICER = "district_officer", pgettext_lazy("role", "District officer")
    PRINCIPAL = "principal", pgettext_lazy("role", "Principal")
    LOGISTICS_HEAD = "logistics_head", pgettext_lazy("role", "Logistics head")
    LOGISTICS_STAFF = "logistics_staff", pgettext_lazy("role", "Logistics staff")
    FINANCE_OFFICER = "finance_officer", pgettext_lazy("role", "Finance officer")
    REPAIR_WORKER = "repair_worker", pgettext_lazy("role", "Repair worker")
    TEACHER = "teacher", pgettext_lazy("role", "Teacher")
    CANTEEN_MANAGER = "canteen_manager", pgettext_lazy("role", "Canteen manager")
    CANTEEN_STAFF = "canteen_staff", pgettext_lazy("role", "Canteen staff")
    GUARD = "guard", pgettext_lazy("role", "Guard")
    PARENT = "parent", pgettext_lazy("role", "Parent")


#: Everybody employed by the school (not parents, not the district).
STAFF_ROLES = (
    Role.PRINCIPAL,
    Role.LOGISTICS_HEAD,
    Role.LOGISTICS_STAFF,
    Role.FINANCE_OFFICER,
    Role.REPAIR_WORKER,
    Role.TEACHER,
    Role.CANTEEN_MANAGER,
    Role.CANTEEN_STAFF,
    Role.GUARD,
)
#: Those who run the school's logistics and see everything of it.
MANAGEMENT_ROLES = (Role.PRINCIPAL, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF)
ALL_ROLES = tuple(Role)

_grants: dict[str, dict[str, str]] = defaultdict(dict)
#: row scopes of one role and permission granted more than once are kept together, joined by this
SCOPE_SEPARATOR = "|"


def grant(roles, perms, scope=ALL):
    """Give each role in ``roles`` each permission in ``perms`` with ``scope``.

    A wider grant wins over a narrower one: ``all`` is never narrowed by a later row rule. Two different
    row rules for the same role and permission add up: the role holds both (``"involved|origins:canteen"``;
    :func:`logistics.accounts.permissions.scopes_for` splits them).
    """
    if isinstance(roles, str):
        roles = [roles]
    if isinstance(perms, str):
        perms = [perms]
    for role in roles:
        for perm in perms:
            earlier = _grants[str(role)].get(perm)
            if earlier == ALL:
                continue
            if earlier is not None and scope != ALL:
                # two row rules for one role and permission: the role holds both (their union)
                held = earlier.split(SCOPE_SEPARATOR)
                scope = earlier if scope in held else SCOPE_SEPARATOR.join([*held, scope])
            _grants[str(role)][perm] = scope


def scope_of(role, perm):
    """The scope with which ``role`` holds ``perm``, or None."""
    return _grants.get(str(role), {}).get(perm)


def permissions_of(role):
    return dict(_grants.get(str(role), {}))


def granted():
    """{role: {perm: scope}} of every grant made (the ``houqin.E001``/``E005`` checks read it)."""
    return {role: dict(perms) for role, perms in _grants.items()}


def all_permissions():
    perms = set()
    for role_perms in _grants.values():
        perms.update(role_perms)
    return sorted(perms)


def model_perms(model_label, actions=("view", "add", "change", "delete")):
    """``model_perms("repairs.ticket", ["view", "add"])`` → ``["repairs.view_ticket", "repairs.add_ticket"]``."""
    app_label, model_name = model_label.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]
