"""Room QR codes: an A4 sheet per school (building by building) and a poster per room, as PDF.

Each code holds the address ``/repairs/r/<room id>/``: scanning it opens the ticket form for that
room (after logging in when needed).
"""

import segno
from django.template.loader import render_to_string
from django.urls import reverse

from logistics.ui.links import absolute


def room_url(room, request=None):
    """The address a room's code holds: the public address (``SITE_URL``, else the request's host)."""
    return absolute(reverse("repairs:scan_room", args=[room.pk]), request)


def qr_data_uri(url, scale=6):
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


def _pdf(html):
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def sheet_pdf(request, school, rooms):
    """Rooms grouped by building, 12 codes an A4 page, each with the room's name."""
    buildings = []
    for room in rooms:
        if not buildings or buildings[-1]["building"] != room.building:
            buildings.append({"building": room.building, "rooms": []})
        buildings[-1]["rooms"].append(
            {"room": room, "qr": qr_data_uri(room_url(room, request), scale=4), "url": room_url(room, request)}
        )
    html = render_to_string("repairs/qr_sheet.html", {"school": school, "buildings": buildings}, request=request)
    return _pdf(html)


def poster_pdf(request, school, room):
    html = render_to_string(
        "repairs/qr_poster.html",
        {
            "school": school,
            "room": room,
            "qr": qr_data_uri(room_url(room, request), scale=12),
            "url": room_url(room, request),
        },
        request=request,
    )
    return _pdf(html)
