"""No write path bypasses the change record (CONVENTIONS.md § History; issue 7 part 6).

A queryset ``.update()`` (or ``bulk_update()``) on an audited model — a ``ChangeLoggedModel``
subclass, e.g. every ``PrimaryModel`` — writes no change record. This test reads the source of the
domain apps and the platform and fails, naming file:line, on any such call outside
``logistics.audit.recorder.recorded_update`` (which writes one record per row). Counters on rows that
are not audited may use ``.update()``; a queryset whose model cannot be read from the code must be
listed in ``ALLOWED`` with the reason.
"""

import ast
from pathlib import Path

from django.apps import apps

from logistics.tenancy.base import ChangeLoggedModel

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("assets", "repairs", "finance", "canteen", "safety", "utilities", "logistics")
UPDATES = {"update", "bulk_update"}
#: methods that make (or narrow) a queryset: a chain ending in ``.update()`` through one of them is a
#: queryset update, not ``dict.update()``
QUERYSET_METHODS = {
    "objects",
    "_default_manager",
    "_base_manager",
    "filter",
    "exclude",
    "all",
    "select_for_update",
    "restrict",
    "in_school",
    "order_by",
    "none",
}

#: (path, line text) → why it is allowed. Keep each justified.
ALLOWED = {
    # Sequence (reference counters) is not a ChangeLoggedModel: the counter is no domain change
    ("logistics/tenancy/models.py", 'cls.objects.filter(pk=row.pk).update(last=F("last") + 1)'): "not audited",
    # Notification is not a ChangeLoggedModel: marking one's own notifications read is no domain change
    ("logistics/notifications/views.py", "queryset.filter(pk=pk).update(read_at=timezone.now())"): "not audited",
    ("logistics/notifications/views.py", "queryset.update(read_at=timezone.now())"): "not audited",
    # a round's stops-done/flagged counters are derived from its scans, which are append-only events (each scan
    # is its own record, with who and when); the round's status changes go through its declared steps
    ("safety/rounds.py", "PatrolRound.objects.filter(pk=locked.pk).update("): "derived from append-only scans",
}


def audited_model_names():
    return {
        model.__name__ for model in apps.get_models() if issubclass(model, ChangeLoggedModel) and not model._meta.proxy
    }


def _chain(node):
    """The names along ``a.b(...).c(...)`` from the outermost call inwards, and the root name."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            root = node.id if isinstance(node, ast.Name) else None
            return names, root


def queryset_updates(path):
    """``(line, model name or None, source)`` of every ``.update()``/``.bulk_update()`` on a queryset."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in UPDATES):
            continue
        names, root = _chain(node.func.value)
        model = None
        for i, name in enumerate(names):
            if name in ("objects", "_default_manager", "_base_manager"):
                owner = names[i + 1] if i + 1 < len(names) else root
                model = None if owner in ("cls", "self", None) else owner  # unknown: listed or refused
                break
        is_queryset = model is not None or any(name in QUERYSET_METHODS for name in names)
        if node.func.attr == "bulk_update" or is_queryset or root in ("queryset", "qs"):
            found.append((node.lineno, model, lines[node.lineno - 1].strip()))
    return found


def test_no_queryset_update_bypasses_the_change_record():
    audited = audited_model_names()
    offending = []
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "logistics/audit/recorder.py":
                continue
            for line, model, text in queryset_updates(path):
                if model is not None and model not in audited:
                    continue  # a counter on a row that is not audited (Sequence, …)
                if any(relative == p and text.endswith(t) for p, t in ALLOWED):
                    continue
                offending.append(f"{relative}:{line}: {text}")
    assert not offending, (
        "queryset .update() on an audited model writes no change record; use "
        "logistics.audit.recorder.recorded_update(queryset, **fields) or a save():\n" + "\n".join(offending)
    )


def test_the_scan_sees_an_update(tmp_path):
    """The scanner itself: a queryset update of an audited model is found, a dict update is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "Asset.objects.filter(pk=1).update(status='lost')\n"
        "context.update({'a': 1})\n"
        "rows.filter(x=1).update(y=2)\n"
        "Sequence.objects.filter(pk=1).update(last=2)\n",
        encoding="utf-8",
    )
    found = queryset_updates(sample)
    assert [(line, model) for line, model, _text in found] == [(1, "Asset"), (3, None), (4, "Sequence")]
    assert "Asset" in audited_model_names() and "Sequence" not in audited_model_names()
