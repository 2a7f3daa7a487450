"""Reminder providers of the finance app, run by the platform's scan every 15 minutes: consents still
pending before a fee's charge date, charges unpaid past it (to the finance officer, not to parents),
board versions, waivers and refunds waiting for a decision."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.accounts.roles import Role
from logistics.reminders.registry import DueItem, Provider
from logistics.tenancy import rules
from logistics.tenancy.models import Membership

from .choices import ApprovalStatus, ConsentStatus, DisclosureStatus
from .models import Charge, FeeDisclosure, FeeItem, Refund, Waiver

CONSENT_DAYS = "finance.consent_reminder_days"


def people(school_id, *roles):
    return [
        m.user
        for m in Membership.objects.filter(school_id=school_id, role__in=roles, active=True).select_related("user")
    ]


class PendingConsentsProvider(Provider):
    """Voluntary fees whose charge date is near (rule ``finance.consent_reminder_days``) while guardians
    have not answered: the finance officer is reminded (the class teachers remind their class)."""

    code = "finance.pending_consents"

    def due_items(self, now):
        today = timezone.localdate(now)
        items = (
            FeeItem.objects.filter(voluntary=True, due_date__gte=today)
            .annotate(pending=Count("consents", filter=Q(consents__status=ConsentStatus.PENDING)))
            .filter(pending__gt=0)
            .select_related("school")
            .order_by("due_date", "pk")[:500]
        )
        for item in items:
            days = rules.value(item.school, CONSENT_DAYS)
            if item.due_date - today > datetime.timedelta(days=days):
                continue
            yield DueItem(
                obj=item,
                due_at=item.due_date,
                title=_("%(count)s guardians have not answered for “%(item)s”")
                % {"count": item.pending, "item": item.name},
                recipients=people(item.school_id, Role.FINANCE_OFFICER),
            )


class UnpaidChargesProvider(Provider):
    """Fees past their charge date with charges still unpaid: to the finance officer (not to parents)."""

    code = "finance.unpaid_charges"

    def due_items(self, now):
        from .money import with_balances

        today = timezone.localdate(now)
        rows = (
            with_balances(Charge.objects.filter(due_date__lt=today))
            .filter(balance_due__gt=0)
            .values("fee_item_id", "school_id")
            .annotate(n=Count("pk"))
            .order_by("fee_item_id")[:500]
        )
        items = FeeItem.objects.in_bulk([row["fee_item_id"] for row in rows])
        for row in rows:
            item = items[row["fee_item_id"]]
            yield DueItem(
                obj=item,
                due_at=item.due_date,
                title=_("%(count)s students have not paid “%(item)s”") % {"count": row["n"], "item": item.name},
                recipients=people(row["school_id"], Role.FINANCE_OFFICER),
            )


class AwaitingDecisionProvider(Provider):
    """Board versions waiting for the principal; waivers and refunds waiting for approval."""

    code = "finance.awaiting_decision"

    def due_items(self, now):
        for disclosure in FeeDisclosure.objects.filter(status=DisclosureStatus.SUBMITTED).order_by("pk")[:200]:
            yield DueItem(
                obj=disclosure,
                due_at=disclosure.submitted_at,
                title=_("%(board)s waits for your approval") % {"board": disclosure},
                recipients=people(disclosure.school_id, Role.PRINCIPAL),
            )
        for model in (Waiver, Refund):
            for record in model.objects.filter(status=ApprovalStatus.REQUESTED).order_by("pk")[:500]:
                yield DueItem(
                    obj=record,
                    due_at=record.created,
                    title=_("%(record)s waits for approval") % {"record": record},
                    recipients=people(record.school_id, Role.PRINCIPAL, Role.LOGISTICS_HEAD),
                )
