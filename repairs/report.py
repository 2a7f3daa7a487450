"""The repairs section of the monthly report: a paragraph like the seeds' summaries and the tables behind it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from logistics.reports.registry import OpenItem, Section, SectionData, Table, comparisons, full_stop, paren, semicolon

from . import charts, stats
from .choices import OPEN_STATUSES, TicketStatus, Trade


class RepairsSection(Section):
    code = "repairs"
    title = gettext_lazy("Repairs")
    order = 20

    def figures(self, school, start, end):
        """The figures of the narrative: the same ``stats.compute`` as the tables; None when no ticket."""
        figures = stats.compute([school.pk], start, end, use_cache=False)
        return figures if figures["total"] else None

    def narrative(self, period, figures, previous, last_year):
        """ "本月共受理报修 X 件，其中水道 … 件；完成 … 件，按时完成率 …%，较上月 …" """
        if figures is None:
            return [_("%(period)s no repair tickets were received.") % {"period": period.word}]
        trades = _(", ").join(
            _("%(trade)s %(n)s") % {"trade": label, "n": figures["by_trade"][value]}
            for value, label in Trade.choices
            if figures["by_trade"][value]
        )
        text = _("%(period)s %(total)s repair tickets were received, of which %(trades)s") % {
            "period": period.word,
            "total": figures["total"],
            "trades": trades,
        }
        text += paren(comparisons(period, "total", figures, previous, last_year, unit=_(" tickets"))) + semicolon()
        text += _("%(completed)s completed, %(on_time)s on time") % {
            "completed": figures["completed"],
            "on_time": charts._share(figures["on_time_share"]),
        }
        text += paren(comparisons(period, "on_time_share", figures, previous, last_year, share=True))
        if figures["median_hours"] is not None:
            text += semicolon() + _("median time to complete %(median)s hours") % {"median": figures["median_hours"]}
        text += semicolon() + _("%(open)s still open") % {"open": figures["open"]} + full_stop()
        if figures["parts"]:
            parts = _(", ").join(f"{p['name']} {p['quantity']}{p['unit']}" for p in figures["parts"][:6])
            text += " " + _("Parts used: %(parts)s; parts cost %(cost)s yuan.") % {
                "parts": parts,
                "cost": figures["parts_total"],
            }
        if figures["damage_count"]:
            text += " " + _("Human damage in %(n)s cases; %(amount)s yuan charged to those responsible.") % {
                "n": figures["damage_count"],
                "amount": figures["damage_amount"],
            }
        return [text]

    def open_items(self, school, day):
        """Tickets still open past their target time."""
        from .models import Ticket

        late = (
            Ticket.objects.filter(school=school, status__in=OPEN_STATUSES, target_at__lt=timezone.now())
            .select_related("room__building")
            .order_by("target_at")
        )
        return [
            OpenItem(
                _("Repair %(ref)s (%(room)s) is past its target time: %(what)s")
                % {"ref": t.reference, "room": t.room or "—", "what": t.description[:60]},
                due=timezone.localdate(t.target_at),
                url=t.get_absolute_url(),
                kind=_("Repair"),
            )
            for t in late[:30]
        ]

    def build(self, school, start, end):
        figures = stats.compute([school.pk], start, end, use_cache=False)
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
        # the narrative (from ``figures``, the same numbers) says it in words; the tables follow
        return SectionData(title=str(self.title), paragraphs=[], tables=tables)
