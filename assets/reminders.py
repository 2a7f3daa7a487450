"""Reminder providers: low stock, overdue loans, stock-takes due (scanned every 15 minutes)."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import F, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.reminders.registry import DueItem, Provider
from logistics.tenancy import rules
from logistics.tenancy.models import Membership, School

from . import settings_rules
from .models import Asset, AssetLoan, Consumable, StockTake


def people_by_school(school_ids, *roles):
    """{school_id: [users]} holding any of ``roles`` (two queries for all schools)."""
    rows = list(
        Membership.objects.filter(school_id__in=school_ids, role__in=[str(r) for r in roles], active=True).values_list(
            "school_id", "user_id"
        )
    )
    users = get_user_model().objects.in_bulk({user_id for _s, user_id in rows})
    result = defaultdict(list)
    for school_id, user_id in rows:
        if user_id in users and users[user_id] not in result[school_id]:
            result[school_id].append(users[user_id])
    return result


class LowStockProvider(Provider):
    """A consumable at or under its minimum level (低值易耗品库存预警): tell logistics staff, once per
    time it runs low (due date = its last stock movement)."""

    code = "assets.low_stock"

    def due_items(self, now):
        items = list(
            Consumable.objects.filter(minimum_level__gt=0, total_quantity__lte=F("minimum_level"))
            .annotate(last_move=Max("movements__created"))
            .order_by("school_id", "pk")[:2000]
        )
        staff = people_by_school({c.school_id for c in items}, Role.LOGISTICS_STAFF, Role.LOGISTICS_HEAD)
        for item in items:
            when = timezone.localdate(item.last_move) if item.last_move else timezone.localdate(now)
            yield DueItem(
                obj=item,
                due_at=when,
                title=_("Low stock: %(item)s (%(qty)s %(unit)s left, minimum %(min)s)")
                % {"item": item, "qty": item.total_quantity, "unit": item.unit, "min": item.minimum_level},
                recipients=staff.get(item.school_id, []),
            )


class OverdueLoanProvider(Provider):
    """A loan due back soon or overdue: remind the borrower; when overdue, escalate to logistics."""

    code = "assets.loan_due"

    def due_items(self, now):
        today = timezone.localdate(now)
        horizon = today + datetime.timedelta(days=7)
        loans = [
            loan
            for loan in AssetLoan.objects.filter(returned_on__isnull=True, expected_return__lte=horizon)
            .select_related("asset", "borrower", "school")
            .order_by("expected_return")[:5000]
        ]
        staff = people_by_school({loan.school_id for loan in loans}, Role.LOGISTICS_STAFF, Role.LOGISTICS_HEAD)
        for loan in loans:
            before = rules.value(loan.school, settings_rules.LOAN_REMINDER_DAYS)
            if loan.expected_return - datetime.timedelta(days=before) > today:
                continue
            recipients = [loan.borrower] if loan.borrower_id else staff.get(loan.school_id, [])
            yield DueItem(
                obj=loan,
                due_at=loan.expected_return,
                title=_("Please return %(asset)s by %(date)s") % {"asset": loan.asset, "date": loan.expected_return},
                recipients=recipients,
                overdue_at=loan.expected_return,
                escalate_to=staff.get(loan.school_id, []),
                escalation_title=_("Loan overdue: %(asset)s lent to %(who)s, due %(date)s")
                % {"asset": loan.asset, "who": loan.borrower_display, "date": loan.expected_return},
            )


class StockTakeDueProvider(Provider):
    """At least one stock-take a year (rule ``assets.stocktake_interval_days``; 条例 art. 37):
    remind the logistics head 30 days before, escalate to the principal when overdue."""

    code = "assets.stocktake_due"

    def due_items(self, now):
        today = timezone.localdate(now)
        school_ids = set(Asset.objects.order_by().values_list("school_id", flat=True).distinct())
        if not school_ids:
            return
        last = dict(
            StockTake.objects.filter(school_id__in=school_ids, status="approved")
            .values_list("school_id")
            .annotate(at=Max("approved_at"))
            .order_by()
        )
        first_asset = dict(
            Asset.objects.filter(school_id__in=school_ids)
            .values_list("school_id")
            .annotate(at=Min("created"))
            .order_by()
        )
        heads = people_by_school(school_ids, Role.LOGISTICS_HEAD)
        principals = people_by_school(school_ids, Role.PRINCIPAL)
        url = reverse("assets:stocktake_list")
        for school in School.objects.filter(pk__in=school_ids):
            interval = datetime.timedelta(days=rules.value(school, settings_rules.STOCKTAKE_INTERVAL))
            since = last.get(school.pk) or first_asset.get(school.pk)
            due = timezone.localdate(since) + interval
            if due - datetime.timedelta(days=30) > today:
                continue
            yield DueItem(
                obj=school,
                due_at=due,
                title=_("A stock-take of the assets is due by %(date)s") % {"date": due},
                recipients=heads.get(school.pk, []),
                url=url,
                overdue_at=due,
                escalate_to=principals.get(school.pk, []),
                escalation_title=_("Stock-take overdue since %(date)s") % {"date": due},
            )
