"""The zh-hans catalogues are complete: every message in the code is translated, none fuzzy, all compiled.

The check runs ``makemessages`` on a copy of the source tree, so a string added to the code but not to
a catalogue fails here.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the domain apps: top-level packages with an ``apps.py`` (each has its own catalogue)
DOMAIN_APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name != "logistics")
SOURCES = ["logistics", "templates", *DOMAIN_APPS, "locale", "manage.py"]


def catalogues(root):
    return sorted(p for p in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    copy = tmp_path_factory.mktemp("i18n")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        elif source.exists():
            shutil.copy(source, copy / name)
    env_python = sys.executable
    # The project catalogue covers logistics/ and templates/; each domain app has its own.
    subprocess.run(
        [
            env_python,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            *(f"--ignore={app}" for app in DOMAIN_APPS),
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for app in DOMAIN_APPS:
        if (copy / app).exists():
            # every domain app has its own catalogue; a missing one shows up as untranslated messages
            (copy / app / "locale/zh_Hans/LC_MESSAGES").mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [env_python, "../manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
                cwd=copy / app,
                check=True,
                capture_output=True,
            )
    return copy


def test_there_are_catalogues():
    assert (ROOT / "locale/zh_Hans/LC_MESSAGES/django.po").exists()


def test_every_message_translated(regenerated):
    problems = []
    for po_path in catalogues(regenerated):
        po = polib.pofile(str(po_path))
        rel = po_path.relative_to(regenerated)
        for entry in po.untranslated_entries():
            problems.append(f"{rel}: untranslated: {entry.msgid!r} ({entry.occurrences[:1]})")
        for entry in po.fuzzy_entries():
            problems.append(f"{rel}: fuzzy: {entry.msgid!r}")
    assert not problems, "\n".join(problems[:60]) + f"\n… {len(problems)} in all"


def test_compiled_catalogues_are_current():
    for po_path in catalogues(ROOT):
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} missing: run make messages"
        po = polib.pofile(str(po_path))
        mo = polib.mofile(str(mo_path))
        # keyed by (context, msgid): one English word may have a different Chinese in each context
        translated = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if not e.msgid_plural}
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if not e.msgid_plural}
        missing = [m for m, s in translated.items() if compiled.get(m) != s]
        assert not missing, f"{mo_path} is stale: {missing[:5]}"


@pytest.mark.django_db
def test_pages_render_in_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body


#: messages translated differently by two catalogues when this test was written — each shows the
#: translation of the first catalogue that has it (the project's, then the apps' in INSTALLED_APPS
#: order) on every page. Give the losing app's use a message context (``pgettext``) and remove the
#: message here; never add one.
KNOWN_COLLISIONS = {
    "Add",
    "Category",
    "Expenses",
    "Figure",
    "ID number shown",
    "Item",
    "None.",
    "Nothing recorded",
    "Only a file without errors can be imported.",
    "Overdue",
    "Period",
    "Show",
    "This belongs to another school.",
    "This import is already being imported.",
    "Vehicles",
    "You are not a member of any school.",
    "You may not see ID numbers.",
    "active",
    "approved by",
    "assigned",
    "category",
    "checklist",
    "corrects",
    "description",
    "equipment",
    "escalated",
    "failed items",
    "figures",
    "from",
    "in use",
    "item",
    "items",
    "kind",
    "level",
    "never",
    "notes",
    "published by",
    "purpose",
    "rating",
    "reason",
    "reversed",
    "reversed by",
    "students",
    "unknown room “%(value)s”",
    "until",
    "what changed",
    "what is wrong",
    "withdrawn",
    "“%(value)s” appears twice in the file (also in row %(other)s)",
    "“%(value)s” matches several rooms; add the building",
}


def test_no_new_message_translated_two_ways():
    """A message (msgid without context) translated one way in one catalogue and another way in another
    shows only one of them everywhere: a new one must get a context in the app whose meaning differs."""
    translations = {}
    for path in catalogues(ROOT):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr or entry.msgctxt is not None:
                continue
            translations.setdefault(entry.msgid, {})[path.relative_to(ROOT).parts[0]] = entry.msgstr
    found = {msgid: where for msgid, where in translations.items() if len(set(where.values())) > 1}
    new = {msgid: where for msgid, where in found.items() if msgid not in KNOWN_COLLISIONS}
    assert not new, f"translated two ways (add a pgettext context where the meaning differs): {new}"
    fixed = KNOWN_COLLISIONS - set(found)
    assert not fixed, f"no longer translated two ways — remove from KNOWN_COLLISIONS: {sorted(fixed)}"
