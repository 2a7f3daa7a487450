"""Demo data: meters of each campus and 26 months of readings with the seasons of a school year (holidays
low, air-conditioning months high), one meter replacement, one correction and one anomaly per school —
the first school's main water meter in the month just closed, like the seed's leaking fire main
(“根据每月水费对比，对11月份偏高的水费，疑有漏水情况”). Idempotent."""

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from logistics.tenancy.models import Building, Campus
from logistics.workflow import guard

from . import services
from .choices import MeterKind
from .models import Meter, MeterReading

MONTHS = 26
#: relative use per calendar month (winter and summer holidays low)
SEASON = {
    MeterKind.WATER: [0.55, 0.45, 1.0, 1.05, 1.1, 1.15, 0.5, 0.4, 1.1, 1.05, 1.0, 0.95],
    MeterKind.ELECTRICITY: [0.9, 0.6, 0.9, 0.95, 1.0, 1.2, 0.7, 0.6, 1.15, 1.0, 0.95, 1.1],
    MeterKind.GAS: [0.7, 0.3, 1.0, 1.0, 1.0, 1.0, 0.3, 0.2, 1.0, 1.0, 1.0, 1.05],
}


def _meters(school):
    campuses = list(Campus.objects.filter(school=school).order_by("pk"))
    buildings = {b.name: b for b in Building.objects.filter(school=school)}
    rows = []
    for index, campus in enumerate(campuses):
        prefix = "" if index == 0 else campus.name
        rows.append((MeterKind.WATER, f"{prefix}总水表", campus, None, 1800))
        rows.append((MeterKind.ELECTRICITY, f"{prefix}总电表", campus, None, 42000))
        if index == 0:
            rows.append((MeterKind.WATER, "宿舍楼水表", campus, buildings.get("宿舍楼"), 900))
            rows.append((MeterKind.GAS, "食堂燃气表", campus, buildings.get("食堂"), 2600))
    meters = []
    for number, (kind, name, campus, building, base) in enumerate(rows, start=1):
        meter, _created = Meter.objects.get_or_create(
            school=school,
            campus=campus,
            name=name,
            defaults={"kind": kind, "building": building, "number": f"{school.code or school.pk}-{number:03d}"},
        )
        meters.append((meter, base))
    return meters


def seed(school, users, scale, rng):
    if MeterReading.objects.filter(school=school).exists():
        return
    staff = users.get("logistics_staff") or users.get("logistics_head")
    head = users.get("logistics_head") or staff
    if staff is None:
        return
    end = services.last_month()
    months = services.months_back(end, MONTHS)
    first_school = school.slug.endswith("-1")  # demo-1 and demo-2 get different anomalies
    today = timezone.localdate()
    typo = None
    for m_index, (meter, base) in enumerate(_meters(school)):
        value = Decimal(rng.randint(10_000, 90_000))
        for i, month in enumerate(months):
            use = Decimal(base * SEASON[meter.kind][month.month - 1] * rng.uniform(0.92, 1.08)).quantize(Decimal("1"))
            replacement, reason = False, ""
            if first_school and m_index == 0 and month == end:
                use = (use * Decimal("2.3")).quantize(Decimal("1"))  # the leaking fire main
            if not first_school and meter.kind == MeterKind.ELECTRICITY and i == MONTHS - 4:
                use = (use * Decimal("3")).quantize(Decimal("1"))  # air-conditioners left on over the holiday
            if meter.kind == MeterKind.ELECTRICITY and i == MONTHS - 10:
                value, replacement, reason = Decimal(0), True, "旧表损坏，更换新电表，新表从0起"
            value = value + use
            read_on = min(month + relativedelta(months=1), today)
            typed = value
            if meter.kind == MeterKind.GAS and i == MONTHS - 3:
                typed = value + 90  # one digit misread; corrected below
            reading = services.record_reading(
                meter,
                staff,
                month,
                read_on,
                value=typed,
                consumption=use if replacement else None,
                replacement=replacement,
                reason=reason,
            )
            if typed != value:
                typo = (reading, value)
    if typo is not None:  # the correction keeps the misread value and the reason; the next month follows
        reading, right = typo
        guard.run(reading, "correct", head, value=right, reason="复核表盘，抄表时看错一位")
