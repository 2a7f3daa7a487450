"""The hygiene figures on the dashboard: this month's inspections done / due / missed, failed items still
open, the last grade; on the district page the same counts per school (figures only)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.corrective.choices import ACTIVE_STATUSES
from logistics.corrective.models import CorrectiveAction
from logistics.dashboard.registry import Widget

from . import schedules
from .inspections import ORIGIN
from .models import HygieneInspection, InspectionResult


def open_failed_items(school_ids):
    """{school id: failed inspection items whose corrective action is not closed} in one query."""
    return dict(
        CorrectiveAction.objects.filter(
            school_id__in=school_ids,
            origin=ORIGIN,
            source_type=ContentType.objects.get_for_model(InspectionResult),
            status__in=ACTIVE_STATUSES,
        )
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )


class HygieneWidget(Widget):
    code = "canteen_hygiene"
    title = _("Canteen hygiene")
    order = 31
    perm = "canteen.view_canteen_figures"
    district_columns = (
        ("inspections_done", _("Hygiene inspections done this month")),
        ("inspections_missed", _("Hygiene inspections missed this month")),
        ("failed_open", _("Failed items being rectified")),
    )

    def context(self, school, user):
        figures = schedules.month_figures([school])[school.pk]
        last = HygieneInspection.objects.filter(school=school).order_by("-date", "-pk").values("grade").first()
        grade = last["grade"] if last and last["grade"] else "—"  # the letter; its meaning is on the pages
        return {
            "figures": [
                (_("Inspections done this month"), figures["done"]),
                (_("Inspections due now"), figures["due"]),
                (_("Inspections missed this month"), figures["missed"]),
                (_("Failed items being rectified"), open_failed_items([school.pk]).get(school.pk, 0)),
                (_("Last grade"), grade),
            ]
        }

    def district_values(self, schools):
        figures = schedules.month_figures(schools, timezone.localdate())
        failed = open_failed_items([s.pk for s in schools])
        return {
            s.pk: {
                "inspections_done": figures[s.pk]["done"],
                "inspections_missed": figures[s.pk]["missed"],
                "failed_open": failed.get(s.pk, 0),
            }
            for s in schools
        }
