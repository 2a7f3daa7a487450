"""Safety inspections: the checklist of a kind, when each piece is due, and recording an inspection —
a failed item raises one hazard (the platform's corrective action), linked both ways.

Intervals are rules with numbers (``safety.equipment_inspection_days`` 30 for fire and safety equipment,
``safety.dormitory_check_days`` and ``safety.cctv_review_days`` 1), overridden per piece by
``Equipment.interval_days``. A piece is *due* on the day its interval ends and *overdue* from the day after.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DateField, F, Func, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts import permissions
from logistics.corrective.photos import attach_photo
from logistics.corrective.services import open_action
from logistics.tenancy import rules

from . import settings_rules as keys
from .checklists import DEFAULTS
from .choices import DueState, EquipmentKind, InspectionResult
from .models import Checklist, Equipment, Inspection, InspectionItem

K = EquipmentKind

#: the rule that sets each kind's interval (every other kind: the equipment rule)
KIND_RULES = {K.DORMITORY: keys.DORMITORY_CHECK_DAYS, K.CCTV: keys.CCTV_REVIEW_DAYS}


def checklist_for(school, kind):
    """The items to check on a piece of ``kind``: the school's own checklist, else the built-in one."""
    own = Checklist.objects.filter(school=school, kind=kind).values_list("items", flat=True).first()
    if own:
        items = [line.strip() for line in own.splitlines() if line.strip()]
        if items:
            return items
    return [str(item) for item in DEFAULTS.get(kind, DEFAULTS[K.OTHER])]


def intervals(school):
    """{kind: days} for the school (from its rules)."""
    equipment = rules.value(school, keys.EQUIPMENT_INSPECTION_DAYS)
    result = {kind: equipment for kind in K.values}
    for kind, key in KIND_RULES.items():
        result[kind] = rules.value(school, key)
    return result


def interval_of(equipment, by_kind):
    return equipment.interval_days or by_kind[equipment.kind]


class AddDays(Func):
    """``date + n days`` in SQL, on PostgreSQL and SQLite alike (SQLite cannot multiply an interval)."""

    output_field = DateField()

    def __init__(self, date, days):
        super().__init__(date, days, output_field=DateField())

    def as_sql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            return f"date({date_sql}, '+' || ({days_sql}) || ' days')", (*date_params, *days_params)
        return f"(({date_sql}) + ({days_sql}) * INTERVAL '1 day')::date", (*date_params, *days_params)


def annotate_due(queryset, school):
    """Adds ``next_due`` (a date) to each row: the last inspection's local day plus the interval of the
    piece (its own, else its kind's rule); never inspected: the day it was registered. One expression,
    so the due page filters and sorts in the database."""
    by_kind = intervals(school)
    days = Coalesce(
        F("interval_days"),
        Case(*[When(kind=kind, then=Value(n)) for kind, n in by_kind.items()], default=Value(30)),
    )
    tz = timezone.get_current_timezone()
    last_day = TruncDate("last_inspected_at", tzinfo=tz)
    return queryset.annotate(
        next_due=Case(
            When(last_inspected_at__isnull=True, then=TruncDate("created", tzinfo=tz)),
            default=AddDays(last_day, days),
            output_field=DateField(),
        )
    )


def due_state(next_due, today=None):
    today = today or timezone.localdate()
    if next_due < today:
        return DueState.OVERDUE
    if next_due == today:
        return DueState.DUE
    return DueState.OK


def due_queryset(school, today=None, within_days=0):
    """The school's equipment in use whose inspection is due by ``today + within_days`` (overdue first)."""
    today = today or timezone.localdate()
    return (
        annotate_due(Equipment.objects.filter(school=school, active=True), school)
        .filter(next_due__lte=today + datetime.timedelta(days=within_days))
        .order_by("next_due", "kind", "number")
    )


def expiring_queryset(school, today=None):
    """Equipment whose refill / service date (``expires_on``) falls within the warning days or has passed."""
    today = today or timezone.localdate()
    warn = rules.value(school, keys.EXPIRY_WARNING_DAYS)
    return Equipment.objects.filter(
        school=school, active=True, expires_on__isnull=False, expires_on__lte=today + datetime.timedelta(days=warn)
    ).order_by("expires_on", "number")


