"""The utilities widget on the principal's dashboard and its columns on the district dashboard: the
month most recently closed, use per kind against the usual, and the meters above the usual."""

from django.utils.translation import gettext_lazy as _

from logistics.dashboard.registry import Widget

from . import figures
from .choices import UNITS, MeterKind
from .services import last_month


def _number(value):
    return f"{value:,.0f}" if value is not None else "—"


class UtilitiesWidget(Widget):
    code = "utilities"
    title = _("Water, electricity and gas")
    order = 60
    perm = "utilities.view_utility_figures"
    template = "utilities/widgets/utilities.html"
    district_columns = (
        ("water", _("Water use last month (m³)")),
        ("electricity", _("Electricity use last month (kWh)")),
        ("gas", _("Gas use last month (m³)")),
        ("flagged", _("Meters above the usual")),
    )

    def context(self, school, user):
        month = last_month()
        data = figures.totals([school.pk], [month])
        kinds = []
        flagged = 0
        for kind, label in MeterKind.choices:
            row = data.get((school.pk, kind, month))
            if row is None:
                continue
            flagged += row["flagged"]
            kinds.append(
                {
                    "label": label,
                    "unit": UNITS[kind],
                    "use": _number(row["use"]),
                    "usual": _number(row["usual"]) if row["usual"] is not None else None,
                    "judged": _number(row["judged"]) if row["judged"] is not None else None,
                    "above": row["judged"] is not None and row["usual"] is not None and row["judged"] > row["usual"],
                    "kind": kind,
                }
            )
        return {"month": month, "kinds": kinds, "flagged": flagged}

    def district_values(self, schools):
        ids = [s.pk for s in schools]
        month = last_month()
        data = figures.totals(ids, [month])
        out = {}
        for sid in ids:
            rows = {kind: data.get((sid, kind, month)) for kind in MeterKind.values}
            values = {kind: _number(row["use"]) if row else "—" for kind, row in rows.items()}
            recorded = [row for row in rows.values() if row]
            values["flagged"] = sum(row["flagged"] for row in recorded) if recorded else "—"
            out[sid] = values
        return out
