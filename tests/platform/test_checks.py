"""The skeleton is checked: ``manage.py check`` fails on a grant of a permission no model declares
(houqin.E001), a menu entry that does not reverse (houqin.E002) or needs an unknown permission
(houqin.E003); and every app declares what it plugs into the platform in ``AppConfig.ready()``."""

import ast
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from logistics import checks as platform_checks
from logistics.accounts import roles
from logistics.dashboard import registry as dashboard
from logistics.ui import nav

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def extra_grant(role, perm):
    saved = roles.granted()
    roles.grant(role, perm)
    try:
        yield
    finally:
        roles._grants.clear()
        roles._grants.update(saved)


@contextmanager
def extra_nav_item(item):
    nav.register(item)
    try:
        yield
    finally:
        nav._items.remove(item)


def houqin_errors():
    return [e for e in checks.run_checks(include_deployment_checks=False) if e.id.startswith("houqin.")]


class TestPlatformChecks:
    def test_real_registries_pass(self):
        assert houqin_errors() == []

    def test_grant_of_an_unknown_permission_fails(self):
        with extra_grant(roles.Role.TEACHER, "repairs.fly_ticket"):
            errors = houqin_errors()
            assert [(e.id, e.obj) for e in errors] == [("houqin.E001", "repairs.fly_ticket")]
            assert "teacher" in errors[0].msg
            with pytest.raises(SystemCheckError, match="houqin.E001"):
                call_command("check", verbosity=0)
        assert houqin_errors() == []

    def test_grant_with_a_misspelt_model_fails(self):
        with extra_grant(roles.Role.PRINCIPAL, "repairs.view_tickets"):
            assert [e.id for e in platform_checks.check_grants()] == ["houqin.E001"]

    def test_grant_to_an_unknown_role_fails(self):
        with extra_grant("techer", "repairs.view_ticket"):
            assert [(e.id, e.obj) for e in houqin_errors()] == [("houqin.E005", "techer")]

    def test_custom_and_default_permissions_count(self):
        known = platform_checks.declared_permissions()
        assert {"repairs.view_ticket", "repairs.assign_ticket", "assets.view_value_asset"} <= known
        assert "dashboard.view_school_dashboard" in known  # Meta.permissions of a model without a table
        assert "dashboard.view_dashboard" not in known  # default_permissions = ()

    def test_menu_entry_that_does_not_reverse_fails(self):
        item = nav.NavItem("Broken", "repairs:no_such_page", "repairs.view_ticket")
        with extra_nav_item(item):
            errors = houqin_errors()
            assert [(e.id, e.obj) for e in errors] == [("houqin.E002", "repairs:no_such_page")]
            with pytest.raises(SystemCheckError, match="houqin.E002"):
                call_command("check", verbosity=0)
        assert houqin_errors() == []

    def test_menu_entry_with_an_unknown_permission_fails(self):
        item = nav.NavItem("Tickets again", "repairs:ticket_list", "repairs.see_ticket")
        with extra_nav_item(item):
            assert [(e.id, e.obj) for e in houqin_errors()] == [("houqin.E003", "repairs.see_ticket")]

    def test_widget_with_an_unknown_permission_fails(self):
        class Broken(dashboard.Widget):
            code = "broken"
            perm = "dashboard.view_everything"

        dashboard.register(Broken)
        try:
            assert [(e.id, e.obj) for e in houqin_errors()] == [("houqin.E003", "dashboard.view_everything")]
        finally:
            dashboard._widgets[:] = [w for w in dashboard._widgets if not isinstance(w, Broken)]


class TestDashboardPermissions:
    """``dashboard.Dashboard`` has no table; it carries the dashboards' permissions."""

    def test_permissions_exist_in_the_database(self, db):
        codenames = set(
            Permission.objects.filter(content_type__app_label="dashboard").values_list("codename", flat=True)
        )
        assert codenames == {"view_school_dashboard", "view_district_dashboard"}

    def test_no_table(self):
        assert apps.get_model("dashboard", "Dashboard")._meta.managed is False


# --- one way of declaring: registry calls only inside AppConfig.ready() --------------------------------

