"""The finance widget on the principal's dashboard and its columns on the district dashboard."""

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from .choices import ConsentStatus, DisclosureStatus
from .models import Consent, FeeDisclosure


class FinanceWidget(Widget):
    code = "finance"
    title = _("Fees")
    order = 30
    perm = "finance.view_feedisclosure"
    #: board versions awaiting approval, consents awaiting an answer: the school's, not for a parent's home page
    whole_school = True
    district_columns = (
        ("published", _("Fee board published")),
        ("awaiting", _("Board versions awaiting approval")),
        ("pending", _("Consents awaiting an answer")),
    )

    def _values(self, school_ids):
        boards = {
            row["school_id"]: row
            for row in FeeDisclosure.objects.filter(school_id__in=school_ids)
            .values("school_id")
            .annotate(
                published=Max("published_at", filter=Q(status=DisclosureStatus.PUBLISHED)),
                awaiting=Count("pk", filter=Q(status=DisclosureStatus.SUBMITTED)),
            )
            .order_by()
        }
        pending = dict(
            Consent.objects.filter(school_id__in=school_ids, status=ConsentStatus.PENDING)
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
            .order_by()
        )
        result = {}
        for sid in school_ids:
            row = boards.get(sid, {})
            published = row.get("published")
            result[sid] = {
                "published": published.date().isoformat() if published else str(_("Not published")),
                "awaiting": row.get("awaiting", 0),
                "pending": pending.get(sid, 0),
            }
        return result

    def context(self, school, user):
        values = self._values([school.pk])[school.pk]
        return {"figures": [(label, values[key]) for key, label in self.district_columns]}

    def district_values(self, schools):
        return self._values([s.pk for s in schools])
