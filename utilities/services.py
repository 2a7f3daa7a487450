"""The business actions of the utilities app: recording a month's reading, correcting one, and the
anomaly check ("a month above the usual") — the only places readings change."""

import datetime
from decimal import Decimal
from statistics import median

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.tenancy import rules
from logistics.workflow.guard import StepResult

from .models import Meter, MeterReading, ReadingCorrection, month_start
from .settings_rules import ANOMALY_FACTOR

#: months of recent history in the usual (the issue: "the median of the same month in past years and of
#: the last 6 months")
RECENT_MONTHS = 6
#: how many past months are needed before a month is judged at all (fewer: no usual, never flagged)
MIN_SAMPLES = 3


def factor(school):
    """The threshold factor of rule ``utilities.anomaly_factor`` for ``school`` (default 1.5)."""
    return Decimal(str(rules.value(school, ANOMALY_FACTOR)))


def usual_use(history, month):
    """The usual use of ``month``: the median of the same month in every past year and of the 6 months
    before it, among the months of ``history`` (``{month: use}``) that have a use. ``None`` with fewer
    than :data:`MIN_SAMPLES` of them (a new meter is not judged)."""
    samples = []
    past = [m for m in history if m < month]
    if past:
        earliest = min(past)
        year = month - relativedelta(years=1)
        while year >= earliest:
            if history.get(year) is not None:
                samples.append(history[year])
            year -= relativedelta(years=1)
    for back in range(1, RECENT_MONTHS + 1):
        recent = month - relativedelta(months=back)
        if recent.month == month.month:
            continue  # already counted as the same month of a past year
        if history.get(recent) is not None:
            samples.append(history[recent])
    if len(samples) < MIN_SAMPLES:
        return None
    return Decimal(median(samples)).quantize(Decimal("0.01"))


def is_above_usual(use, usual, threshold):
    """The rule: a month is flagged when its use is **strictly above** ``threshold`` × the usual. Exactly
    the threshold is not flagged; a meter whose usual use is zero (or unknown) is not judged."""
    if use is None or usual is None or usual <= 0:
        return False
    return use > usual * threshold


def assess(reading):
    """Set ``reading.usual`` and ``reading.flagged`` from the meter's other months (not saved)."""
    history = dict(
        MeterReading.objects.filter(meter_id=reading.meter_id, month__lt=reading.month).values_list(
            "month", "consumption"
        )
    )
    reading.usual = usual_use(history, reading.month)
    reading.flagged = is_above_usual(reading.consumption, reading.usual, factor(reading.school))
    return reading


def fmt_number(value):
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value is not None else "—"


def month_use(previous_value, previous_month, value, consumption, replacement, reason):
    """The month's use from what was entered, or ``ValidationError`` naming the field.

    - a meter value is compared with the previous one: lower is refused unless the meter was replaced or
      rolled over (with a reason); the use is the difference, or — after a replacement — the use entered,
      else the new meter's value (it started from zero);
    - without a previous value (the first reading, or a meter read from the bill) the use is the one
      entered (none: the first reading is the starting point).
    """
    if value is None and consumption is None:
        raise ValidationError({"value": _("Enter the meter value or the month's use.")})
    if replacement and not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the value is lower: the meter was replaced or rolled over.")})
    if consumption is not None and consumption < 0:
        raise ValidationError({"consumption": _("The use cannot be negative.")})
    if value is None or previous_value is None:
        return consumption
    if replacement:
        return consumption if consumption is not None else value
    if value < previous_value:
        raise ValidationError(
            {
                "value": _(
                    "The meter value %(value)s is lower than the previous reading %(previous)s (%(month)s). "
                    "If the meter was replaced or rolled over, mark it so and give the reason."
                )
                % {
                    "value": fmt_number(value),
                    "previous": fmt_number(previous_value),
                    "month": f"{previous_month:%Y-%m}",
                }
            }
        )
    difference = value - previous_value
    if consumption is not None and consumption != difference:
        raise ValidationError(
            {
                "consumption": _(
                    "The use %(use)s does not match the meter values (%(difference)s since the previous "
                    "reading); enter only one of them."
                )
                % {"use": fmt_number(consumption), "difference": fmt_number(difference)}
            }
        )
    return difference


def previous_with_value(meter_id, month):
    return (
        MeterReading.objects.filter(meter_id=meter_id, month__lt=month, value__isnull=False).order_by("-month").first()
    )


