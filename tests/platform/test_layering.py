"""The platform's import graph: arrows point one way, and no import cycle comes back.

Read statically (``ast``), so a cycle hidden behind an import inside a function — the usual way to
silence one — is caught too: ``logistics.accounts.permissions`` and ``logistics.accounts.roles`` import
nothing from ``logistics.tenancy`` at any level (tenancy's models, ``restrict()`` and middleware import
them), and the module-level imports among ``logistics`` modules form no cycle at all.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "logistics"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def platform_modules():
    """{module name: path} of every logistics module (migrations left out: Django loads them itself)."""
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _resolve(node, module, is_package):
    """The absolute names an ``import``/``from … import`` statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module
    # "from pkg import mod" imports pkg.mod when mod is a module; "from mod import name" imports mod
    return [target, *(f"{target}.{alias.name}" for alias in node.names)]


def imports_of(path, module, *, top_level_only):
    """Names imported by the module: at import time only (module body, class bodies, if/try blocks), or
    everywhere (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found = set()

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and top_level_only:
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.update(_resolve(child, module, is_package))
            visit(child)

    visit(tree)
    return found


def graph(*, top_level_only):
    modules = platform_modules()
    edges = {}
    for name, path in modules.items():
        targets = imports_of(path, name, top_level_only=top_level_only)
        edges[name] = {t for t in targets if t in modules and t != name}
    return edges


def find_cycle(edges):
    """One cycle as a list of modules, or None (iterative depth-first search)."""
    state = {}
    for start in sorted(edges):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(edges[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    return path[path.index(child) :] + [child]
                if not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(sorted(edges.get(child, ())))))
                    break
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None


def test_permissions_import_nothing_from_tenancy_at_any_level():
    edges = graph(top_level_only=False)
    for module in ("logistics.accounts.permissions", "logistics.accounts.roles"):
        wrong = sorted(t for t in edges[module] if t.startswith("logistics.tenancy"))
        assert not wrong, f"{module} imports {wrong}: tenancy depends on accounts, never the other way"


def test_tenancy_reads_permissions_from_accounts():
    """The direction the arrow points (so the test above is not vacuous)."""
    edges = graph(top_level_only=True)
    assert "logistics.accounts.permissions" in edges["logistics.tenancy.querysets"]
    assert "logistics.accounts.roles" in edges["logistics.tenancy.models"]


def test_no_import_cycle_among_platform_modules():
    cycle = find_cycle(graph(top_level_only=True))
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
