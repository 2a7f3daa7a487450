"""Corrections with a reason (更正): a typo in a canteen record — a sample's weight, a disinfection's
values, a cold reading — is corrected by the canteen manager with a reason; the original values, the
reason, who and when stay on the record (``Correction``) and on its timeline. The corrected values pass
the same rules as a new entry: a sample corrected below the minimum weight is refused, a disinfection is
re-checked against its method's range (flagged, never silently accepted), and a reading corrected out of
the cold-chain range is refused (a new reading opens its episode and corrective action)."""

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from logistics.audit.recorder import record_event

from . import cold, services
from .models import ColdReading, Correction, Disinfection, FoodSample

#: the fields of each record a correction may change
CORRECTABLE = {
    FoodSample: ("weight_grams", "container"),
    Disinfection: ("method", "temperature", "minutes", "concentration"),
    ColdReading: ("celsius",),
}


def _display(obj, name, value):
    field = obj._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _normalise(obj, name, value):
    field = obj._meta.get_field(name)
    if value in ("", None):
        return None if field.null else ""
    if field.get_internal_type() == "DecimalField":
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError({name: _("Enter a number.")}) from exc
    if field.get_internal_type() == "PositiveIntegerField":
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError({name: _("Enter a whole number.")}) from exc
    return value


def _check(record, before_in_range):
    if isinstance(record, FoodSample):
        services.check_weight(record.school, record.weight_grams)
    elif isinstance(record, ColdReading):
        low, high = cold.limits(record.school)
        in_range = low <= record.celsius <= high
        if before_in_range and not in_range:
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
        before_in_range = getattr(record, "in_range", True)
        _check(locked, before_in_range)
        locked.updated_by = actor
        locked.save()
        correction = Correction.objects.create(
            school=locked.school,
            content_type=ContentType.objects.get_for_model(model),
            object_id=locked.pk,
            changes=changes,
            reason=reason,
            corrected_by=actor,
            created_by=actor,
        )
        record_event(
            locked,
            f"{model._meta.model_name}.corrected",
            _("Corrected: %(what)s (%(reason)s)") % {"what": correction.summary, "reason": reason},
            {"changes": changes, "reason": reason},
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


def corrected_ids(model, school, ids):
    """The ids among ``ids`` of ``model`` that have a correction (one query, for a list's badge)."""
    return set(
        Correction.objects.filter(
            school=school, content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids)
        ).values_list("object_id", flat=True)
    )
