"""The district comparison (学校对比): schools side by side over a period, one column per district figure,
with the district's total and median; sortable; as an XLSX with numbers as numbers."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from logistics.accounts import permissions
from logistics.ui.exports import safe

from . import figures
from . import metrics as registry


def schools_with(user, perm, schools):
    """The ids of ``schools`` where ``user`` holds ``perm`` (any scope) — one look at the memberships."""
    ids = {s.pk for s in schools}
    if user.is_superuser:
        return ids
    held = set()
    for school_ids in permissions.scopes_for(user, perm).values():
        held |= set(school_ids)
    return ids & held


def columns_for(user, schools):
    """The district figures the user may see: those of an area whose permission they hold in any school
    (a school where they do not is shown as missing)."""
    visible = []
    area_perm = {a.code: a.perm for a in registry.areas()}
    allowed_by_perm = {}
    for metric in registry.metrics(district=True):
        perm = metric.perm or area_perm[metric.area]
        if perm not in allowed_by_perm:
            allowed_by_perm[perm] = schools_with(user, perm, schools)
        if allowed_by_perm[perm]:
            visible.append((metric, allowed_by_perm[perm]))
    return visible


def comparison(user, schools, start, end, sort="", fresh=False):
    """{"columns", "rows", "totals", "medians", "computed_at", "sort"} of ``schools`` over [start, end)."""
    columns = columns_for(user, schools)
    table, computed_at = figures.district_table([s.pk for s in schools], start, end, fresh=fresh)
    rows = []
    for school in schools:
        cells = []
        for metric, allowed in columns:
            value = table.get(metric.code, {}).get(school.pk) if school.pk in allowed else None
            cells.append(
                {
                    "value": value,
                    "number": metric.number(value),
                    "text": metric.display(value),
                    "missing": value is None,
                }
            )
        rows.append({"school": school, "cells": cells})
    totals, medians = [], []
    for index, (metric, _allowed) in enumerate(columns):
        values = [row["cells"][index]["value"] for row in rows]
        total = metric.total(values)
        totals.append({"value": total, "number": metric.number(total), "text": metric.display_total(total)})
        middle = None if metric.kind == registry.FLAG else registry.median(c["number"] for c in _cells(rows, index))
        medians.append({"number": middle, "text": _median_text(metric, middle)})
    sort_key, descending = (sort[1:], True) if sort.startswith("-") else (sort, False)
    codes = [m.code for m, _a in columns]
    if sort_key in codes:
        index = codes.index(sort_key)
        present = [r for r in rows if r["cells"][index]["number"] is not None]
        missing = [r for r in rows if r["cells"][index]["number"] is None]
        present.sort(key=lambda r: r["cells"][index]["number"], reverse=descending)
        rows = present + missing  # a school with nothing recorded stays last, whichever the order
    elif sort_key == "school" and descending:
        rows.reverse()
    # what the rendered table depends on (its rows' HTML is kept under this key: dashboard/district.html)
    key = figures.digest_of(
        start, end, sort, [(m.code, sorted(a)) for m, a in columns], [s.pk for s in schools], computed_at
    )
    return {
        "columns": [m for m, _a in columns],
        "rows": rows,
        "totals": totals,
        "medians": medians,
        "computed_at": computed_at,
        "sort": sort,
        "key": key,
    }


def _cells(rows, index):
    return [row["cells"][index] for row in rows]


def _median_text(metric, number):
    if number is None:
        return "—" if metric.kind != registry.FLAG else ""
    if metric.kind == registry.RATE:
        return f"{number * 100:.1f}%"
    if metric.kind == registry.HOURS:
        return metric.display(number)
    if metric.kind == registry.AMOUNT:
        return f"{number:,.2f}"
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.1f}"


# --- XLSX -----------------------------------------------------------------------------------------
PERCENT, AMOUNT, DECIMAL, INTEGER = "0.0%", "#,##0.00", "0.0", "#,##0"


def _xlsx_value(metric, value):
    """(cell value, number format): numbers as numbers (a rate as a share formatted as a percentage);
    a missing figure is an empty cell."""
    if value is None:
        return None, None
    if metric.kind == registry.RATE:
        share = metric.number(value)
        return (round(share, 4), PERCENT) if share is not None else (None, None)
    if metric.kind == registry.FLAG:
        return str(metric.yes if value else metric.no), None
    if metric.kind == registry.AMOUNT:
        return float(value), AMOUNT
    if metric.kind == registry.HOURS:
        return float(value), DECIMAL
    return (int(value), INTEGER) if float(value).is_integer() else (float(value), DECIMAL)


def xlsx(data, label):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("District comparison"))[:31]
    sheet.append([safe(str(_("District comparison"))), safe(label)])
    sheet.append([str(_("Computed")), timezone.localtime(data["computed_at"]).strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append([str(_("School"))] + [str(m.label) for m in data["columns"]])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        sheet.append([safe(row["school"].name)])
        line = sheet.max_row
        for index, (metric, cell) in enumerate(zip(data["columns"], row["cells"], strict=True)):
            value, fmt = _xlsx_value(metric, cell["value"])
            target = sheet.cell(row=line, column=index + 2, value=value)
            if fmt:
                target.number_format = fmt
    sheet.append([str(_("District total"))])
    line = sheet.max_row
    for index, (metric, total) in enumerate(zip(data["columns"], data["totals"], strict=True)):
        if metric.kind == registry.FLAG:
            value, fmt = total["value"], INTEGER
        else:
            value, fmt = _xlsx_value(metric, total["value"])
        target = sheet.cell(row=line, column=index + 2, value=value)
        target.font = Font(bold=True)
        if fmt:
            target.number_format = fmt
    sheet.append([str(_("District median"))])
    line = sheet.max_row
    for index, (metric, middle) in enumerate(zip(data["columns"], data["medians"], strict=True)):
        number = middle["number"]
        fmt = PERCENT if metric.kind == registry.RATE else (AMOUNT if metric.kind == registry.AMOUNT else DECIMAL)
        target = sheet.cell(row=line, column=index + 2, value=None if number is None else round(float(number), 4))
        target.number_format = fmt
    sheet.append([])
    sheet.append([str(_("An empty cell: nothing recorded in Houqin for that school in the period."))])
    sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="district-comparison-{stamp}.xlsx"'
    return response
