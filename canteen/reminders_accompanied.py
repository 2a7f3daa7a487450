"""The 陪餐 flag, run by the platform's one scan: the morning after a day with served meals that have no
陪餐 record (学校食品安全与营养健康管理规定 2019, 集中用餐陪餐制度), the school's leaders are told once."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.reminders.registry import DueItem, Provider
from logistics.tenancy import rules
from logistics.tenancy.models import School

from . import accompanied, people
from .models import MealService
from .settings_rules import ACCOMPANY_FLAG_HOUR

#: how many days back a day without 陪餐 is still flagged (a skipped scan loses nothing within them)
LOOKBACK_DAYS = 3


class MissingAccompanimentProvider(Provider):
    """From ``canteen.accompany_flag_hour`` (07:00) the next morning: "N meals of <day> had no 陪餐 record"
    → the principal and the logistics head, once per school and day."""

    code = "canteen.missing_accompaniment"

    def due_items(self, now):
        local = timezone.localtime(now)
        today = local.date()
        meals = list(
            accompanied.unaccompanied(
                MealService.objects.filter(date__gte=today - datetime.timedelta(days=LOOKBACK_DAYS), date__lt=today)
            ).order_by("school_id", "date", "starts_at")
        )
        if not meals:
            return
        schools = {s.pk: s for s in School.objects.filter(pk__in={m.school_id for m in meals})}
        leaders = people.members_of(schools, [Role.PRINCIPAL, Role.LOGISTICS_HEAD])
        days = {}
        for meal in meals:
            school = schools[meal.school_id]
            if meal.meal not in accompanied.required_meal_kinds(school):
                continue
            days.setdefault((meal.school_id, meal.date), []).append(meal)
        for (school_id, day), missing in days.items():
            school = schools[school_id]
            due = day + datetime.timedelta(days=1)
            hour = int(rules.value(school, ACCOMPANY_FLAG_HOUR))
            if (today, local.hour) < (due, hour):
                continue
            yield DueItem(
                obj=school,
                due_at=due,
                title=_("%(n)s meals of %(day)s had no 陪餐 record")
                % {"n": len(missing), "day": day.strftime("%Y-%m-%d")},
                body="、".join(accompanied.meal_label(m) for m in missing),
                url=reverse("canteen:accompaniedmeal_list") + f"?date_after={day:%Y-%m-%d}&date_before={day:%Y-%m-%d}",
                recipients=leaders.get(school_id, []),
            )
