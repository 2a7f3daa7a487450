"""What the settlement page shows of the per-student costs (kept out of ``views.py``)."""

from django.db.models import Count, Sum

from logistics.accounts import permissions

from .choices import CostSplit, SettlementStatus
from .models import Charge, StudentCost


def settlement_cost_context(settlement, user):
    per_student = settlement.split == CostSplit.PER_STUDENT
    entered = (
        StudentCost.objects.filter(settlement=settlement).aggregate(n=Count("pk"), total=Sum("amount"))
        if per_student
        else {"n": 0, "total": None}
    )
    return {
        "costs_sum": entered["total"] or 0,
        "may_enter_costs": settlement.status != SettlementStatus.APPROVED
        and per_student
        and permissions.has_perm(user, "finance.add_studentcost", settlement.school_id),
        "costs_entered": entered["n"],
        "charged_count": Charge.objects.filter(fee_item_id=settlement.fee_item_id, settlement__isnull=True).count()
        if per_student
        else 0,
    }
