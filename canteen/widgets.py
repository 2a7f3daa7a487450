"""The canteen widget on the principal's dashboard and its columns on the district dashboard."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from . import figures, health
from .models import Dish, FoodSample, HealthCertificate, MorningCheck


class CanteenWidget(Widget):
    """Today: samples logged of dishes served, staff checked; this month: late entries, missing samples,
    health certificates expiring within 30 days."""

    code = "canteen"
    title = _("Canteen")
    order = 30
    perm = "canteen.view_canteen_figures"
    district_columns = (
        ("samples_month", _("Food samples this month")),
        ("missing_month", _("Dishes without a sample this month")),
    )

    def context(self, school, user):
        today = timezone.localdate()
        month = today.replace(day=1)
        served = Dish.objects.filter(school=school, meal__date=today, served=True).count()
        sampled = FoodSample.objects.filter(school=school, date=today).count()
        team = len(health.team_of(school))
        checked = MorningCheck.objects.filter(school=school, date=today).count()
        late = FoodSample.objects.filter(school=school, date__gte=month).filter(figures.late_q(school)).count()
        missing = self._missing([school.pk], month, today).get(school.pk, 0)
        expiring = HealthCertificate.objects.filter(
            school=school, valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=30)
        ).count()
        return {
            "figures": [
                (_("Samples today"), f"{sampled} / {served}"),
                (_("Staff checked today"), f"{checked} / {team}"),
                (_("Late entries this month"), late),
                (_("Dishes without a sample this month"), missing),
                (_("Health certificates expiring within 30 days"), expiring),
            ]
        }

    def _missing(self, ids, start, today):
        return dict(
            Dish.objects.filter(
                school_id__in=ids, served=True, sample__isnull=True, meal__date__gte=start, meal__date__lt=today
            )
            .order_by()
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        today = timezone.localdate()
        month = today.replace(day=1)
        samples = dict(
            FoodSample.objects.filter(school_id__in=ids, date__gte=month)
            .order_by()
            .values("school_id")
            .annotate(n=Count("pk", filter=Q()))
            .values_list("school_id", "n")
        )
        missing = self._missing(ids, month, today)
        return {sid: {"samples_month": samples.get(sid, 0), "missing_month": missing.get(sid, 0)} for sid in ids}
