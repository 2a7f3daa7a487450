"""陪餐 (accompanied meals): recording a leader's or a parent's meal with the students, the canteen's
answer to a parent, and which served meals still have no record (学校食品安全与营养健康管理规定 2019,
集中用餐陪餐制度: every meal a school leader eats with the students and records it)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.permissions import roles_in
from logistics.accounts.roles import Role
from logistics.attachments.models import Attachment
from logistics.tenancy import rules
from logistics.workflow.guard import StepResult

from .choices import AccompanimentStatus, CompanionKind, Meal
from .models import AccompaniedMeal, MealService
from .settings_rules import ACCOMPANY_RULES

#: how many days back a parent or leader may still pick a meal to record (older ones: the manager's list)
PICK_DAYS = 7


def required_meal_kinds(school):
    """The meals that need a 陪餐 record in ``school`` (Rules ``canteen.accompany.<meal>``, every meal by
    default)."""
    return [meal for meal, key in ACCOMPANY_RULES.items() if rules.value(school, key)]


def _served_q(now):
    """Meals whose serving has ended by ``now`` (local time)."""
    local = timezone.localtime(now)
    return Q(date__lt=local.date()) | Q(date=local.date(), ends_at__lte=local.time())


def served_meals(school, start, end, now=None):
    """Meal services of [start, end) that need a 陪餐 record and whose serving has ended."""
    now = now or timezone.now()
    return MealService.objects.filter(
        _served_q(now), school=school, date__gte=start, date__lt=end, meal__in=required_meal_kinds(school)
    )


def served_meals_of(school_ids, start, end, now=None):
    """The same over several schools (each with its own Rules), in one queryset."""
    from logistics.tenancy.models import School

    now = now or timezone.now()
    kinds = Q(pk__in=[])
    for school in School.objects.filter(pk__in=school_ids):
        kinds |= Q(school_id=school.pk, meal__in=required_meal_kinds(school))
    return MealService.objects.filter(_served_q(now), kinds, date__gte=start, date__lt=end)


def unaccompanied(queryset):
    """The meals of ``queryset`` without any 陪餐 record."""
    return queryset.annotate(accompanied=Exists(AccompaniedMeal.objects.filter(meal_id=OuterRef("pk")))).filter(
        accompanied=False
    )


def coverage(school, start, end, now=None):
    """(meals with a record, meals served) of [start, end) — 陪餐 coverage (two queries)."""
    meals = served_meals(school, start, end, now)
    served = meals.count()
    covered = meals.filter(accompaniments__isnull=False).distinct().count() if served else 0
    return covered, served


def pickable_meals(school, now=None):
    """The meals a person may record a 陪餐 for: served in the last ``PICK_DAYS`` days, up to today."""
    today = timezone.localdate(now or timezone.now())
    return MealService.objects.filter(
        school=school, date__gte=today - datetime.timedelta(days=PICK_DAYS), date__lte=today
    ).order_by("-date", "-starts_at")


def kind_of(user, school):
    """A school leader (principal, logistics head and the management) or a parent; None otherwise."""
    roles = set(roles_in(user, school))
    if roles & {Role.PRINCIPAL, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF}:
        return CompanionKind.LEADER
    if Role.PARENT in roles:
        return CompanionKind.PARENT
    return None


def record(
    *, meal, actor, rating, companion_title="", quality="", quantity="", hygiene="", price="", feedback="", photos=()
):
    """Record ``actor``'s 陪餐 of ``meal``: a leader's record is kept as it is; a parent's waits for the
    canteen's answer. Refused for a meal not served yet, one older than ``PICK_DAYS`` days, a second record
    of the same meal by the same person, or someone who is neither a leader nor a parent of the school."""
    school = meal.school
    kind = kind_of(actor, school)
    if kind is None:
        raise ValidationError(_("Only the school's leaders and parents record accompanied meals."))
    now = timezone.now()
    if meal.starts_at_datetime > now:
        raise ValidationError({"meal": _("This meal has not been served yet.")})
    if meal.date < timezone.localdate(now) - datetime.timedelta(days=PICK_DAYS):
        raise ValidationError(
            {"meal": _("Accompanied meals are recorded within %(days)s days of the meal.") % {"days": PICK_DAYS}}
        )
    if not rating or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    status = AccompanimentStatus.AWAITING_ANSWER if kind == CompanionKind.PARENT else AccompanimentStatus.RECORDED
    try:
        with transaction.atomic():
            if AccompaniedMeal.objects.filter(meal=meal, companion=actor).exists():
                raise ValidationError({"meal": _("You have already recorded this meal.")})
            obj = AccompaniedMeal(
                school=school,
                meal=meal,
                date=meal.date,
                meal_kind=meal.meal,
                companion=actor,
                kind=kind,
                companion_title=companion_title or "",
                quality=quality or "",
                quantity=quantity or "",
                hygiene=hygiene or "",
                price=price or "",
                rating=int(rating),
                feedback=feedback or "",
                status=status,
                created_by=actor,
            )
            obj.save()
            content_type = ContentType.objects.get_for_model(AccompaniedMeal)
            for photo in photos or ():
                Attachment.objects.create(
                    school=school,
                    content_type=content_type,
                    object_id=obj.pk,
                    file=photo,
                    kind="photo",
                    caption=_("陪餐 %(meal)s") % {"meal": meal},
                    created_by=actor,
                )
    except IntegrityError as exc:
        raise ValidationError({"meal": _("You have already recorded this meal.")}) from exc
    return obj


def answer(record, actor, answer_text=""):
    """The ``answer`` step: the canteen manager's answer to a parent's feedback, with who and when."""
    text = (answer_text or "").strip()
    if not text:
        raise ValidationError({"answer_text": _("Write the answer to the parent.")})
    record.answer_text = text
    record.answered_at = timezone.now()
    record.answered_by = actor
    return StepResult(_("Answered"), {"length": len(text)})


def meal_label(meal):
    return f"{meal.date:%m-%d} {Meal(meal.meal).label}" + (f" · {meal.canteen}" if meal.canteen else "")
