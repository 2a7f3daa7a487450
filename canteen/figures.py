"""The canteen's figures for a period: what the dashboard widget and the monthly report show."""

from django.db.models import Count, Q
from django.utils import timezone

from logistics.tenancy import rules

from .choices import LineDecision
from .models import DeliveryLine, Dish, FoodSample, MealService, MorningCheck
from .settings_rules import SAMPLE_HOURS, SAMPLE_MIN_GRAMS


def late_q(school):
    """Records entered more than ``canteen.late_entry_hours`` after the event (marked when entered)."""
    return Q(late_entry=True)


def period(school, start, end):
    """Figures of ``school`` for the days [start, end)."""
    meals = MealService.objects.filter(school=school, date__gte=start, date__lt=end)
    dishes = Dish.objects.filter(school=school, meal__in=meals, served=True)
    samples = FoodSample.objects.filter(school=school, date__gte=start, date__lt=end)
    now = timezone.now()
    missing = list(
        dishes.filter(sample__isnull=True, meal__date__lte=timezone.localdate(now))
        .select_related("meal")
        .order_by("meal__date", "meal__starts_at", "position")
    )
    missing = [d for d in missing if d.meal.ends_at_datetime < now]
    late = list(samples.filter(late_q(school)).select_related("sampled_by").order_by("sampled_at"))
    lines = DeliveryLine.objects.filter(
        school=school, delivery__delivered_on__gte=start, delivery__delivered_on__lt=end
    )
    line_counts = lines.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(decision=LineDecision.ACCEPTED)),
        rejected=Count("pk", filter=Q(decision=LineDecision.REJECTED)),
        deliveries=Count("delivery", distinct=True),
    )
    checks = MorningCheck.objects.filter(school=school, date__gte=start, date__lt=end).aggregate(
        total=Count("pk"), off=Count("pk", filter=Q(on_duty=False))
    )
    return {
        "meals": meals.count(),
        "meals_sampled": meals.filter(samples__isnull=False).distinct().count(),
        "dishes": dishes.count(),
        "samples": samples.count(),
        "by_meal": dict(samples.order_by().values_list("meal_kind").annotate(n=Count("pk"))),
        "min_grams": rules.value(school, SAMPLE_MIN_GRAMS),
        "hours": rules.value(school, SAMPLE_HOURS),
        "below_minimum": samples.filter(weight_grams__lt=rules.value(school, SAMPLE_MIN_GRAMS)).count(),
        "discarded": samples.filter(discarded_at__isnull=False).count(),
        "missing": missing,
        "late": late,
        "lines": line_counts,
        "checks": checks,
    }
