"""Corrections with a reason (更正): a typo in a canteen record — a sample's weight, a disinfection's
values, a cold reading — is corrected by the canteen manager with a reason; the original values, the
reason, who and when stay on the record (``Correction``) and on its timeline. The corrected values pass
the same rules as a new entry: a sample corrected below the minimum weight is refused, a disinfection is
re-checked against its method's range (flagged, never silently accepted), and a reading corrected out of
the cold-chain range is refused (a new reading opens its episode and corrective action).

The same mechanism corrects a morning check (晨检: a symptom ticked by mistake, a temperature typed
wrong) — its duty is decided again exactly as for a new check, so a correction that makes the person unfit
takes them off duty — and a delivery line's figures (quantity, unit, spec, dates, batch, price). A line's
inspection decision (accepted / rejected, its reason, disposal and inspectors), its product and its
category are not correctable: they are what the inspectors decided on (docs/canteen.md § Corrections)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event

from . import cold, health, services, supply
from .choices import LineDecision
from .models import ColdReading, Correction, DeliveryLine, Disinfection, FoodSample, MorningCheck
from .models.health import SYMPTOMS

#: the fields of each record a correction may change
CORRECTABLE = {
    FoodSample: ("weight_grams", "container"),
    Disinfection: ("method", "temperature", "minutes", "concentration"),
    ColdReading: ("celsius",),
    MorningCheck: ("temperature", *SYMPTOMS, "note"),
    DeliveryLine: (
        "quantity",
        "unit",
        "spec",
        "production_date",
        "batch",
        "shelf_life_days",
        "expiry_date",
        "price",
    ),
}

#: the ``kind`` of each corrected model in the corrections page's address
KINDS = {model._meta.model_name: model for model in CORRECTABLE}


def _display(obj, name, value):
    field = obj._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def display(obj, name):
    """``obj``'s value of field ``name`` as a page shows it (labels, 是/否, dates; never codes)."""
    return _display(obj, name, getattr(obj, name))


def _normalise(obj, name, value):
    field = obj._meta.get_field(name)
    if value in ("", None):
        return None if field.null else ""
    if field.get_internal_type() == "DecimalField":
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError({name: _("Enter a number.")}) from exc
    if field.get_internal_type() == "BooleanField":
        return bool(value)
    if field.get_internal_type() == "PositiveIntegerField":
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError({name: _("Enter a whole number.")}) from exc
    return value


def _check(record, before):
    """Check the corrected ``record`` against the rules of a new entry (``before``: the record as it
    was); returns the derived changes (a morning check's duty) to show beside the corrected values."""
    if isinstance(record, FoodSample):
        services.check_weight(record.school, record.weight_grams)
    elif isinstance(record, ColdReading):
        low, high = cold.limits(record.school)
        in_range = low <= record.celsius <= high
        if before.in_range and not in_range:
            raise ValidationError(
                {
                    "celsius": _(
                        "%(t)s °C is outside %(low)s–%(high)s °C: record it as a new reading, so that its episode "
                        "and corrective action open."
                    )
                    % {"t": record.celsius, "low": low, "high": high}
                }
            )
        record.in_range = in_range
    elif isinstance(record, Disinfection):
        record.validate_constraints(exclude=["school"])
    elif isinstance(record, MorningCheck):
        try:
            _validate(record)
        except ValidationError as exc:  # the one constraint of a check's values is its temperature range
            raise ValidationError({"temperature": exc.messages}) from exc
        health.assess(record)
        if record.on_duty != before.on_duty:
            label = str(record._meta.get_field("on_duty").verbose_name)
            return [
                {
                    "field": "on_duty",
                    "label": label,
                    "old": _display(record, "on_duty", before.on_duty),
                    "new": _display(record, "on_duty", record.on_duty),
                    "derived": True,
                }
            ]
    elif isinstance(record, DeliveryLine):
        _validate(record, full=True)
        delivery = record.delivery
        best_before = record.best_before
        if record.decision == LineDecision.ACCEPTED and best_before is not None and best_before < delivery.delivered_on:
            raise ValidationError(
                {
                    "expiry_date": _(
                        "With this date %(product)s would have expired on %(date)s, before it arrived on %(day)s: "
                        "an accepted line cannot be corrected past its expiry."
                    )
                    % {
                        "product": record.product,
                        "date": best_before.strftime("%Y-%m-%d"),
                        "day": delivery.delivered_on.strftime("%Y-%m-%d"),
                    }
                }
            )
    return []


