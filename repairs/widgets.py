"""The repairs widget on the principal's dashboard and its columns on the district dashboard."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from .choices import OPEN_STATUSES
from .models import Ticket
from .stats import aware


class RepairsWidget(Widget):
    code = "repairs"
    title = _("Repairs")
    order = 20
    perm = "repairs.view_stats"
    district_columns = (
        ("open", _("Open repairs")),
        ("overdue", _("Overdue repairs")),
        ("month", _("Repairs this month")),
    )

    def _counts(self, school_ids):
        month_start = aware(timezone.localdate().replace(day=1))
        return {
            row["school_id"]: row
            for row in Ticket.objects.filter(school_id__in=school_ids)
            .filter(Q(status__in=OPEN_STATUSES) | Q(submitted_at__gte=month_start))
            .values("school_id")
            .annotate(
                open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, escalated_at__isnull=False)),
                month=Count("pk", filter=Q(submitted_at__gte=month_start)),
            )
            .order_by()
        }

    def context(self, school, user):
        row = self._counts([school.pk]).get(school.pk, {})
        return {
            "figures": [
                (_("Open repairs"), row.get("open", 0)),
                (_("Overdue repairs"), row.get("overdue", 0)),
                (_("Repairs this month"), row.get("month", 0)),
            ]
        }

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        counts = self._counts(ids)
        return {sid: {key: counts.get(sid, {}).get(key, 0) for key, _label in self.district_columns} for sid in ids}


class MyJobsWidget(Widget):
    """A repair worker's start page: their open jobs (how many are late), the unassigned queue of their
    trades and the jobs waiting for the requester's confirmation — with the way to "My jobs"."""

    code = "repairs_my_jobs"
    title = _("My jobs")
    order = 5
    perm = "repairs.work_ticket"
    template = "repairs/widgets/my_jobs.html"

    def context(self, school, user):
        from .models.tickets import _worker_trades

        mine = Ticket.objects.filter(school=school, assignees=user)
        row = mine.aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            late=Count("pk", filter=Q(status__in=OPEN_STATUSES, target_at__lt=timezone.now())),
            waiting=Count("pk", filter=Q(status="done")),
        )
        trades = _worker_trades(user).get(school.pk, [])
        queue = Ticket.objects.filter(school=school, status="submitted", trade__in=trades).count() if trades else 0
        return {
            "figures": [
                (_("Open jobs"), row["open"]),
                (_("Past their target time"), row["late"]),
                (_("Unassigned in my trades"), queue),
                (_("Waiting for confirmation"), row["waiting"]),
            ]
        }
