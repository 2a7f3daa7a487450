"""The monthly-report section: additions, disposals, transfers, value by category, stock-takes,
damages charged and paid."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import Section, SectionData, Table

from . import reports_data
from .choices import LineResult, MovementKind


class AssetsSection(Section):
    code = "assets"
    title = gettext_lazy("Fixed assets")
    order = 30

    def build(self, school, start, end):
        moves = reports_data.month_movements(school, start, end)

        def count(*kinds):
            return sum(moves.get(k, (0, 0))[0] for k in kinds)

        def value(*kinds):
            return sum((moves.get(k, (0, Decimal(0)))[1] for k in kinds), Decimal("0.00"))

        last_day = end - datetime.timedelta(days=1)
        ledger = reports_data.ledger_summary(school, last_day)
        stocktakes = reports_data.stocktake_results(school, start, end)
        damages = reports_data.damages(school, start, end)
        paragraph = _(
            "In %(month)s, %(added)s assets (%(added_value)s yuan) were put on the ledger, %(disposed)s "
            "(%(disposed_value)s yuan) written off and %(moved)s transferred. On %(day)s the ledger holds "
            "%(count)s assets at a cost of %(cost)s yuan, net book value %(net)s yuan. "
            "Damages charged: %(charged)s yuan; paid: %(paid)s yuan."
        ) % {
            "month": start.strftime("%Y-%m"),
            "added": count(MovementKind.ACQUIRE, MovementKind.FOUND),
            "added_value": value(MovementKind.ACQUIRE, MovementKind.FOUND),
            "disposed": count(MovementKind.DISPOSE),
            "disposed_value": value(MovementKind.DISPOSE),
            "moved": count(MovementKind.TRANSFER, MovementKind.STOCKTAKE_MOVE),
            "day": last_day.isoformat(),
            "count": ledger["totals"]["count"],
            "cost": ledger["totals"]["cost"],
            "net": ledger["totals"]["net"],
            "charged": damages["charged"],
            "paid": damages["paid"],
        }
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
                    [_("Stock-take"), _("Found"), _("Missing"), _("Wrong room"), _("Not in the ledger")],
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
        return SectionData(title=str(self.title), paragraphs=[paragraph], tables=tables)
