"""Every choice label of every app is translated into zh-hans in its own message context.

Django merges all catalogues of a language into one, so a plain msgid used by two apps has ONE Chinese
text: whichever catalogue comes first wins (issue 7: a stock-take "In progress" showed as 维修中, the
repair status; a low consumable stock showed as 不急, the repair urgency). Hence CONVENTIONS.md § Style:
choice labels carry a context per domain and field, ``pgettext_lazy("stocktake status", "In progress")``.

Checked for every ``django.db.models.Choices`` subclass defined in any module of the project's apps
(platform and domain apps alike, found by walking their packages — a new class is checked without being
listed here):

- the label is a ``pgettext_lazy`` (a plain ``gettext_lazy`` label has no context and fails);
- the (context, msgid) key is in the compiled catalogue of the app that defines the class — otherwise
  ``pgettext`` silently falls back to the context-less msgid, i.e. to whatever another domain made of it;
- the zh-hans text is a real translation (not the English), and the one the merged catalogue serves;
- no other catalogue defines the same key with another text, and a context belongs to one app only.
"""

import importlib
import inspect
import pkgutil
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

ROOT = Path(settings.BASE_DIR).resolve()
PROJECT_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans/LC_MESSAGES/django.mo"

#: the type of a ``pgettext_lazy(...)`` proxy (each ``lazy()`` function has its own proxy class)
PGETTEXT_PROXY = type(pgettext_lazy("", ""))

#: (context, msgid) of labels whose Chinese is intentionally the English text (codes, brand names)
SAME_IN_CHINESE: set[tuple[str, str]] = set()


def project_apps():
    """The app configs whose code is in this repository (not Django's, not third parties')."""
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and not {".venv", "site-packages"} & set(path.parts):
            yield config


def catalogue_of(config):
    """The compiled catalogue an app's messages belong in: its own ``locale/``, else the project's."""
    own = Path(config.path) / "locale/zh_Hans/LC_MESSAGES/django.mo"
    return own if own.parent.parent.parent.is_dir() else PROJECT_CATALOGUE


def choices_classes():
    """(app config, class) for every Choices subclass defined in a module of a project app."""
    found = []
    for config in project_apps():
        package = importlib.import_module(config.name)
        names = [config.name]
        names += [m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}.")]
        for name in names:
            if ".migrations" in name or ".tests" in name:
                continue
            module = importlib.import_module(name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, models.Choices) and value.__module__ == module.__name__:
                    found.append((config, value))
    return found


def compiled_catalogues():
    """{path of a .mo: {(context, msgid): Chinese}} for every zh-hans catalogue of the project."""
    paths = {PROJECT_CATALOGUE} | {catalogue_of(config) for config in project_apps()}
    return {
        path: {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(path)) if not e.msgid_plural}
        for path in paths
        if path.exists()
    }


def context_and_msgid(label):
    """(context, msgid) of a ``pgettext_lazy`` label, or None for any other kind of label."""
    if type(label) is not PGETTEXT_PROXY:
        return None
    context, msgid = label._args
    return context, msgid


def label_problems(cls, own_catalogue, catalogues):
    """What is wrong with the zh-hans labels of one choices class (empty when all is well)."""
    problems = []
    where = f"{cls.__module__}.{cls.__qualname__}"
    for member in cls:
        label = member.label
        key = context_and_msgid(label)
        if key is None:
            problems.append(f"{where}.{member.name}: label {str(label)!r} has no message context (pgettext_lazy)")
            continue
        with translation.override("zh-hans"):
            shown = str(label)
        context, msgid = key
        if shown == msgid and key not in SAME_IN_CHINESE:
            problems.append(f"{where}.{member.name}: {context!r} {msgid!r} is not translated")
        own = catalogues.get(own_catalogue, {})
        elsewhere = sorted(str(path.relative_to(ROOT)) for path, entries in catalogues.items() if key in entries)
        if key not in own:
            source = f"from {', '.join(elsewhere)}" if elsewhere else f"from the context-less {msgid!r}"
            problems.append(
                f"{where}.{member.name}: {context!r} {msgid!r} is not in {own_catalogue.relative_to(ROOT)}; "
                f"{shown!r} comes {source}"
            )
            continue
        if own[key] != shown:
            problems.append(f"{where}.{member.name}: {context!r} {msgid!r} shows {shown!r}, not {own[key]!r}")
        for path, entries in catalogues.items():
            if path != own_catalogue and key in entries and entries[key] != own[key]:
                problems.append(
                    f"{where}.{member.name}: {context!r} {msgid!r} is also {entries[key]!r} in "
                    f"{path.relative_to(ROOT)}; one context, one Chinese text"
                )
    return problems


@pytest.fixture(scope="module")
def catalogues():
    return compiled_catalogues()


def test_the_choices_classes_are_found():
    names = {f"{cls.__module__}.{cls.__qualname__}" for _config, cls in choices_classes()}
    for expected in (
        "repairs.choices.TicketStatus",
        "repairs.choices.Urgency",
        "assets.choices.StockTakeStatus",
        "assets.choices.AssetStatus",
        "logistics.accounts.roles.Role",
        "logistics.tenancy.models.RoomKind",
        "logistics.audit.models.ChangeAction",
    ):
        assert expected in names, f"{expected} not found among {sorted(names)}"


def test_every_choice_label_is_translated_in_its_own_context(catalogues):
    problems = []
    for config, cls in choices_classes():
        problems += label_problems(cls, catalogue_of(config), catalogues)
    assert not problems, "\n".join(problems)


def test_a_context_belongs_to_one_app():
    """Contexts are per domain: two apps sharing one would share its Chinese again."""
    owners = defaultdict(set)
    for config, cls in choices_classes():
        for member in cls:
            key = context_and_msgid(member.label)
            if key:
                owners[key[0]].add(config.label)
    shared = {context: sorted(labels) for context, labels in owners.items() if len(labels) > 1}
    assert not shared, f"contexts used by more than one app: {shared}"


@pytest.mark.parametrize(
    "context, msgid, chinese",
    [
        ("stocktake status", "In progress", "盘点中"),
        ("repair ticket status", "In progress", "维修中"),
        ("consumable stock level", "Low", "库存不足"),  # assets/tables.py, the consumables list's alert
        ("repair urgency", "Low", "不急"),
        ("asset movement", "Disposed", "处置"),
        ("asset status", "Disposed", "已处置"),
    ],
)
def test_the_collisions_of_issue_7_stay_apart(context, msgid, chinese, catalogues):
    with translation.override("zh-hans"):
        assert pgettext(context, msgid) == chinese
    assert any(entries.get((context, msgid)) == chinese for entries in catalogues.values()), (
        f"({context!r}, {msgid!r}) is not a catalogue entry of its own"
    )


# The checker itself: a class written the old way, or with a context nobody translated, is caught.


class PlainLabels(models.TextChoices):
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    UNLABELLED = "unlabelled"


class UntranslatedContext(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("canteen sample status", "In progress")


def test_the_checker_catches_plain_labels(catalogues):
    problems = label_problems(PlainLabels, PROJECT_CATALOGUE, catalogues)
    assert len(problems) == 2
    assert all("no message context" in p for p in problems)


def test_the_checker_catches_a_context_without_its_entry(catalogues):
    problems = label_problems(UntranslatedContext, PROJECT_CATALOGUE, catalogues)
    assert any("is not translated" in p for p in problems)
    assert any("comes from the context-less" in p for p in problems)
