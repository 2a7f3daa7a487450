"""Checkpoint QR posters (PDF) and the daily sheet of rotating codes."""

import datetime

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from logistics.ui.links import absolute


def checkpoint_url(checkpoint, request=None):
    """The address a checkpoint's poster holds: opened with the phone's camera it records the scan."""
    return absolute(reverse("safety:scan_code", args=[checkpoint.code]), request)


def qr_data_uri(text, scale=6):
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)


def poster_pdf(request, school, checkpoint):
    from weasyprint import HTML

    html = render_to_string(
        "safety/checkpoint_poster.html",
        {
            "school": school,
            "checkpoint": checkpoint,
            "qr": qr_data_uri(checkpoint_url(checkpoint, request), scale=12),
            "url": checkpoint_url(checkpoint, request),
        },
        request=request,
    )
    return HTML(string=html).write_pdf()


def daily_codes(checkpoint, day):
    """[(from, until, code)] of a rotating checkpoint for one local day — the printed daily sheet."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    end = start + datetime.timedelta(days=1)
    step = datetime.timedelta(minutes=max(1, checkpoint.rotation_minutes))
    rows = []
    moment = start
    while moment < end:
        slot = checkpoint.slot_of(moment)
        rows.append((timezone.localtime(moment), timezone.localtime(moment + step), checkpoint.code_for_slot(slot)))
        moment += step
    return rows
