"""The repairs section of the monthly report: a paragraph like the seeds' summaries and the tables behind it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import Section, SectionData, Table

from . import charts, stats
from .choices import TicketStatus, Trade


class RepairsSection(Section):
    code = "repairs"
    title = gettext_lazy("Repairs")
    order = 20

    def build(self, school, start, end):
        figures = stats.compute([school.pk], start, end, use_cache=False)
        month = start.strftime("%Y-%m")
        by_trade = figures["by_trade"]
        tables = [
            Table(
                _("Tickets by trade"),
                [_("Trade"), _("Tickets")],
                [[label, by_trade[value]] for value, label in Trade.choices],
                footer=[_("Total"), figures["total"]],
            ),
            Table(
                _("Tickets by status"),
                [_("Status"), _("Tickets")],
                [[label, figures["by_status"][value]] for value, label in TicketStatus.choices],
            ),
            Table(
                _("Timeliness"),
                [_("Figure"), _("Value")],
                [
                    [_("Completed"), figures["completed"]],
                    [
                        _("Median hours to complete"),
                        figures["median_hours"] if figures["median_hours"] is not None else "—",
                    ],
                    [
                        _("90th percentile of time to complete (hours)"),
                        figures["p90_hours"] if figures["p90_hours"] is not None else "—",
                    ],
                    [_("Completed on time"), charts._share(figures["on_time_share"])],
                    [_("Reopened"), charts._share(figures["reopen_rate"])],
                    [_("Escalated past the target time"), figures["escalated"]],
                    [_("Hours of work recorded"), figures["labour_hours"]],
                ],
            ),
            Table(
                _("Parts and materials used"),
                [_("Part or material"), _("Quantity"), _("Unit"), _("Cost (yuan)")],
                [[p["name"], p["quantity"], p["unit"], p["cost"]] for p in figures["parts"]]
                + (
                    [
                        [
                            _("%(n)s other parts") % {"n": figures["parts_other"]["count"]},
                            "",
                            "",
                            figures["parts_other"]["cost"],
                        ]
                    ]
                    if figures["parts_other"]["count"]
                    else []
                ),
                # the total of these rows (parts recorded in the month, not reversed)
                footer=[_("Total"), "", "", figures["parts_total"]],
            ),
            Table(
                _("Rooms with the most tickets"),
                [_("Room"), _("Tickets")],
                [[r["room"], r["count"]] for r in figures["top_rooms"]],
            ),
            Table(
                _("Human damage charged back"),
                [_("Cases"), _("Amount (yuan)")],
                [[figures["damage_count"], figures["damage_amount"]]],
            ),
        ]
        return SectionData(
            title=str(self.title),
            paragraphs=[charts.summary_paragraph(figures, month)],
            tables=tables,
        )
