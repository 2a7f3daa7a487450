"""Business actions of the finance app that are not a status step: drafting a new board version,
asking guardians for consent, reminding them, reading the board in force and comparing versions."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.notifications.services import notify
from logistics.people.models import GuardianLink

from .choices import ConsentStatus, DisclosureStatus
from .models import Consent, DisclosureEntry, FeeDisclosure


def new_disclosure(school, actor, note=""):
    """Start the next version of the school's board (one in preparation at a time)."""
    with transaction.atomic():
        if FeeDisclosure.objects.filter(
            school=school, status__in=[DisclosureStatus.DRAFTED, DisclosureStatus.SUBMITTED, DisclosureStatus.APPROVED]
        ).exists():
            raise ValidationError(
                _("This school already has a version of the fee disclosure in preparation: finish that one first.")
            )
        disclosure = FeeDisclosure(school=school, note=note)
        disclosure.created_by = actor
        disclosure.save()
    return disclosure


def published_board(school):
    """The version of the board in force (published), or None."""
    return FeeDisclosure.objects.filter(school=school, status=DisclosureStatus.PUBLISHED).first()


def on_published_board(item):
    """The entry of ``item`` on the school's published board, or None (应公示而未公示的不得收费)."""
    return (
        DisclosureEntry.objects.filter(
            school_id=item.school_id, fee_item=item, disclosure__status=DisclosureStatus.PUBLISHED
        )
        .select_related("disclosure")
        .first()
    )


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class EntryChange:
    kind: str  # "added" | "removed" | "changed"
    name: str
    changes: list


def _shown(entry, name):
    field = DisclosureEntry._meta.get_field(name)
    value = getattr(entry, name)
    if field.choices:
        return str(getattr(entry, f"get_{name}_display")())
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value or "—")


def diff(before_entries, after_entries):
    """What changed between two versions of the board, in words: items added, removed, and for each
    item kept the fields whose values differ (before → after)."""
    before = {e.fee_item_id: e for e in before_entries}
    after = {e.fee_item_id: e for e in after_entries}
    result = []
    for item_id, entry in after.items():
        old = before.get(item_id)
        if old is None:
            result.append(EntryChange("added", entry.name, []))
            continue
        changes = [
            FieldChange(str(DisclosureEntry._meta.get_field(name).verbose_name), _shown(old, name), _shown(entry, name))
            for name in DisclosureEntry.compared_fields
            if getattr(old, name) != getattr(entry, name)
        ]
        if changes:
            result.append(EntryChange("changed", entry.name, changes))
    for item_id, entry in before.items():
        if item_id not in after:
            result.append(EntryChange("removed", entry.name, []))
    return result


def history(school):
    """Every published version (newest first) with what changed against the one before it."""
    versions = list(
        FeeDisclosure.objects.filter(
            school=school, status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.SUPERSEDED]
        ).order_by("-version")
    )
    entries = {}
    for entry in DisclosureEntry.objects.filter(disclosure__in=versions).order_by("category", "name"):
        entries.setdefault(entry.disclosure_id, []).append(entry)
    rows = []
    for i, version in enumerate(versions):
        older = versions[i + 1] if i + 1 < len(versions) else None
        rows.append(
            {
                "version": version,
                "entries": entries.get(version.pk, []),
                "changes": diff(entries.get(older.pk, []), entries.get(version.pk, [])) if older else None,
            }
        )
    return rows


def open_consents(item, actor):
    """Ask for consent: a pending consent for every student in the item's scope who has none yet.
    Returns how many were opened."""
    if not item.voluntary:
        raise ValidationError(_("This fee is not voluntary: no consent is asked for it."))
    if on_published_board(item) is None:
        raise ValidationError(
            _(
                "“%(item)s” is not on the published fee disclosure: publish it before asking guardians (应公示而未公示的不得收费)."
            )
            % {"item": item}
        )
    with transaction.atomic():
        have = set(Consent.objects.filter(school_id=item.school_id, fee_item=item).values_list("student_id", flat=True))
        opened = 0
        for student_id in item.students_in_scope().values_list("pk", flat=True):
            if student_id in have:
                continue
            consent = Consent(school_id=item.school_id, fee_item=item, student_id=student_id)
            consent.created_by = actor
            consent.save()
            opened += 1
    return opened


def remind_guardians(consents, actor):
    """Notify the guardians of every pending consent in ``consents`` (once per consent and day)."""
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    pending = list(consents.filter(status=ConsentStatus.PENDING).select_related("fee_item", "student"))
    links = {}
    for link in GuardianLink.objects.filter(student__in=[c.student_id for c in pending]).select_related("guardian"):
        links.setdefault(link.student_id, []).append(link.guardian)
    reminded = 0
    for consent in pending:
        guardians = links.get(consent.student_id, [])
        if not guardians:
            continue
        notify(
            guardians,
            _("Please answer: %(item)s for %(student)s") % {"item": consent.fee_item.name, "student": consent.student},
            _("The school asks whether you agree to the voluntary fee “%(item)s” (%(amount)s yuan %(unit)s).")
            % {
                "item": consent.fee_item.name,
                "amount": consent.fee_item.amount,
                "unit": consent.fee_item.get_unit_display(),
            },
            obj=consent,
            key=f"finance-consent-{consent.pk}-{today}",
        )
        reminded += 1
    return reminded
