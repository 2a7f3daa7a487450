"""Public pages without login (``/p/<school-slug>/fees/``): the board in force, every old version with
its dates and what changed, and the wall poster (A3/A4 PDF with a QR code to the page). No personal data:
only what the board itself publishes."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control

from logistics.tenancy.models import School
from logistics.ui.documents import html_to_pdf, qr_data_uri
from logistics.ui.links import absolute

from . import services
from .choices import FROZEN_DISCLOSURE_STATUSES, FeeCategory, SettlementStatus
from .models import FeeDisclosure, Settlement

PAPER_SIZES = {"a4": "A4", "a3": "A3"}


def board_url(school, request=None):
    return absolute(reverse("finance_public:board", args=[school.slug]), request)


def _grouped(entries):
    groups = {value: {"label": label, "entries": []} for value, label in FeeCategory.choices}
    for entry in entries:
        groups[entry.category]["entries"].append(entry)
    return [g for g in groups.values() if g["entries"]]


BOARD_CACHE_SECONDS = 600


def _board_key(request, school):
    """What the public board depends on: its versions (a publication changes the count or the latest
    date), the approved settlements' spending lists, the language and whether a visitor is logged in —
    the page itself is the same for everyone else, so it is rendered once per change (two queries)."""
    from django.db.models import Count, Max
    from django.utils import translation

    versions = FeeDisclosure.objects.filter(school=school, status__in=FROZEN_DISCLOSURE_STATUSES).aggregate(
        n=Count("pk"), last=Max("published_at")
    )
    spent = Settlement.objects.filter(school=school, status=SettlementStatus.APPROVED).aggregate(
        n=Count("pk"), last=Max("approved_at")
    )
    stamp = f"{versions['n']}-{versions['last']}-{spent['n']}-{spent['last']}"
    user = "in" if request.user.is_authenticated else "out"
    import hashlib

    digest = hashlib.sha256(f"{stamp}|{translation.get_language()}|{user}".encode()).hexdigest()[:32]
    return f"finance-board-{school.pk}-{digest}"


@cache_control(public=True, max_age=60)
def board(request, school_slug):
    from django.core.cache import cache

    school = get_object_or_404(School, slug=school_slug)
    key = _board_key(request, school)
    html = cache.get(key)
    if html is None:
        html = _render_board(request, school).content.decode()
        cache.set(key, html, BOARD_CACHE_SECONDS)
    return HttpResponse(html)


def _render_board(request, school):
    rows = services.history(school)
    current = next((r for r in rows if r["version"].status == "published"), None)
    return render(
        request,
        "finance/public_board.html",
        {
            "school": school,
            "current": current,
            "groups": _grouped(current["entries"]) if current else [],
            "history": rows,
            "settlements": Settlement.objects.filter(school=school, status=SettlementStatus.APPROVED)
            .select_related("fee_item")
            .order_by("-approved_at"),
            "title": school.name,
        },
    )


@cache_control(public=True, max_age=3600)
def version(request, school_slug, number):
    school = get_object_or_404(School, slug=school_slug)
    disclosure = get_object_or_404(FeeDisclosure, school=school, version=number, status__in=FROZEN_DISCLOSURE_STATUSES)
    row = next(r for r in services.history(school) if r["version"].pk == disclosure.pk)
    return render(
        request,
        "finance/public_version.html",
        {"school": school, "row": row, "groups": _grouped(row["entries"]), "title": school.name},
    )


def poster(request, school_slug):
    """The board in force as the poster on the school's wall: A4 (default) or A3 (``?size=a3``)."""
    school = get_object_or_404(School, slug=school_slug)
    disclosure = services.published_board(school)
    if disclosure is None:
        raise Http404
    size = PAPER_SIZES.get(request.GET.get("size", "a4").lower(), "A4")
    url = board_url(school, request)
    html = render_to_string(
        "finance/poster.html",
        {
            "school": school,
            "disclosure": disclosure,
            "groups": _grouped(disclosure.entries.order_by("category", "name")),
            "qr": qr_data_uri(url, scale=6 if size == "A4" else 8),
            "url": url,
            "size": size,
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fees-{school.slug}-v{disclosure.version}-{size}.pdf"'
    return response


@cache_control(public=True, max_age=300)
def spending(request, school_slug, pk):
    """The published spending list (收费支出清单) of an approved settlement: collected, spent, refunded,
    per student — no names."""
    school = get_object_or_404(School, slug=school_slug)
    settlement = get_object_or_404(
        Settlement.objects.select_related("fee_item"), school=school, pk=pk, status=SettlementStatus.APPROVED
    )
    count = settlement.lines.count()
    return render(
        request,
        "finance/public_spending.html",
        {
            "school": school,
            "settlement": settlement,
            "count": count,
            "per_student": (settlement.actual_total / count).quantize(Decimal("0.01")) if count else None,
            "title": school.name,
        },
    )
