"""What the safety app shows on the principal's dashboard and the district comparison: major hazards
waiting for verification, hazards past their deadline, missed patrol rounds, patrol completion, hazards
found and closed, and the major hazards under supervision (挂牌督办) across the district."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from logistics.corrective.choices import ACTIVE_STATUSES, OPEN_STATUSES, ActionLevel, ActionStatus
from logistics.dashboard import metrics, needs

from .choices import RoundStatus
from .models import Hazard, PatrolRound

AREA = _("Safety")
ONE_DAY = datetime.timedelta(days=1)
UNEXPLAINED = (RoundStatus.MISSED, RoundStatus.INCOMPLETE)


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_use(ids, end):
    """Schools with a patrol round planned or a hazard found before ``end``: the others record nothing."""
    moment = _aware(end)
    rounds = PatrolRound.objects.filter(school_id__in=ids, planned_start__lt=moment).order_by().values("school_id")
    hazards = Hazard.objects.filter(school_id__in=ids, found_at__lt=moment).order_by().values("school_id")
    return set(rounds.union(hazards).values_list("school_id", flat=True))


def hazards_past_deadline(ids):
    return dict(
        Hazard.objects.filter(school_id__in=ids, status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def rounds_unexplained(ids):
    """Rounds missed or left incomplete in the last 30 days and not yet explained."""
    since = timezone.now() - datetime.timedelta(days=30)
    return dict(
        PatrolRound.objects.filter(school_id__in=ids, status__in=UNEXPLAINED, planned_start__gte=since)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _completion(ids, start, end):
    """(rounds complete, rounds due) of the rounds planned in the period that should be over by now."""
    high = min(_aware(end), timezone.now())
    rows = (
        PatrolRound.objects.filter(school_id__in=ids, planned_start__gte=_aware(start), planned_end__lt=high)
        .values("school_id")
        .annotate(due=Count("pk"), done=Count("pk", filter=Q(outcome=RoundStatus.COMPLETE)))
        .order_by()
    )
    return {row["school_id"]: (row["done"], row["due"]) for row in rows if row["due"]}


def _found(ids, start, end):
    counts = dict(
        Hazard.objects.filter(school_id__in=ids, found_at__gte=_aware(start), found_at__lt=_aware(end))
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {sid: counts.get(sid, 0) for sid in _in_use(ids, end)}


def _closed(ids, start, end):
    counts = dict(
        Hazard.objects.filter(
            school_id__in=ids, status=ActionStatus.CLOSED, closed_at__gte=_aware(start), closed_at__lt=_aware(end)
        )
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {sid: counts.get(sid, 0) for sid in _in_use(ids, end)}


def _open_now(ids, start, end):
    counts = dict(
        Hazard.objects.filter(school_id__in=ids, status__in=ACTIVE_STATUSES)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {sid: counts.get(sid, 0) for sid in _in_use(ids, end)}


def _overdue_in(ids, start, end):
    """Hazards whose deadline fell in the period (up to today) and that were not rectified by then."""
    last = min(end, timezone.localdate())
    rows = (
        Hazard.objects.filter(school_id__in=ids, deadline__gte=start, deadline__lt=last)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(Q(rectified_at__isnull=True) | Q(rectified_at__date__gt=F("deadline")))
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict(rows)
    return {sid: counts.get(sid, 0) for sid in _in_use(ids, end)}


def _supervised(ids):
    """The major hazards not yet closed, across the schools, by deadline (挂牌督办) — one query of the
    columns shown (no model instances: up to 200 rows on every district page)."""
    today = timezone.localdate()
    statuses = dict(ActionStatus.choices)
    detail = reverse("safety:hazard_detail", args=[0])[: -len("0/")]
    rows = []
    for pk, school_id, reference, title, deadline, status, owner_id, *names in (
        Hazard.objects.filter(school_id__in=ids, level=ActionLevel.MAJOR, status__in=ACTIVE_STATUSES)
        .order_by(F("deadline").asc(nulls_last=True), "pk")
        .values_list(
            "pk",
            "school_id",
            "reference",
            "title",
            "deadline",
            "status",
            "owner_id",
            "owner__display_name",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )[:200]
    ):
        display, first, last, username = names
        full = f"{first} {last}".strip()
        rows.append(
            {
                "school_id": school_id,
                "text": f"{reference} {title}",
                "url": f"{detail}{pk}/",
                "deadline": deadline,
                "status": str(statuses.get(status, status)),
                "owner": (display or full or username) if owner_id else "",
                "late": bool(deadline and deadline < today and status in OPEN_STATUSES),
            }
        )
    return rows


def _hazards(**query):
    return f"{reverse('safety:hazard_list')}?{urlencode(query, doseq=True)}"


def _rounds(**query):
    return f"{reverse('safety:patrolround_list')}?{urlencode(query, doseq=True)}"


def _not_own_rectification(user):
    # the verify step refuses a verifier who recorded the rectification (logistics.corrective)
    return ~Q(status=ActionStatus.RECTIFIED, rectified_by=user)


def register():
    """Called from ``SafetyConfig.ready()``."""
    needs.register(
        needs.Queue(
            "safety.major_hazard",
            _("Major hazards to verify and close"),
            "safety.Hazard",
            steps=("verify", "close"),
            area=AREA,
            order=30,
            condition=lambda user: Q(level=ActionLevel.MAJOR) & _not_own_rectification(user),
            date_field="rectified_at",
            more_url=lambda school: _hazards(level=ActionLevel.MAJOR, status=[ActionStatus.RECTIFIED]),
        )
    )
    needs.register(
        needs.Overdue(
            "safety.hazards_past_deadline",
            _("Hazards past their deadline"),
            AREA,
            perm="safety.view_hazard",
            count=hazards_past_deadline,
            url=lambda school: _hazards(overdue="true"),
            order=20,
        )
    )
    needs.register(
        needs.Overdue(
            "safety.rounds_missed",
            _("Patrol rounds missed and not explained"),
            AREA,
            perm="safety.view_patrolround",
            count=rounds_unexplained,
            url=lambda school: _rounds(status=list(UNEXPLAINED)),
            order=30,
        )
    )
    metrics.register_area(metrics.Area("safety", AREA, perm="safety.view_hazard", order=30))
    for metric in (
        metrics.Metric(
            "safety.patrol_completion",
            "safety",
            _("Patrol rounds completed"),
            kind=metrics.RATE,
            compute=_completion,
            link=lambda school, start, end: _rounds(
                planned_after=start.isoformat(), planned_before=(end - ONE_DAY).isoformat()
            ),
            district=True,
            order=10,
        ),
        metrics.Metric(
            "safety.hazards_found",
            "safety",
            _("Hazards found"),
            compute=_found,
            link=lambda school, start, end: _hazards(
                found_after=start.isoformat(), found_before=(end - ONE_DAY).isoformat()
            ),
            order=20,
        ),
        metrics.Metric(
            "safety.hazards_closed",
            "safety",
            _("Hazards closed"),
            compute=_closed,
            link=lambda school, start, end: _hazards(status=[ActionStatus.CLOSED]),
            order=30,
        ),
        metrics.Metric(
            "safety.hazards_open",
            "safety",
            _("Hazards not yet closed"),
            compute=_open_now,
            link=lambda school, start, end: _hazards(status=list(ACTIVE_STATUSES)),
            trend=False,
            lower_is_better=True,
            order=40,
        ),
        metrics.Metric(
            "safety.hazards_overdue",
            "safety",
            _("Hazards not rectified by their deadline"),
            compute=_overdue_in,
            link=lambda school, start, end: _hazards(overdue="true"),
            district=True,
            lower_is_better=True,
            order=50,
        ),
    ):
        metrics.register(metric)
    metrics.register_listing(
        metrics.Listing(
            "safety.supervised",
            _("Major hazards under supervision (挂牌督办)"),
            perm="safety.view_hazard",
            rows=_supervised,
            order=10,
            empty=_("No major hazard is open."),
        )
    )


def demo(school, users, scale, rng):
    """Demo: in the first demo school a major hazard rectified and waiting for verification (the
    principal closes it); the second school has none waiting. Idempotent."""
    from logistics.corrective.services import open_action
    from logistics.workflow import guard

    head, staff = users.get("logistics_head"), users.get("logistics_staff")
    title = "锅炉房燃气管道接口锈蚀"
    if not head or not school.slug.endswith("1") or Hazard.objects.filter(school=school, title=title).exists():
        return
    hazard = open_action(
        school=school,
        actor=head,
        origin="safety.hazard",
        title=title,
        place="锅炉房",
        level=ActionLevel.MAJOR,
        found_at=timezone.now() - datetime.timedelta(days=12),
    )
    hazard = Hazard.objects.get(pk=hazard.pk)
    guard.run(
        hazard,
        "assign",
        head,
        owner=staff or head,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        measures="停用该段管道，由燃气公司更换接口并试压",
        funding=Decimal("6500.00"),
        contingency_plan="关闭总阀，锅炉房禁止明火，配备灭火器2具",
    )
    guard.run(hazard, "rectify", staff or head, rectification="燃气公司已更换接口，试压合格")
