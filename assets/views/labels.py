"""QR asset labels as an A4 PDF sheet (资产标签): school name, code and name in Chinese."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from logistics.ui.links import absolute

from ..filtersets import AssetFilterSet
from ..forms import LABEL_LAYOUTS
from ..models import Asset

MAX_LABELS = 2400


def label_url(request, asset):
    return absolute(reverse("assets:asset_label", args=[asset.code]), request)


def qr_data_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


@login_required
def labels_pdf(request):
    """``?ids=1,2,3`` or the asset list's filters (``?category=…&room=…``); ``layout=3x8``."""
    from weasyprint import HTML

    school = request.school
    queryset = Asset.objects.restrict(request.user, "view")
    if school:
        queryset = queryset.in_school(school)
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.strip().isdigit()]
    if ids:
        queryset = queryset.filter(pk__in=ids)
    else:
        params = request.GET.copy()
        for key in ("layout", "ids", "page", "sort", "export"):
            params.pop(key, None)
        queryset = AssetFilterSet(params, queryset=queryset, request=request).qs
    assets = list(queryset.select_related("room__building", "school").order_by("sequence")[:MAX_LABELS])
    layout = request.GET.get("layout", "3x8")
    columns, rows = LABEL_LAYOUTS.get(layout, LABEL_LAYOUTS["3x8"])
    per_page = columns * rows
    labels = [
        {
            "asset": asset,
            "qr": qr_data_uri(label_url(request, asset)),
            "room": f"{asset.room.building.name} {asset.room.name}" if asset.room_id else "",
        }
        for asset in assets
    ]
    pages = [labels[i : i + per_page] for i in range(0, len(labels), per_page)] or [[]]
    grid = []
    for page in pages:
        cells = page + [None] * (per_page - len(page))
        grid.append([cells[r * columns : (r + 1) * columns] for r in range(rows)])
    html = render_to_string(
        "assets/labels_pdf.html",
        {
            "pages": grid,
            "columns": columns,
            "rows": rows,
            "cell_width": round(190 / columns, 2),
            "cell_height": round(277 / rows, 2),
            "qr_size": round(min(277 / rows - 6, 190 / columns * 0.42, 26), 1),
            "school": school,
            "title": _("Asset labels"),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="asset-labels-{layout}.pdf"'
    return response
