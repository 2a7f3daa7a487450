"""The 陪餐 and tamper-evidence widget: this month's 陪餐 coverage, parents' feedback waiting for an answer,
late entries across every canteen record; district columns for each school."""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from . import accompanied, late
from .choices import AccompanimentStatus
from .models import AccompaniedMeal


def month_bounds(today):
    start = today.replace(day=1)
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, end


def percent(covered, served):
    return f"{round(100 * covered / served)}%" if served else "—"


class AccompanimentWidget(Widget):
    code = "canteen_accompaniment"
    title = _("陪餐 and late entries")
    order = 31
    perm = "canteen.view_canteen_figures"
    district_columns = (
        ("accompanied_month", _("Meals with 陪餐 this month")),
        ("served_month", _("Meals served this month")),
        ("late_month", _("Late entries this month")),
    )

    def context(self, school, user):
        today = timezone.localdate()
        start, end = month_bounds(today)
        covered, served = accompanied.coverage(school, start, end)
        waiting = AccompaniedMeal.objects.filter(school=school, status=AccompanimentStatus.AWAITING_ANSWER).count()
        late_total = sum(n for _label, n, _total in late.counts(school, start, end))
        return {
            "figures": [
                (_("Meals with 陪餐 this month"), f"{covered} / {served}"),
                (_("陪餐 coverage this month"), percent(covered, served)),
                (_("Parents' feedback awaiting an answer"), waiting),
                (_("Late entries this month (all canteen records)"), late_total),
            ]
        }

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        today = timezone.localdate()
        start, end = month_bounds(today)
        now = timezone.now()
        served = dict(
            accompanied.served_meals_of(ids, start, end, now)
            .order_by()
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )
        covered = dict(
            accompanied.served_meals_of(ids, start, end, now)
            .filter(accompaniments__isnull=False)
            .order_by()
            .values("school_id")
            .annotate(n=Count("pk", distinct=True))
            .values_list("school_id", "n")
        )
        lates = late.district_counts(ids, start, end)
        return {
            sid: {
                "accompanied_month": covered.get(sid, 0),
                "served_month": served.get(sid, 0),
                "late_month": lates.get(sid, 0),
            }
            for sid in ids
        }
