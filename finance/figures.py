"""The finance figures of many schools for one term (各校收费情况): what the district checks — the items
on each school's published board, whether the board is current, collected against due, refunds waiting
for a decision, settlements done. ``district_rows(schools, term)`` is the one place these are computed,
in a fixed number of queries whatever the number of schools (the platform's district comparison may
reuse it). A school that recorded nothing for the term is *missing*, never a row of zeros.

A term is a fee item's period (``FeeItem.period_label``, e.g. 2026年秋季学期)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from .choices import VOLUNTARY_CATEGORIES, ApprovalStatus, DisclosureStatus, PaymentStatus, SettlementStatus
from .models import Charge, DisclosureEntry, FeeDisclosure, FeeItem, Payment, Refund, Settlement, Waiver

ZERO = Decimal("0.00")

#: the figures summed in the district's total row (the others are states or dates)
SUMMED = ("items", "due", "collected", "outstanding", "refunds_pending", "refunds_pending_amount", "settled")


@dataclass
class SchoolFigures:
    """One school's figures for the term; ``missing`` when it recorded nothing for it."""

    school: object
    missing: bool = True
    published_on: object = None  # date of the board in force, or None
    board_current: bool = False
    stale_items: int = 0  # items of the term on the board whose published version differs or is absent
    items: int = 0  # items of the term on the published board
    due: Decimal = ZERO  # charged − waived
    collected: Decimal = ZERO  # paid − refunded
    refunds_pending: int = 0
    refunds_pending_amount: Decimal = ZERO
    settled: int = 0  # settlements approved
    to_settle: int = 0  # at-cost items of the term charged to students
    extra: dict = field(default_factory=dict)

    @property
    def outstanding(self):
        return self.due - self.collected

    @property
    def collected_percent(self):
        return int(self.collected * 100 / self.due) if self.due else None

    @property
    def board_state(self):
        if self.missing:
            return _("Nothing recorded")
        if self.published_on is None:
            return _("Not published")
        if self.board_current:
            return _("Current")
        return _("Out of date: %(n)s items changed since publication") % {"n": self.stale_items}


def terms(schools):
    """The terms (periods) any of ``schools`` has fee items for, newest first (one query)."""
    rows = (
        FeeItem.objects.filter(school__in=schools)
        .values("period_label")
        .annotate(start=Max("period_start"))
        .order_by("-start", "period_label")
    )
    return [row["period_label"] for row in rows]


def _by_school(queryset, **aggregates):
    return {row.pop("school_id"): row for row in queryset.values("school_id").annotate(**aggregates).order_by()}


def district_rows(schools, term):
    """[SchoolFigures] of ``schools`` (in their order) for ``term`` — nine queries for any number of
    schools."""
    ids = [s.pk for s in schools]
    items = FeeItem.objects.filter(school_id__in=ids, period_label=term)
    published = FeeDisclosure.objects.filter(school_id__in=ids, status=DisclosureStatus.PUBLISHED)
    boards = {row["school_id"]: row for row in published.values("school_id", "pk", "published_at")}
    same_entry = DisclosureEntry.objects.filter(
        disclosure__status=DisclosureStatus.PUBLISHED,
        fee_item=OuterRef("pk"),
        amount=OuterRef("amount"),
        name=OuterRef("name"),
        disclosure__published_at__gte=OuterRef("updated"),
    )
    item_rows = _by_school(
        items.annotate(current=Exists(same_entry)),
        recorded=Count("pk"),
        stale=Count("pk", filter=Q(on_board=True, current=False)),
        at_cost=Count("pk", filter=Q(category__in=list(VOLUNTARY_CATEGORIES))),
    )
    entries = _by_school(
        DisclosureEntry.objects.filter(
            school_id__in=ids, disclosure__status=DisclosureStatus.PUBLISHED, period_label=term
        ),
        n=Count("pk"),
    )
    in_term = {"school_id__in": ids, "charge__fee_item__period_label": term}
    charged = _by_school(Charge.objects.filter(school_id__in=ids, fee_item__period_label=term), total=Sum("amount"))
    waived = _by_school(Waiver.objects.filter(status=ApprovalStatus.APPROVED, **in_term), total=Sum("amount"))
    paid = _by_school(Payment.objects.filter(status=PaymentStatus.RECORDED, **in_term), total=Sum("amount"))
    refunds = _by_school(
        Refund.objects.filter(status__in=[ApprovalStatus.APPROVED, ApprovalStatus.REQUESTED], **in_term),
        refunded=Sum("amount", filter=Q(status=ApprovalStatus.APPROVED)),
        pending=Count("pk", filter=Q(status=ApprovalStatus.REQUESTED)),
        pending_amount=Sum("amount", filter=Q(status=ApprovalStatus.REQUESTED)),
    )
    settlements = _by_school(
        Settlement.objects.filter(school_id__in=ids, fee_item__period_label=term),
        approved=Count("pk", filter=Q(status=SettlementStatus.APPROVED)),
    )
    at_cost_charged = _by_school(
        FeeItem.objects.filter(
            school_id__in=ids,
            period_label=term,
            category__in=list(VOLUNTARY_CATEGORIES),
            pk__in=Charge.objects.filter(school_id__in=ids, settlement__isnull=True).values("fee_item_id"),
        ),
        n=Count("pk"),
    )
    result = []
    for school in schools:
        sid = school.pk
        figures = SchoolFigures(school)
        recorded = item_rows.get(sid, {}).get("recorded", 0)
        if not recorded and sid not in charged:
            result.append(figures)  # missing: nothing recorded for the term
            continue
        board = boards.get(sid)
        figures.missing = False
        figures.published_on = board["published_at"].date() if board and board["published_at"] else None
        figures.stale_items = item_rows.get(sid, {}).get("stale", 0)
        figures.board_current = board is not None and figures.stale_items == 0
        figures.items = entries.get(sid, {}).get("n", 0)
        figures.due = _money(sid, charged) - _money(sid, waived)
        figures.collected = _money(sid, paid) - _money(sid, refunds, "refunded")
        figures.refunds_pending = refunds.get(sid, {}).get("pending", 0)
        figures.refunds_pending_amount = _money(sid, refunds, "pending_amount")
        figures.settled = settlements.get(sid, {}).get("approved", 0)
        figures.to_settle = at_cost_charged.get(sid, {}).get("n", 0)
        result.append(figures)
    return result


def _money(sid, table, key="total"):
    return table.get(sid, {}).get(key) or ZERO


def totals(rows):
    """The district's total of the schools that reported (the missing ones are counted apart)."""
    reported = [r for r in rows if not r.missing]
    total = {name: sum((getattr(r, name) for r in reported), 0) for name in SUMMED}
    total["to_settle"] = sum(r.to_settle for r in reported)
    total["missing"] = len(rows) - len(reported)
    total["reported"] = len(reported)
    total["collected_percent"] = int(total["collected"] * 100 / total["due"]) if total["due"] else None
    return total
