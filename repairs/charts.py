"""Figures → Chart.js configurations, tables and the paragraph that reads like the seeds' summaries."""

from django.utils.translation import gettext as _

from .choices import STATUS_COLOURS, TicketStatus, Trade

PALETTE = ["#0d6efd", "#ffc107", "#198754", "#0dcaf0", "#212529", "#6c757d", "#dc3545", "#6610f2"]
BOOTSTRAP = {
    "primary": "#0d6efd",
    "secondary": "#6c757d",
    "success": "#198754",
    "danger": "#dc3545",
    "warning": "#ffc107",
    "info": "#0dcaf0",
    "dark": "#212529",
    "light": "#adb5bd",
}


def _bar(cfg_id, title, labels, values, colours=None, horizontal=False):
    return {
        "id": cfg_id,
        "title": title,
        "config": {
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [{"label": title, "data": values, "backgroundColor": colours or PALETTE[0]}],
            },
            "options": {
                "indexAxis": "y" if horizontal else "x",
                "plugins": {"legend": {"display": False}},
                "maintainAspectRatio": False,
            },
        },
    }


def configs(figures):
    trades = [str(label) for label in Trade.labels]
    statuses = list(TicketStatus)
    return [
        _bar("chart-trade", _("Tickets by trade"), trades, [figures["by_trade"][t] for t in Trade.values], PALETTE),
        _bar(
            "chart-status",
            _("Tickets by status"),
            [str(s.label) for s in statuses],
            [figures["by_status"][s.value] for s in statuses],
            [BOOTSTRAP[STATUS_COLOURS[s]] for s in statuses],
        ),
        _bar(
            "chart-month",
            _("Tickets by month"),
            [row["month"] for row in figures["by_month"]],
            [row["count"] for row in figures["by_month"]],
        ),
        _bar(
            "chart-building",
            _("Tickets by building"),
            [row["building"] for row in figures["by_building"]],
            [row["count"] for row in figures["by_building"]],
            horizontal=True,
        ),
    ]


def trade_rows(figures):
    return [(label, figures["by_trade"][value]) for value, label in Trade.choices]


def _share(value):
    return "—" if value is None else f"{value * 100:.0f}%"


def summary_paragraph(figures, period_label):
    """ "In <period>, the plumbers took 562 tickets, …" — the seeds' way of reporting the work."""
    by_trade = figures["by_trade"]
    trades = [
        _("%(trade)s %(n)s") % {"trade": label, "n": by_trade[value]}
        for value, label in Trade.choices
        if by_trade[value]
    ]
    text = _("In %(period)s, %(total)s repair tickets were received: %(trades)s.") % {
        "period": period_label,
        "total": figures["total"],
        "trades": _(", ").join(trades) if trades else "0",
    }
    text += " " + _(
        "%(completed)s were completed, %(on_time)s on time; median time to complete %(median)s hours "
        "(90%% within %(p90)s hours); %(reopen)s were reopened."
    ) % {
        "completed": figures["completed"],
        "on_time": _share(figures["on_time_share"]),
        "median": figures["median_hours"] if figures["median_hours"] is not None else "—",
        "p90": figures["p90_hours"] if figures["p90_hours"] is not None else "—",
        "reopen": _share(figures["reopen_rate"]),
    }
    if figures["parts"]:
        parts = _(", ").join(f"{p['name']} {p['quantity']}{p['unit']}" for p in figures["parts"][:6])
        text += " " + _("Parts used: %(parts)s; parts cost %(cost)s yuan.") % {
            "parts": parts,
            "cost": figures.get("parts_total", figures["parts_cost"]),
        }
    if figures["damage_count"]:
        text += " " + _("Human damage in %(n)s cases; %(amount)s yuan charged to those responsible.") % {
            "n": figures["damage_count"],
            "amount": figures["damage_amount"],
        }
    return text