def record_reading(meter, actor, month, read_on, value=None, consumption=None, replacement=False, reason=""):
    """Record ``meter``'s reading for ``month`` as ``actor`` (one per meter and month, in month order).

    Refuses, with a message on the field: an inactive meter; a month in the future or already read; a
    month before one already read (correct that one instead); a reading date before the month; a value
    lower than the previous one without a replacement and its reason.
    """
    month = month_start(month)
    today = timezone.localdate()
    if month > month_start(today):
        raise ValidationError({"month": _("This month has not begun yet.")})
    if read_on < month:
        raise ValidationError({"read_on": _("The reading date cannot be before the month it is for.")})
    if read_on > today:
        raise ValidationError({"read_on": _("The reading date cannot be in the future.")})
    with transaction.atomic():
        meter = Meter.objects.select_for_update().get(pk=meter.pk)
        if not meter.active:
            raise ValidationError({"meter": _("This meter is no longer in use.")})
        if MeterReading.objects.filter(meter=meter, month=month).exists():
            raise ValidationError(
                {
                    "month": _("%(meter)s already has a reading for %(month)s; correct that one instead.")
                    % {"meter": meter, "month": f"{month:%Y-%m}"}
                }
            )
        later = MeterReading.objects.filter(meter=meter, month__gt=month).order_by("month").first()
        if later is not None:
            raise ValidationError(
                {
                    "month": _("%(meter)s already has a reading for the later month %(month)s.")
                    % {"meter": meter, "month": f"{later.month:%Y-%m}"}
                }
            )
        previous = previous_with_value(meter.pk, month)
        use = month_use(
            previous.value if previous else None,
            previous.month if previous else None,
            value,
            consumption,
            replacement,
            reason,
        )
        reading = MeterReading(
            school_id=meter.school_id,
            meter=meter,
            month=month,
            read_on=read_on,
            value=value,
            consumption=use,
            replacement=replacement,
            reason=(reason or "").strip() if replacement else "",
            entered_by=actor,
            created_by=actor,
        )
        assess(reading)
        reading.save()
    return reading


def correct_reading(reading, actor, reason, value=None, consumption=None, replacement=False):
    """The ``correct`` step's service: new figures for ``reading`` (locked by the guard) with a reason.

    The figures before and after and the reason are kept as a :class:`ReadingCorrection`; the same checks
    as a new reading apply (against the previous month and the next one); when the next month's use was
    computed from this value, the next reading is corrected too (its own correction, naming this one).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reading is corrected.")})
    previous = previous_with_value(reading.meter_id, reading.month)
    use = month_use(
        previous.value if previous else None,
        previous.month if previous else None,
        value,
        consumption,
        replacement,
        reason,
    )
    following = (
        MeterReading.objects.select_for_update()
        .filter(meter_id=reading.meter_id, month__gt=reading.month)
        .order_by("month")
        .first()
    )
    follow = (
        following is not None
        and following.value is not None
        and not following.replacement
        and value is not None
        and following.value - value != following.consumption
    )
    if follow and following.value < value:
        raise ValidationError(
            {
                "value": _("The meter value %(value)s is higher than the next reading %(next)s (%(month)s).")
                % {"value": fmt_number(value), "next": fmt_number(following.value), "month": f"{following.month:%Y-%m}"}
            }
        )
    if (value, use, replacement) == (reading.value, reading.consumption, reading.replacement):
        raise ValidationError({"value": _("Nothing to correct: the figures are the same as recorded.")})
    old_use = reading.consumption
    ReadingCorrection.objects.create(
        school_id=reading.school_id,
        reading=reading,
        old_value=reading.value,
        old_consumption=reading.consumption,
        new_value=value,
        new_consumption=use,
        reason=reason,
        corrected_by=actor,
        created_by=actor,
    )
    reading.value, reading.consumption, reading.replacement = value, use, replacement
    reading.reason = reason if replacement else ""
    assess(reading)
    reading.save()  # the next month's use is computed from this value
    if follow:
        from logistics.workflow import guard  # the next reading goes through the same step

        guard.run(
            following,
            "correct",
            actor,
            value=following.value,
            reason=_("Follows the correction of %(month)s: %(reason)s")
            % {"month": f"{reading.month:%Y-%m}", "reason": reason},
        )
    return StepResult(
        message=_("Corrected: use %(old)s → %(new)s (%(reason)s)")
        % {"old": fmt_number(old_use), "new": fmt_number(use), "reason": reason},
        data={"reason": reason, "old_use": str(old_use) if old_use is not None else None},
    )


def readings_for_entry(meters, month):
    """For the month's entry form: each meter with its reading of ``month`` (if any) and the previous
    reading that has a value — three queries whatever the number of meters."""
    meters = list(meters)
    ids = [m.pk for m in meters]
    done = {r.meter_id: r for r in MeterReading.objects.filter(meter_id__in=ids, month=month)}
    previous = {}
    for row in (
        MeterReading.objects.filter(meter_id__in=ids, month__lt=month, value__isnull=False)
        .order_by("meter_id", "-month")
        .distinct("meter_id")
        if _supports_distinct_on()
        else MeterReading.objects.filter(meter_id__in=ids, month__lt=month, value__isnull=False).order_by("-month")
    ):
        previous.setdefault(row.meter_id, row)
    return [(meter, done.get(meter.pk), previous.get(meter.pk)) for meter in meters]


def _supports_distinct_on():
    from django.db import connection

    return connection.features.can_distinct_on_fields


def last_month(today=None):
    """The month most recently closed (readings of November are taken at the start of December)."""
    today = today or timezone.localdate()
    return month_start(today) - relativedelta(months=1)


def months_back(month, n):
    """The ``n`` months ending with ``month``, oldest first."""
    return [month - relativedelta(months=back) for back in range(n - 1, -1, -1)]


def parse_month(text, default=None):
    """``2026-11`` → 2026-11-01; ``default`` when empty or not a month."""
    try:
        year, mon = (int(part) for part in str(text).split("-")[:2])
        return datetime.date(year, mon, 1)
    except (TypeError, ValueError):
        return default
