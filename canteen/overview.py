"""What the canteen shows on the principal's dashboard and the district comparison: sample coverage of
the dishes served (留样), 陪餐 coverage of the meals served, morning checks (晨检) of the canteen team, late
entries, the latest hygiene self-inspection's grade, dishes served without a sample and canteen people
without a valid health certificate (健康证)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from logistics.accounts.roles import Role
from logistics.dashboard import metrics, needs
from logistics.tenancy.models import Membership

from . import accompanied
from .inspection_choices import Grade
from .models import Dish, FoodSample, HealthCertificate, HygieneInspection, MorningCheck

AREA = _("Canteen")
ONE_DAY = datetime.timedelta(days=1)
TEAM = (Role.CANTEEN_STAFF, Role.CANTEEN_MANAGER)


def _until_today(end):
    """Days before today only: today's meals may still be sampled."""
    return min(end, timezone.localdate())


def _samples(ids, start, end):
    """(served dishes with a sample, served dishes) of the meals in the period (before today)."""
    rows = (
        Dish.objects.filter(school_id__in=ids, served=True, meal__date__gte=start, meal__date__lt=_until_today(end))
        .values("school_id")
        .annotate(n=Count("pk"), sampled=Count("pk", filter=Q(sample__isnull=False)))
        .order_by()
    )
    return {row["school_id"]: (row["sampled"], row["n"]) for row in rows if row["n"]}


def _accompanied(ids, start, end):
    """(meals with a 陪餐 record, meals served) of the period: the meals of the kinds each school's Rules
    require a record for, whose serving has ended (``canteen.accompanied.served_meals_of``) — two grouped
    queries (and one for the schools' Rules) for all the schools."""
    now = timezone.now()
    meals = accompanied.served_meals_of(ids, start, end, now).order_by()
    served = dict(meals.values_list("school_id").annotate(n=Count("pk")))
    covered = dict(
        meals.filter(accompaniments__isnull=False).values_list("school_id").annotate(n=Count("pk", distinct=True))
    )
    return {sid: (covered.get(sid, 0), n) for sid, n in served.items() if n}


def _latest_grade(ids, start, end):
    """The grade (A/B/C) of each school's latest graded hygiene self-inspection up to today — one query
    (a subquery per school on the index school, -date, -id; no ``DISTINCT ON``, which SQLite lacks);
    missing for a school that recorded none."""
    from logistics.tenancy.models import School

    latest = (
        HygieneInspection.objects.filter(school_id=OuterRef("pk"), date__lte=timezone.localdate())
        .exclude(grade="")
        .order_by("-date", "-id")
        .values("grade")[:1]
    )
    rows = School.objects.filter(pk__in=ids).annotate(grade=Subquery(latest)).values_list("pk", "grade")
    return {sid: grade for sid, grade in rows if grade}


def _team_sizes(ids):
    return dict(
        Membership.objects.filter(school_id__in=ids, role__in=TEAM, active=True)
        .values_list("school_id")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )


