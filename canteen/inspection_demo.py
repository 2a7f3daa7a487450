"""Demo data of the hygiene self-inspections: the standard checklists, four weeks of inspections (one
close-down check missed, a failed item with its corrective action), today's duty roster."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from logistics.audit.recorder import recorded_update

from . import health, inspections, roster, schedules
from .choices import Meal
from .inspection_choices import ItemResult, PeriodState, TemplateKind
from .models import ChecklistTemplate, HygieneInspection, MealService


def seed(school, users, scale, rng):
    if HygieneInspection.objects.filter(school=school).exists():
        return
    manager, cook = users.get("canteen_manager"), users.get("canteen_staff")
    if manager is None or cook is None:
        return
    today = timezone.localdate()
    first = today - datetime.timedelta(days=28)
    first -= datetime.timedelta(days=first.weekday())  # from a Monday: four whole weeks and this one
    inspections.ensure_standard_checklists(school, actor=manager)
    templates = list(ChecklistTemplate.objects.filter(school=school))
    # the checklists were set up at the start of the weeks shown
    recorded_update(
        ChecklistTemplate.objects.filter(school=school),
        created=timezone.make_aware(datetime.datetime.combine(first, datetime.time(7))),
    )
    templates = list(ChecklistTemplate.objects.filter(school=school).select_related("school"))
    days = schedules.meal_days([school.pk], first, today).get(school.pk, set())
    periods = schedules.periods_for(templates, first, today - datetime.timedelta(days=1), days)
    missed_close_down = sorted(p.start for p in periods if p.template.kind == TemplateKind.CLOSE_DOWN)[-7:-6]
    failed_with_action = None
    for period in sorted(periods, key=lambda p: p.due_day):
        template = period.template
        if template.kind == TemplateKind.CLOSE_DOWN and period.start in missed_close_down:
            continue  # a gap: nobody did the close-down check that evening
        day = min(max(period.due_day, period.start), today - datetime.timedelta(days=1))
        inspector = cook if template.kind in (TemplateKind.CLOSE_DOWN, TemplateKind.CLEANING) else manager
        items = list(template.items.filter(active=True).order_by("position"))
        answers = {}
        for item in items:
            roll = rng.random()
            result = ItemResult.FAIL if roll < 0.04 and not item.critical else ItemResult.PASS
            answers[item.pk] = (result, "")
        if template.kind == TemplateKind.FOUR_PESTS and failed_with_action is None:
            # the 四防 check finds a torn fly screen in the store room
            screen = next(i for i in items if "防蝇" in i.text)
            answers[screen.pk] = (ItemResult.FAIL, "库房北窗纱网破损约10 cm")
        if template.kind == TemplateKind.WEEKLY and rng.random() < 0.3:
            extra = items[-1]
            answers[extra.pk] = (ItemResult.NOT_APPLICABLE, "本周未加工凉菜")
        try:
            inspection = inspections.record_inspection(
                template=template, inspector=inspector, actor=inspector, answers=answers, day=day
            )
        except ValidationError:
            continue
        failed = list(inspection.results.filter(result=ItemResult.FAIL))
        if template.kind == TemplateKind.FOUR_PESTS and failed and failed_with_action is None:
            failed_with_action = failed[0]
            owner = users.get("logistics_staff") or cook
            inspections.open_item_action(
                result=failed_with_action,
                actor=manager,
                owner=owner,
                deadline=today + datetime.timedelta(days=2),
                measures="更换库房北窗纱网",
            )
    # today's roster: the team on lunch (and dinner where served), each with a valid certificate
    meals = set(MealService.objects.filter(school=school, date=today).values_list("meal", flat=True)) or {Meal.LUNCH}
    posts = ["切配", "烹饪", "售饭", "洗消"]
    for n, person in enumerate(health.team_of(school)):
        for meal in sorted(meals):
            if roster.refusal(school, person, today):
                continue
            roster.assign(school=school, person=person, day=today, meal=meal, post=posts[n % len(posts)], actor=manager)


__all__ = ["seed", "PeriodState"]
