"""Weekly menus: setting a draft's dishes, publishing (with what changed), starting a new version, and the
day's meal services taken from the published menu."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.tenancy import rules
from logistics.workflow import guard
from logistics.workflow.guard import StepResult

from . import services
from .choices import MEAL_ORDER, Meal, MenuStatus
from .models import MealService, MenuItem, WeeklyMenu
from .settings_rules import MENU_LEAD_DAYS

WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def grid(menu):
    """{(day, meal): [(dish, main ingredients)]} of a menu, in order."""
    cells = {}
    for item in sorted(menu.items.all(), key=lambda i: (i.day, MEAL_ORDER.get(i.meal, 9), i.position, i.pk)):
        cells.setdefault((item.day, item.meal), []).append((item.dish, item.main_ingredients))
    return cells


def set_items(menu, cells):
    """Replace a **draft**'s dishes with ``cells`` ({(day, meal): [(dish, ingredients)]})."""
    if menu.status != MenuStatus.DRAFT:
        raise ValidationError(_("A published menu is never edited in place: start a new version."))
    days = set(menu.days)
    with transaction.atomic():
        for item in list(menu.items.all()):
            item.delete()  # a draft's own rows, recorded; published weeks are never touched
        for (day, meal), dishes in cells.items():
            if day not in days:
                raise ValidationError(_("%(day)s is not in this week.") % {"day": day})
            for position, (dish, ingredients) in enumerate(dishes, start=1):
                MenuItem.objects.create(
                    school=menu.school,
                    menu=menu,
                    day=day,
                    meal=meal,
                    dish=dish,
                    main_ingredients=ingredients,
                    position=position,
                )
    return menu


def describe_changes(old, new):
    """What changed from ``old`` to ``new`` in words, one line per changed day and meal."""
    before, after = grid(old), grid(new)
    labels = dict(Meal.choices)
    lines = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], MEAL_ORDER.get(k[1], 9))):
        was = [d for d, _i in before.get(key, [])]
        now = [d for d, _i in after.get(key, [])]
        if was != now:
            day, meal = key
            lines.append(
                _("%(day)s %(meal)s: %(old)s → %(new)s")
                % {
                    "day": f"{WEEKDAYS[day.weekday()]} {day:%m-%d}",
                    "meal": labels.get(meal, meal),
                    "old": "、".join(was) or "—",
                    "new": "、".join(now) or "—",
                }
            )
    return "\n".join(lines)


def publish(menu, actor):
    """The ``publish`` step: a draft with at least one dish; the week's published version (if any) is
    superseded and what changed is recorded; published later than ``canteen.menu_lead_days`` (7) before
    the week starts is marked late."""
    if not menu.items.exists():
        raise ValidationError(_("The menu has no dishes yet."))
    now = timezone.now()
    current = (
        WeeklyMenu.objects.filter(
            school=menu.school, week_start=menu.week_start, canteen=menu.canteen, status=MenuStatus.PUBLISHED
        )
        .exclude(pk=menu.pk)
        .first()
    )
    if current is not None:
        menu.changes = describe_changes(current, menu) or _("No dish changed.")
        guard.run(current, "supersede", actor)
    lead = int(rules.value(menu.school, MENU_LEAD_DAYS))
    menu.published_late = menu.version == 1 and timezone.localdate(now) > menu.week_start - datetime.timedelta(
        days=lead
    )
    menu.published_at, menu.published_by = now, actor
    return StepResult(_("Published (version %(v)s)") % {"v": menu.version}, {"version": menu.version})


def revise(menu, actor):
    """The ``revise`` step: a new draft version with the published one's dishes (the published one stays
    until the new version is published)."""
    existing = WeeklyMenu.objects.filter(
        school=menu.school, week_start=menu.week_start, canteen=menu.canteen, status=MenuStatus.DRAFT
    ).first()
    if existing is not None:
        return StepResult(_("A new version is already being drafted."), {"draft": existing.pk}, value=existing)
    latest = (
        WeeklyMenu.objects.filter(school=menu.school, week_start=menu.week_start, canteen=menu.canteen)
        .order_by("-version")
        .first()
    )
    draft = WeeklyMenu.objects.create(
        school=menu.school,
        week_start=menu.week_start,
        canteen=menu.canteen,
        version=latest.version + 1,
        previous=menu,
        note=menu.note,
        created_by=actor,
    )
    for item in menu.items.all():
        MenuItem.objects.create(
            school=menu.school,
            menu=draft,
            day=item.day,
            meal=item.meal,
            dish=item.dish,
            main_ingredients=item.main_ingredients,
            position=item.position,
        )
    return StepResult(_("Version %(v)s started") % {"v": draft.version}, {"draft": draft.pk}, value=draft)


def published_for(school, week_start):
    """The published menus of a week (one per canteen)."""
    return WeeklyMenu.objects.filter(school=school, week_start=week_start, status=MenuStatus.PUBLISHED)


def meals_from_menu(school, day, actor=None):
    """Meal services of ``day`` from the published menu, with its dishes (an existing meal service is left
    as it is: its dishes stay editable). Returns the meal services made."""
    made = []
    with transaction.atomic():
        for menu in published_for(school, monday_of(day)).prefetch_related("items"):
            cells = {}
            for item in sorted(menu.items.all(), key=lambda i: (i.position, i.pk)):
                if item.day == day:
                    cells.setdefault(item.meal, []).append((item.dish, item.main_ingredients))
            for meal, dishes in cells.items():
                if MealService.objects.filter(school=school, date=day, meal=meal, canteen=menu.canteen).exists():
                    continue
                service = MealService.objects.create(
                    school=school, date=day, meal=meal, canteen=menu.canteen, created_by=actor
                )
                services.set_dishes(service, dishes)
                made.append(service)
    return made
