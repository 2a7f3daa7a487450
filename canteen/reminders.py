"""Reminder providers of the canteen, run by the platform's one scan every 15 minutes."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.reminders.registry import DueItem, Provider
from logistics.tenancy import rules
from logistics.tenancy.models import School

from . import people
from .choices import SampleStatus
from .models import Dish, FoodSample, MealService
from .settings_rules import (
    CERTIFICATE_WARNING_DAYS,
    DISCARD_LIST_HOUR,
    LICENCE_WARNING_DAYS,
    MISSING_SAMPLE_AFTER_HOURS,
    MISSING_SAMPLE_ESCALATE_HOURS,
)

#: how far back a missing sample is still reminded (older gaps stay on the pages and in the report)
LOOKBACK_DAYS = 3


class MissingSampleProvider(Provider):
    """A served dish without a sample ``canteen.missing_sample_after_hours`` (1 h) after its meal's end
    is reminded to the canteen manager; still missing ``canteen.missing_sample_escalate_hours`` after
    the end, it is escalated to the logistics head once (学校食品安全与营养健康管理规定: every dish of every
    meal is sampled)."""

    code = "canteen.missing_sample"

    def due_items(self, now):
        today = timezone.localdate(now)
        meal_ids = (
            Dish.objects.filter(
                served=True,
                sample__isnull=True,
                meal__date__gte=today - datetime.timedelta(days=LOOKBACK_DAYS),
                meal__date__lte=today,
            )
            .values_list("meal_id", flat=True)
            .distinct()
        )
        meals = list(MealService.objects.filter(pk__in=meal_ids).select_related("school").order_by("date", "pk"))
        if not meals:
            return
        school_ids = {meal.school_id for meal in meals}
        managers, heads = people.managers_of(school_ids), people.heads_of(school_ids)
        missing = {}
        for meal_id, name in Dish.objects.filter(meal__in=meals, served=True, sample__isnull=True).values_list(
            "meal_id", "name"
        ):
            missing.setdefault(meal_id, []).append(name)
        for meal in meals:
            end = meal.ends_at_datetime
            due = end + datetime.timedelta(hours=float(rules.value(meal.school, MISSING_SAMPLE_AFTER_HOURS)))
            if due > now:
                continue
            escalate = end + datetime.timedelta(hours=float(rules.value(meal.school, MISSING_SAMPLE_ESCALATE_HOURS)))
            names = "、".join(missing.get(meal.pk, []))
            yield DueItem(
                obj=meal,
                due_at=due,
                title=_("Food samples missing: %(meal)s") % {"meal": meal},
                body=_("No sample yet of: %(dishes)s") % {"dishes": names},
                recipients=managers.get(meal.school_id, []),
                overdue_at=escalate,
                escalate_to=heads.get(meal.school_id, []),
                escalation_title=_("Still no food samples: %(meal)s") % {"meal": meal},
            )


class DiscardDueProvider(Provider):
    """Each morning (from ``canteen.discard_list_hour``) the canteen manager gets the list of samples
    whose keeping time is over: they may now be discarded, and the discard is recorded."""

    code = "canteen.discard_due"

    def due_items(self, now):
        local = timezone.localtime(now)
        counts = dict(
            FoodSample.objects.filter(status=SampleStatus.KEPT, keep_until__lte=now)
            .order_by()
            .values("school_id")
            .annotate(n=Count("pk"))
            .values_list("school_id", "n")
        )
        if not counts:
            return
        managers = people.managers_of(counts)
        for school in School.objects.filter(pk__in=counts):
            if local.hour < int(rules.value(school, DISCARD_LIST_HOUR)):
                continue
            yield DueItem(
                obj=school,
                due_at=local.date(),
                title=_("%(count)s food samples may be discarded today") % {"count": counts[school.pk]},
                body=_("Their keeping time is over; record each discard."),
                url=reverse("canteen:discard_due"),
                recipients=managers.get(school.pk, []),
            )


class LicenceExpiryProvider(Provider):
    """A supplier licence expiring within ``canteen.licence_warning_days`` (30) is reminded to the canteen
    manager once; on its expiry day it goes to the logistics head too (the supplier cannot deliver then)."""

    code = "canteen.licence_expiry"

    def due_items(self, now):
        from .models import SupplierLicence

        today = timezone.localdate(now)
        # the widest window any school may set; each school's own value is checked below
        licences = list(
            SupplierLicence.objects.filter(
                valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=365), supplier__active=True
            ).select_related("supplier", "school")
        )
        if not licences:
            return
        school_ids = {lic.school_id for lic in licences}
        managers, heads = people.managers_of(school_ids), people.heads_of(school_ids)
        for lic in licences:
            days = int(rules.value(lic.school, LICENCE_WARNING_DAYS))
            if lic.valid_until > today + datetime.timedelta(days=days):
                continue
            yield DueItem(
                obj=lic.supplier,
                due_at=lic.valid_until - datetime.timedelta(days=days),
                title=_("Licence of %(supplier)s expires on %(date)s")
                % {"supplier": lic.supplier, "date": lic.valid_until.strftime("%Y-%m-%d")},
                body=str(lic),
                recipients=managers.get(lic.school_id, []),
                overdue_at=lic.valid_until,
                escalate_to=heads.get(lic.school_id, []),
            )


class CertificateExpiryProvider(Provider):
    """A health certificate expiring within ``canteen.certificate_warning_days`` (30) is reminded to the
    canteen manager once (食品安全法 art. 45: staff without a valid certificate may not work)."""

    code = "canteen.certificate_expiry"

    def due_items(self, now):
        from .models import HealthCertificate

        today = timezone.localdate(now)
        certs = list(
            HealthCertificate.objects.filter(
                valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=365)
            ).select_related("person", "school")
        )
        if not certs:
            return
        managers = people.managers_of({c.school_id for c in certs})
        for cert in certs:
            days = int(rules.value(cert.school, CERTIFICATE_WARNING_DAYS))
            if cert.valid_until > today + datetime.timedelta(days=days):
                continue
            yield DueItem(
                obj=cert,
                due_at=cert.valid_until - datetime.timedelta(days=days),
                title=_("Health certificate of %(person)s expires on %(date)s")
                % {"person": cert.person, "date": cert.valid_until.strftime("%Y-%m-%d")},
                recipients=managers.get(cert.school_id, []),
            )


class MorningCheckMissingProvider(Provider):
    """A day with meals served and canteen staff without a morning check by the first meal's start is
    flagged to the canteen manager (学校食品安全与营养健康管理规定: 晨检 before work), once a day."""

    code = "canteen.morning_check_missing"

    def due_items(self, now):
        from . import health
        from .models import MorningCheck

        today = timezone.localdate(now)
        meals = list(MealService.objects.filter(date=today).select_related("school").order_by("school_id", "starts_at"))
        first = {}
        for meal in meals:
            first.setdefault(meal.school_id, meal)
        started = {sid: meal for sid, meal in first.items() if meal.starts_at_datetime <= now}
        if not started:
            return
        managers = people.managers_of(set(started))
        checked = {}
        for school_id, person_id in MorningCheck.objects.filter(school_id__in=started, date=today).values_list(
            "school_id", "person_id"
        ):
            checked.setdefault(school_id, set()).add(person_id)
        for school_id, meal in started.items():
            missing = [p for p in health.team_of(meal.school) if p.pk not in checked.get(school_id, set())]
            if not missing:
                continue
            yield DueItem(
                obj=meal,
                due_at=today,
                title=_("No morning check yet for %(n)s canteen staff") % {"n": len(missing)},
                body="、".join(str(p) for p in missing),
                url=reverse("canteen:team_check"),
                recipients=managers.get(school_id, []),
            )
