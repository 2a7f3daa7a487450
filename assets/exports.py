"""The ledger in the layout of a 固定资产明细账: assets grouped by category with subtotals."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from . import depreciation
from .choices import AssetStatus
from .models import Asset

ZERO = Decimal("0.00")


def ledger_rows(school, as_of):
    """Yields ("category", category) / ("asset", cells) / ("subtotal", cells) / ("total", cells)."""
    assets = (
        Asset.objects.filter(school=school, purchase_date__lte=as_of)
        .exclude(status=AssetStatus.DISPOSED, disposed_on__lte=as_of)
        .select_related("category", "room__building", "custodian")
        .order_by("category__code", "sequence")
    )
    current = None
    sub = [0, ZERO, ZERO, ZERO]
    total = [0, ZERO, ZERO, ZERO]

    def subtotal_row(category, values):
        return [
            "",
            _("Subtotal: %(category)s") % {"category": category.name},
            "",
            "",
            "",
            "",
            values[0],
            *values[1:],
            "",
        ]

    for asset in assets.iterator(chunk_size=2000):
        if current is None or asset.category_id != current.pk:
            if current is not None:
                yield "subtotal", subtotal_row(current, sub)
            current = asset.category
            sub = [0, ZERO, ZERO, ZERO]
            yield "category", [current.code, current.name, "", "", "", "", "", "", "", "", ""]
        value = depreciation.value_of(asset, as_of)
        room = f"{asset.room.building.name} {asset.room.name}" if asset.room_id else ""
        yield (
            "asset",
            [
                asset.code,
                asset.name,
                asset.model_spec,
                asset.purchase_date,
                room,
                str(asset.custodian or ""),
                1,
                value.cost,
                value.accumulated,
                value.net,
                asset.get_status_display(),
            ],
        )
        for bucket in (sub, total):
            bucket[0] += 1
            bucket[1] += value.cost
            bucket[2] += value.accumulated
            bucket[3] += value.net
    if current is not None:
        yield "subtotal", subtotal_row(current, sub)
    yield "total", ["", _("Total"), "", "", "", "", total[0], total[1], total[2], total[3], ""]


def headers():
    return [
        _("Asset code"),
        _("Name"),
        _("Model / specification"),
        _("Purchase date"),
        _("Room"),
        _("Custodian"),
        _("Quantity"),
        _("Cost (yuan)"),
        _("Accumulated depreciation"),
        _("Net book value"),
        _("Status"),
    ]


def ledger_workbook(school, as_of, fmt="xlsx"):
    title = _("Fixed asset ledger (固定资产明细账)")
    filename = f"ledger-{school.code}-{as_of.isoformat()}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([f"{school.name} {title}", f"{_('As of')} {as_of.isoformat()}"])
        writer.writerow(headers())
        for _kind, cells in ledger_rows(school, as_of):
            writer.writerow(cells)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "明细账"
    sheet.append([f"{school.name} {title}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=11)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"{_('As of')} {as_of.isoformat()}"])
    sheet.append(headers())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEEEEE")
    for kind, cells in ledger_rows(school, as_of):
        sheet.append(cells)
        if kind in ("category", "subtotal", "total"):
            for cell in sheet[sheet.max_row]:
                cell.font = bold
                if kind != "category":
                    cell.fill = fill
    for column, width in zip("ABCDEFGHIJK", (16, 24, 18, 12, 18, 10, 6, 12, 12, 12, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4, min_col=8, max_col=10):
        for cell in row:
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
