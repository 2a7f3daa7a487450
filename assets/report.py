"""The monthly-report section: additions, disposals, transfers, value by category, stock-takes,
damages charged and paid."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from logistics.reports.registry import OpenItem, Section, SectionData, Table, comparisons

from . import reports_data
from .choices import LineResult, MovementKind, StockTakeStatus

DIFFERENCES = (LineResult.MISSING, LineResult.WRONG_ROOM, LineResult.NOT_IN_LEDGER)


def _figures(school, start, end):
    """The paragraph's figures: movements, the ledger on the last day, damages — as in the tables."""
    moves = reports_data.month_movements(school, start, end)

    def count(*kinds):
        return sum(moves.get(k, (0, 0))[0] for k in kinds)

    def value(*kinds):
        return sum((moves.get(k, (0, Decimal(0)))[1] for k in kinds), Decimal("0.00"))

    last_day = end - datetime.timedelta(days=1)
    ledger = reports_data.ledger_summary(school, last_day)
    damages = reports_data.damages(school, start, end)
    return {
        "moves": moves,
        "ledger": ledger,
        "damages": damages,
        "last_day": last_day,
        "added": count(MovementKind.ACQUIRE, MovementKind.FOUND),
        "added_value": value(MovementKind.ACQUIRE, MovementKind.FOUND),
        "disposed": count(MovementKind.DISPOSE),
        "disposed_value": value(MovementKind.DISPOSE),
        "moved": count(MovementKind.TRANSFER, MovementKind.STOCKTAKE_MOVE),
        "count": ledger["totals"]["count"],
        "cost": ledger["totals"]["cost"],
        "net": ledger["totals"]["net"],
        "charged": damages["charged"],
        "paid": damages["paid"],
    }


class AssetsSection(Section):
    code = "assets"
    title = gettext_lazy("Fixed assets")
    order = 30

    def figures(self, school, start, end):
        f = _figures(school, start, end)
        return f if (f["count"] or f["moves"] or f["damages"]["charged_n"] or f["damages"]["paid_n"]) else None

    def narrative(self, period, f, previous, last_year):
        if f is None:
            return [_("No assets are on the ledger yet.")]
        text = _(
            "In %(month)s, %(added)s assets (%(added_value)s yuan) were put on the ledger, %(disposed)s "
            "(%(disposed_value)s yuan) written off and %(moved)s transferred. On %(day)s the ledger holds "
            "%(count)s assets at a cost of %(cost)s yuan, net book value %(net)s yuan. "
            "Damages charged: %(charged)s yuan; paid: %(paid)s yuan."
        ) % {**f, "month": period.label, "day": f["last_day"].isoformat()}
        compared = comparisons(period, "cost", f, previous, last_year, unit=_(" yuan"))
        if compared:
            text += " " + _("The ledger's cost is %(compared)s.") % {"compared": compared}
        return [text]

    def open_items(self, school, day):
        """Stock-takes whose differences are not yet approved, and damages not yet paid."""
        from .models import DamageRecord, StockTake

        items = []
        for stocktake in (
            StockTake.objects.filter(school=school, status__in=[StockTakeStatus.IN_PROGRESS, StockTakeStatus.SUBMITTED])
            .annotate(differences=Count("lines", filter=Q(lines__result__in=DIFFERENCES)))
            .filter(differences__gt=0)
            .order_by("started_on")
        ):
            items.append(
                OpenItem(
                    _("Stock-take %(ref)s %(name)s: %(n)s differences not yet approved")
                    % {"ref": stocktake.reference, "name": stocktake.name, "n": stocktake.differences},
                    url=stocktake.get_absolute_url(),
                    kind=_("Stock-take"),
                )
            )
        for damage in DamageRecord.objects.filter(school=school, paid=False).order_by("created")[:30]:
            items.append(
                OpenItem(
                    _("Damage %(ref)s not paid: %(amount)s yuan (%(who)s)")
                    % {
                        "ref": damage.reference,
                        "amount": damage.amount,
                        "who": damage.responsible_person or damage.description[:40],
                    },
                    url=damage.get_absolute_url(),
                    kind=_("Damage compensation"),
                )
            )
        return items

    def build(self, school, start, end):
        f = _figures(school, start, end)
        moves, ledger, damages, last_day = f["moves"], f["ledger"], f["damages"], f["last_day"]
        stocktakes = reports_data.stocktake_results(school, start, end)
        changes = [
            [MovementKind(kind).label, n, val]
            for kind, (n, val) in sorted(moves.items(), key=lambda item: str(item[0]))
        ]
        tables = [
            Table(
                _("Changes to the ledger"),
                [_("Movement"), _("Count"), _("Value (yuan)")],
                changes,
                footer=[_("Total"), sum(r[1] for r in changes), sum((r[2] for r in changes), Decimal("0.00"))],
            ),
            Table(
                _("Value by category on %(day)s") % {"day": last_day.isoformat()},
                [_("Category"), _("Count"), _("Cost (yuan)"), _("Accumulated depreciation"), _("Net book value")],
                [[str(r["category"]), r["count"], r["cost"], r["accumulated"], r["net"]] for r in ledger["rows"]],
                footer=[
                    _("Total"),
                    ledger["totals"]["count"],
                    ledger["totals"]["cost"],
                    ledger["totals"]["accumulated"],
                    ledger["totals"]["net"],
                ],
            ),
        ]
        if stocktakes:
            tables.append(
                Table(
                    _("Stock-takes approved"),
                    [
                        _("Stock-take"),
                        pgettext("stocktake line result", "Found"),
                        _("Missing"),
                        _("Wrong room"),
                        _("Not in the ledger"),
                    ],
                    [
                        [
                            str(s),
                            c.get(LineResult.FOUND, 0),
                            c.get(LineResult.MISSING, 0),
                            c.get(LineResult.WRONG_ROOM, 0),
                            c.get(LineResult.NOT_IN_LEDGER, 0),
                        ]
                        for s, c in stocktakes
                    ],
                )
            )
        tables.append(
            Table(
                _("Damage compensation"),
                [_("Item"), _("Count"), _("Amount (yuan)")],
                [
                    [_("Charged this month"), damages["charged_n"], damages["charged"]],
                    [_("Paid this month"), damages["paid_n"], damages["paid"]],
                    [_("Outstanding (all)"), "", damages["outstanding"]],
                ],
            )
        )
        # the narrative (from the same figures) says it in words; the tables follow
        return SectionData(title=str(self.title), paragraphs=[], tables=tables)