def _validate(record, full=False):
    """The model's own rules (its constraints; with ``full`` its fields too)."""
    if full:
        record.full_clean(exclude=["school", "delivery", "category"])
    else:
        record.validate_constraints(exclude=["school"])


def _after(record, before, actor):
    """What follows a correction: a delivery's retention is computed again from its lines — never
    shortened by a correction (the record stays at least as long as it was promised to)."""
    if isinstance(record, DeliveryLine):
        delivery = record.delivery
        kept = supply.retention_date(delivery)
        if delivery.retain_until is None or (kept and kept > delivery.retain_until):
            delivery.retain_until = kept
            delivery.updated_by = actor
            delivery.save()


def timeline_of(record):
    """Where the correction is told: a delivery line's on its delivery (the page it is read on)."""
    return record.delivery if isinstance(record, DeliveryLine) else record


def correct(record, actor, reason, **values):
    """Correct ``record``'s ``values`` (only its ``CORRECTABLE`` fields) for ``reason``; returns the
    ``Correction``. Refused without a reason, when nothing changes, or when the new values break a rule."""
    model = type(record)
    allowed = CORRECTABLE.get(model)
    if allowed is None:
        raise ValidationError(_("This record cannot be corrected."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(_("These values cannot be corrected."))
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("school").get(pk=record.pk)
        before = model(**{f.attname: getattr(locked, f.attname) for f in model._meta.concrete_fields})
        changes = []
        for name in allowed:
            if name not in values:
                continue
            new = _normalise(locked, name, values[name])
            old = getattr(locked, name)
            if new != old:
                changes.append(
                    {
                        "field": name,
                        "label": str(locked._meta.get_field(name).verbose_name),
                        "old": _display(locked, name, old),
                        "new": _display(locked, name, new),
                    }
                )
                setattr(locked, name, new)
        if not changes:
            raise ValidationError(_("Nothing was changed: the values are the same as recorded."))
        changes += _check(locked, before)
        locked.updated_by = actor
        locked.save()
        _after(locked, before, actor)
        correction = Correction.objects.create(
            school=locked.school,
            content_type=ContentType.objects.get_for_model(model),
            object_id=locked.pk,
            changes=changes,
            reason=reason,
            corrected_by=actor,
            created_by=actor,
        )
        told = timeline_of(locked)
        what = correction.summary
        if told is not locked:
            what = f"{locked}：{what}"
        record_event(
            told,
            f"{model._meta.model_name}.corrected",
            _("Corrected: %(what)s (%(reason)s)") % {"what": what, "reason": reason},
            {"changes": changes, "reason": reason, "record": locked.pk},
        )
    return correction


def corrections_of(record):
    """The corrections of ``record``, newest first (one query)."""
    return list(
        Correction.objects.filter(
            school_id=record.school_id,
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
        )
        .select_related("corrected_by")
        .order_by("-corrected_at", "-pk")
    )


def corrections_by_record(model, school, ids):
    """{record id: [corrections, newest first]} of ``model``'s records ``ids`` (one query, for a page
    that shows several records — a delivery's lines)."""
    found = {}
    for correction in (
        Correction.objects.filter(
            school=school, content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids)
        )
        .select_related("corrected_by")
        .order_by("-corrected_at", "-pk")
    ):
        found.setdefault(correction.object_id, []).append(correction)
    return found


def corrected_ids(model, school, ids):
    """The ids among ``ids`` of ``model`` that have a correction (one query, for a list's badge)."""
    return set(
        Correction.objects.filter(
            school=school, content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids)
        ).values_list("object_id", flat=True)
    )
