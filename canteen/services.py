"""The canteen's business actions: recording a meal's dishes, recording a dish's sample, discarding it.

These are the only writers of the canteen's records (CONVENTIONS.md); pages and the API call them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from logistics.tenancy import rules
from logistics.workflow.guard import StepResult

from .choices import SampleStatus
from .models import Dish, FoodSample, MealService
from .settings_rules import SAMPLE_HOURS, SAMPLE_MIN_GRAMS


def local_minute(value):
    """A time as a person reads it: local, to the minute (e.g. 2026-12-03 12:05)."""
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i", use_l10n=False)


def check_weight(school, grams):
    """Refuse a sample below ``canteen.sample_min_grams`` (125 g; GB 31654-2021, 学校食品安全与营养健康管理规定
    2019) with the rule and its source in the message."""
    minimum = rules.value(school, SAMPLE_MIN_GRAMS)
    if grams is None or grams < minimum:
        rule = rules.get_rule(SAMPLE_MIN_GRAMS)
        raise ValidationError(
            {
                "weight_grams": _(
                    "A food sample must weigh at least %(min)s g (%(source)s); %(grams)s g is not enough."
                )
                % {"min": minimum, "source": rule.source, "grams": grams if grams is not None else 0}
            }
        )


def keep_until(school, sampled_at):
    """When a sample taken at ``sampled_at`` may be discarded: ``canteen.sample_hours`` (48 h) later."""
    return sampled_at + datetime.timedelta(hours=float(rules.value(school, SAMPLE_HOURS)))


def set_dishes(meal, names):
    """Make ``names`` (in order; each ``name`` or ``(name, main ingredients)``) the dishes served at
    ``meal``. A dish no longer listed is marked not served; one that already has a sample cannot be
    taken off (its sample is on record)."""
    wanted = []
    for entry in names:
        name, ingredients = (entry, "") if isinstance(entry, str) else (entry[0], entry[1] if len(entry) > 1 else "")
        name = (name or "").strip()
        if name and name not in [n for n, _i in wanted]:
            wanted.append((name, (ingredients or "").strip()))
    with transaction.atomic():
        existing = {dish.name: dish for dish in Dish.objects.select_for_update().filter(meal=meal)}
        sampled = set(FoodSample.objects.filter(meal=meal).values_list("dish__name", flat=True))
        dropped = [name for name in existing if name not in dict(wanted) and name in sampled]
        if dropped:
            raise ValidationError(
                {"dishes": _("Already sampled, cannot be taken off: %(names)s") % {"names": "、".join(dropped)}}
            )
        for position, (name, ingredients) in enumerate(wanted, start=1):
            dish = existing.get(name)
            if dish is None:
                Dish.objects.create(
                    school=meal.school, meal=meal, name=name, main_ingredients=ingredients, position=position
                )
            elif (dish.position, dish.served, dish.main_ingredients) != (
                position,
                True,
                ingredients or dish.main_ingredients,
            ):
                dish.position, dish.served = position, True
                dish.main_ingredients = ingredients or dish.main_ingredients
                dish.save()
        for name, dish in existing.items():
            if name not in dict(wanted) and dish.served:
                dish.served = False
                dish.save()
    return meal


def record_sample(*, dish, actor, weight_grams, container="", sampled_at=None, photo=None):
    """Record the food sample of ``dish`` taken by ``actor``: refused below the minimum weight
    (``check_weight``), for a dish not served, a dish already sampled, or a time in the future. The
    sample may be discarded ``canteen.sample_hours`` after ``sampled_at``."""
    from logistics.attachments.models import Attachment

    school = dish.school
    check_weight(school, weight_grams)
    now = timezone.now()
    sampled_at = sampled_at or now
    if sampled_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"sampled_at": _("The sampling time cannot be in the future.")})
    with transaction.atomic():
        dish = Dish.objects.select_for_update().select_related("meal").get(pk=dish.pk)
        if not dish.served:
            raise ValidationError({"dish": _("This dish is not served at this meal.")})
        if FoodSample.objects.filter(dish=dish).exists():
            raise ValidationError({"dish": _("This dish already has its sample.")})
        sample = FoodSample(
            school=school,
            meal=dish.meal,
            dish=dish,
            dish_name=dish.name,
            date=dish.meal.date,
            meal_kind=dish.meal.meal,
            weight_grams=weight_grams,
            container=container or "",
            sampled_at=sampled_at,
            sampled_by=actor,
            keep_until=keep_until(school, sampled_at),
            created_by=actor,
        )
        sample.save()
        if photo:
            from django.contrib.contenttypes.models import ContentType

            Attachment.objects.create(
                school=school,
                content_type=ContentType.objects.get_for_model(FoodSample),
                object_id=sample.pk,
                file=photo,
                kind="photo",
                caption=_("Sample of %(dish)s") % {"dish": dish.name},
                created_by=actor,
            )
    return sample


def discard(sample, actor, note=""):
    """The ``discard`` step: refused before ``keep_until`` with a message naming that time; records who
    and when."""
    now = timezone.now()
    if now < sample.keep_until:
        hours = rules.value(sample.school, SAMPLE_HOURS)
        raise ValidationError(
            _("This sample must be kept %(hours)s hours: it may be discarded from %(time)s.")
            % {"hours": hours, "time": local_minute(sample.keep_until)}
        )
    sample.discarded_at = now
    sample.discarded_by = actor
    sample.discard_note = note or ""
    return StepResult(_("Discarded by %(user)s") % {"user": actor}, {"note": note or ""})


def due_for_discard(school, now=None):
    """Samples of ``school`` still kept whose keeping time is over (the morning list)."""
    now = now or timezone.now()
    return FoodSample.objects.filter(school=school, status=SampleStatus.KEPT, keep_until__lte=now)


def unsampled_dishes(meals):
    """{meal id: [dish names]} of the served dishes of ``meals`` without a sample."""
    missing = {}
    for meal_id, name in (
        Dish.objects.filter(meal__in=meals, served=True, sample__isnull=True)
        .order_by("meal_id", "position", "pk")
        .values_list("meal_id", "name")
    ):
        missing.setdefault(meal_id, []).append(name)
    return missing


def meals_of_day(school, day):
    return MealService.objects.filter(school=school, date=day)