def _morning_checks(ids, start, end):
    """(people checked, people to check) over the days meals were served: the team checked every day."""
    last = min(end, timezone.localdate() + ONE_DAY)
    days = dict(
        Dish.objects.filter(school_id__in=ids, served=True, meal__date__gte=start, meal__date__lt=last)
        .values_list("school_id")
        .annotate(n=Count("meal__date", distinct=True))
        .order_by()
    )
    team = _team_sizes(ids)
    checks = dict(
        MorningCheck.objects.filter(school_id__in=ids, date__gte=start, date__lt=last)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = {}
    for sid, n_days in days.items():
        due = n_days * team.get(sid, 0)
        if due:
            result[sid] = (min(checks.get(sid, 0), due), due)
    return result


def _late(ids, start, end):
    """Samples entered later than ``canteen.late_entry_hours`` after they were taken (marked 补录 when
    entered: ``late_entry``) — one query for all the schools."""
    counts = dict(
        FoodSample.objects.filter(school_id__in=ids, date__gte=start, date__lt=end, late_entry=True)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    in_use = _samples(ids, start, end)
    return {sid: counts.get(sid, 0) for sid in in_use}


def dishes_without_sample(ids):
    """Dishes served this month (before today) without a sample."""
    today = timezone.localdate()
    return dict(
        Dish.objects.filter(
            school_id__in=ids,
            served=True,
            sample__isnull=True,
            meal__date__gte=today.replace(day=1),
            meal__date__lt=today,
        )
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def without_certificate(ids):
    """People of the canteen team without a health certificate valid today (食品安全法 art. 45)."""
    today = timezone.localdate()
    valid = HealthCertificate.objects.filter(
        school_id=OuterRef("school_id"), person_id=OuterRef("user_id"), issued_on__lte=today, valid_until__gte=today
    )
    return dict(
        Membership.objects.filter(school_id__in=ids, role__in=TEAM, active=True)
        .annotate(valid=Exists(valid))
        .filter(valid=False)
        .values_list("school_id")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )


def _meals(**query):
    return f"{reverse('canteen:mealservice_list')}?{urlencode(query)}"


def register():
    """Called from ``CanteenConfig.ready()``."""
    needs.register(
        needs.Overdue(
            "canteen.without_sample",
            _("Dishes served without a sample this month"),
            AREA,
            perm="canteen.view_canteen_figures",
            count=dishes_without_sample,
            url=lambda school: _meals(date_after=timezone.localdate().replace(day=1).isoformat()),
            order=40,
        )
    )
    needs.register(
        needs.Overdue(
            "canteen.without_certificate",
            _("Canteen people without a valid health certificate"),
            AREA,
            perm="canteen.view_healthcertificate",
            count=without_certificate,
            url=lambda school: reverse("canteen:healthcertificate_list"),
            order=50,
        )
    )
    metrics.register_area(metrics.Area("canteen", AREA, perm="canteen.view_canteen_figures", order=20))
    for metric in (
        metrics.Metric(
            "canteen.samples",
            "canteen",
            _("Dishes served with a food sample"),
            kind=metrics.RATE,
            compute=_samples,
            link=lambda school, start, end: (
                reverse("canteen:foodsample_list")
                + "?"
                + urlencode({"date_after": start.isoformat(), "date_before": (end - ONE_DAY).isoformat()})
            ),
            district=True,
            order=10,
        ),
        metrics.Metric(
            "canteen.accompanied",
            "canteen",
            _("Meals served with a 陪餐 record"),
            kind=metrics.RATE,
            compute=_accompanied,
            link=lambda school, start, end: (
                reverse("canteen:accompaniedmeal_list")
                + "?"
                + urlencode({"date_after": start.isoformat(), "date_before": (end - ONE_DAY).isoformat()})
            ),
            order=15,
        ),
        metrics.Metric(
            "canteen.morning_checks",
            "canteen",
            _("Morning checks of the canteen team"),
            kind=metrics.RATE,
            compute=_morning_checks,
            link=lambda school, start, end: reverse("canteen:morningcheck_list"),
            district=True,
            order=20,
        ),
        metrics.Metric(
            "canteen.late",
            "canteen",
            _("Samples entered late"),
            compute=_late,
            link=lambda school, start, end: (
                reverse("canteen:foodsample_list")
                + "?"
                + urlencode({"date_after": start.isoformat(), "date_before": (end - ONE_DAY).isoformat()})
            ),
            lower_is_better=True,
            order=30,
        ),
        metrics.Metric(
            "canteen.inspection_grade",
            "canteen",
            _("Latest hygiene self-inspection"),
            kind=metrics.LABEL,
            compute=_latest_grade,
            labels=dict(Grade.choices),
            link=lambda school, start, end: reverse("canteen:hygieneinspection_list"),
            trend=False,
            order=40,
        ),
    ):
        metrics.register(metric)