def find_by_code(school, text):
    """The equipment a scanned label points to: its own label (``/safety/e/<code>/``), the asset label of
    its asset (``/assets/l/<asset code>/``), its number, or its code typed."""
    text = (text or "").strip()
    if not text:
        return None
    queryset = Equipment.objects.filter(school=school, active=True)
    if "/safety/e/" in text:
        code = text.split("/safety/e/", 1)[1].split("/", 1)[0].split("?", 1)[0]
        return queryset.filter(code=code).first()
    if "/assets/l/" in text:
        code = text.split("/assets/l/", 1)[1].split("/", 1)[0].split("?", 1)[0]
        return queryset.filter(asset__code=code).first()
    return queryset.filter(Q(code=text) | Q(number=text)).first()


def record_inspection(*, user, equipment, results, note="", photo=None, client_id=None, inspected_at=None):
    """Record an inspection of ``equipment`` by ``user``: ``results`` is one ``(passed, note)`` per item of
    the kind's checklist, in order. Each failed item raises one hazard (origin ``safety.inspection``, source
    the item; the hazard's photo is the inspection's). Sent again with the same ``client_id``: the first
    one is returned, nothing added. Returns ``(inspection, created)``."""
    school = equipment.school
    if not permissions.has_perm(user, "safety.add_inspection", school.pk):
        raise PermissionDenied(_("You may not record inspections in this school."))
    if client_id:
        existing = Inspection.objects.filter(school=school, client_id=client_id).first()
        if existing is not None:
            return existing, False
    if not equipment.active:
        raise ValidationError({"equipment": _("This equipment is no longer in use.")})
    items = checklist_for(school, equipment.kind)
    results = list(results)
    if len(results) != len(items):
        raise ValidationError(
            {"items": _("Answer each of the %(n)s items of the checklist: passed or failed.") % {"n": len(items)}}
        )
    for passed, item_note in results:
        if not passed and not (item_note or "").strip() and not (note or "").strip():
            raise ValidationError({"items": _("Say what is wrong with each failed item (a note).")})
    now = inspected_at or timezone.now()
    failed = sum(1 for passed, _note in results if not passed)
    with transaction.atomic():
        Equipment.objects.select_for_update().filter(pk=equipment.pk).first()
        if client_id and Inspection.objects.filter(school=school, client_id=client_id).exists():
            return Inspection.objects.get(school=school, client_id=client_id), False
        inspection = Inspection.objects.create(
            school=school,
            equipment=equipment,
            inspector=user,
            inspected_at=now,
            result=InspectionResult.FAILED if failed else InspectionResult.PASSED,
            failed_items=failed,
            note=(note or "").strip(),
            client_id=client_id,
        )
        if photo:
            attach_photo(inspection, photo, user, kind="inspection")
        place = equipment.room if equipment.room_id else (equipment.spot or str(equipment))
        for position, (text, (passed, item_note)) in enumerate(zip(items, results, strict=True), start=1):
            item = InspectionItem.objects.create(
                school=school,
                inspection=inspection,
                position=position,
                text=text[:200],
                passed=bool(passed),
                note=(item_note or "").strip()[:300],
            )
            if not passed:
                if photo:
                    photo.seek(0)
                # the title says what is wrong (the note), else the condition not met — not the condition
                wrong = (item_note or "").strip() or _("not met: %(item)s") % {"item": text}
                action = open_action(
                    school=school,
                    actor=user,
                    origin="safety.inspection",
                    title=f"{equipment}: {wrong}"[:200],
                    description="\n".join(filter(None, [(item_note or "").strip(), inspection.note])),
                    source=item,
                    place=place,
                    level="general",  # the logistics head raises it to major when assigning
                    photos=[photo] if photo else (),
                )
                item.hazard = action
                item.save(update_fields=["hazard"])
        equipment.last_inspected_at = now
        equipment.last_result = inspection.result
        equipment.save(update_fields=["last_inspected_at", "last_result", "updated"])
    return inspection, True


def hazards_of(inspection):
    """[(item, hazard or None)] of an inspection, in order (one query)."""
    return list(inspection.items.select_related("hazard").order_by("position"))