#: the functions that fill a platform registry
REGISTRY_FUNCTIONS = {
    "logistics.accounts.roles.grant",
    "logistics.ui.nav.register",
    "logistics.tenancy.rules.register",
    "logistics.reminders.registry.register",
    "logistics.reports.registry.register",
    "logistics.dashboard.registry.register",
    "logistics.tenancy.demo.register",
    "logistics.corrective.registry.register",
    "logistics.imports.registry.register",
}


def project_apps():
    """The platform's apps and the domain apps (not the third-party ones in the virtualenv)."""
    return [cfg for cfg in apps.get_app_configs() if Path(cfg.path).resolve().parent in (ROOT, ROOT / "logistics")]


def _module_of(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def registry_calls(path, source=None):
    """[(line, qualified function, inside AppConfig.ready?)] of calls to a registry function."""
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    names = {}  # local name → qualified name
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top

    def qualified(expr):
        if isinstance(expr, ast.Name):
            return names.get(expr.id, expr.id)
        if isinstance(expr, ast.Attribute):
            return f"{qualified(expr.value)}.{expr.attr}"
        return ""

    found = []

    def visit(node, in_ready):
        for child in ast.iter_child_nodes(node):
            inside = in_ready or (
                isinstance(child, ast.FunctionDef) and child.name == "ready" and path.name == "apps.py"
            )
            if isinstance(child, ast.Call) and qualified(child.func) in REGISTRY_FUNCTIONS:
                found.append((child.lineno, qualified(child.func), inside))
            if isinstance(child, ast.FunctionDef | ast.ClassDef):
                for decorator in child.decorator_list:
                    if qualified(decorator) in REGISTRY_FUNCTIONS:
                        found.append((decorator.lineno, qualified(decorator), False))
            visit(child, inside)

    visit(tree, False)
    return found


def test_registries_are_filled_only_in_ready():
    """Grants, menu entries, rules, reminder providers, report sections, widgets and demo data are
    declared in ``AppConfig.ready()`` — never as a side effect of importing a module."""
    wrong = []
    for cfg in project_apps():
        for path in Path(cfg.path).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, function, in_ready in registry_calls(path):
                if not in_ready:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} {function}")
    assert not wrong, "registry filled outside AppConfig.ready(): " + ", ".join(wrong)


def test_the_scan_sees_the_real_declarations():
    seen = {function for cfg in project_apps() for _l, function, _r in registry_calls(Path(cfg.path) / "apps.py")}
    assert seen == REGISTRY_FUNCTIONS
    assert {"logistics.tenancy", "logistics.dashboard", "assets", "repairs"} <= {cfg.name for cfg in project_apps()}


def test_the_scan_catches_an_import_time_registration():
    decorated = "from .registry import Widget, register\n\n\n@register\nclass W(Widget):\n    pass\n"
    probe = ROOT / "logistics" / "dashboard" / "probe.py"
    assert registry_calls(probe, decorated) == [(4, "logistics.dashboard.registry.register", False)]
    module_level = "from logistics.ui import nav\n\nnav.register(nav.NavItem('x', 'a:b', 'a.view_b'))\n"
    assert registry_calls(probe, module_level) == [(3, "logistics.ui.nav.register", False)]
    in_ready = "from django.apps import AppConfig\n\n\nclass C(AppConfig):\n    def ready(self):\n" + (
        "        from logistics.accounts.roles import grant\n        grant('teacher', 'a.view_b')\n"
    )
    assert registry_calls(ROOT / "logistics" / "dashboard" / "apps.py", in_ready) == [
        (7, "logistics.accounts.roles.grant", True)
    ]


def test_every_constraint_says_what_it_refuses_and_a_missing_message_is_reported():
    from django.db import models

    from logistics.checks import check_constraint_messages
    from logistics.tenancy.models import Room

    assert check_constraint_messages() == []
    bare = models.CheckConstraint(condition=models.Q(floor__gte=-5), name="room_floor_test")
    Room._meta.constraints.append(bare)
    try:
        errors = check_constraint_messages()
    finally:
        Room._meta.constraints.remove(bare)
    assert [e.id for e in errors] == ["houqin.E006"] and "room_floor_test" in errors[0].msg
