"""Meters and their history for the utilities tests."""

import datetime
from decimal import Decimal

from utilities import services
from utilities.choices import MeterKind
from utilities.models import Meter, MeterReading

from ..factories import CampusFactory


def make_meter(school, kind=MeterKind.WATER, name=None, campus=None, **fields):
    campus = campus or CampusFactory(school=school)
    n = Meter.objects.filter(school=school).count() + 1
    return Meter.objects.create(school=school, campus=campus, kind=kind, name=name or f"水表{n}", **fields)


def add_history(meter, user, uses, end=None, start_value=Decimal("1000")):
    """Readings of consecutive months ending with ``end`` (default: last month) with the given uses,
    written directly (fast; ``usual``/``flagged`` are computed as the service does)."""
    end = end or services.last_month()
    months = services.months_back(end, len(uses))
    value = start_value
    rows = []
    for month, use in zip(months, uses, strict=True):
        value += Decimal(use)
        reading = MeterReading(
            school_id=meter.school_id,
            meter=meter,
            month=month,
            read_on=month + datetime.timedelta(days=27),
            value=value,
            consumption=Decimal(use),
            entered_by=user,
        )
        services.assess(reading)
        reading.save()
        rows.append(reading)
    return rows
