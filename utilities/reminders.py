"""The anomaly alert: a month above the usual tells the school's logistics head once (per meter and
month), through the platform's reminder scan, with a link to the meter's chart."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.reminders.registry import DueItem, Provider

from .models import MeterReading, month_start
from .services import fmt_number

#: flagged months older than this are not alerted any more (a catch-up after downtime still reaches them)
ALERT_MONTHS = 12


def heads_of(school_ids):
    users = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(
            memberships__school_id__in=school_ids,
            memberships__role=Role.LOGISTICS_HEAD,
            memberships__active=True,
            is_active=True,
        )
        .values_list("memberships__school_id", "pk")
        .distinct()
    )
    by_pk = {}
    pairs = list(rows)
    for user in get_user_model().objects.filter(pk__in={pk for _s, pk in pairs}):
        by_pk[user.pk] = user
    for school_id, pk in pairs:
        users[school_id].append(by_pk[pk])
    return users


class AnomalyProvider(Provider):
    """Readings flagged above the usual (rule ``utilities.anomaly_factor``): one alert per reading — that is
    per meter and month — to the logistics head, linking to the meter's chart. The dedupe is the scan's
    own (item, due date, recipient) key, so a second scan, or a correction that stays above, sends nothing."""

    code = "utilities.anomaly"

    def due_items(self, now):
        since = month_start(timezone.localdate(now)) - relativedelta(months=ALERT_MONTHS)
        readings = list(
            MeterReading.objects.filter(flagged=True, month__gte=since)
            .select_related("meter")
            .order_by("month", "pk")[:500]
        )
        heads = heads_of({r.school_id for r in readings})
        for reading in readings:
            meter = reading.meter
            ratio = reading.ratio
            yield DueItem(
                obj=reading,
                due_at=reading.month,
                title=_("%(meter)s used %(ratio)s× the usual in %(month)s")
                % {"meter": meter, "ratio": f"{ratio:.1f}" if ratio else "—", "month": f"{reading.month:%Y-%m}"},
                body=_("Use %(use)s %(unit)s, usual %(usual)s %(unit)s. Check for a leak or a wrong reading.")
                % {"use": fmt_number(reading.consumption), "usual": fmt_number(reading.usual), "unit": meter.unit},
                url=meter.get_absolute_url() + "#chart",
                recipients=heads.get(reading.school_id, []),
            )
