"""Late entries (补录) across the canteen's records: each record that describes an event is marked when it
is entered more than ``canteen.late_entry_hours`` after it (``models.tamper.LateEntryMixin``); these are
the counts the pages, the dashboard and the monthly report show."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import AccompaniedMeal, ColdReading, Delivery, Disinfection, FoodSample, MorningCheck

#: (model, its date field, label) of every record that describes an event
LATE_RECORDS = (
    (FoodSample, "date", _("Food samples")),
    (MorningCheck, "date", _("Morning checks")),
    (Disinfection, "date", _("Tableware disinfections")),
    (ColdReading, "taken_at__date", _("Cold-chain readings")),
    (Delivery, "delivered_on", _("Deliveries")),
    (AccompaniedMeal, "date", _("Accompanied meals")),
)


def counts(school, start, end):
    """[(label, late, total)] of the records of the days [start, end), one query per kind of record."""
    rows = []
    for model, field, label in LATE_RECORDS:
        found = model.objects.filter(school=school, **{f"{field}__gte": start, f"{field}__lt": end}).aggregate(
            total=Count("pk"), late=Count("pk", filter=Q(late_entry=True))
        )
        rows.append((label, found["late"], found["total"]))
    return rows


def district_counts(school_ids, start, end):
    """{school id: late entries of [start, end)} over every kind of record (one query per kind)."""
    totals = dict.fromkeys(school_ids, 0)
    for model, field, _label in LATE_RECORDS:
        for school_id, n in (
            model.objects.filter(
                school_id__in=school_ids, late_entry=True, **{f"{field}__gte": start, f"{field}__lt": end}
            )
            .order_by()
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        ):
            totals[school_id] = totals.get(school_id, 0) + n
    return totals
