"""Hazard services: report one (through the platform's corrective actions), open a repair ticket for
it (through the repairs app's service), the register (隐患台账) as XLSX."""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from logistics.accounts import permissions
from logistics.corrective.services import open_action

from .models import Hazard, HazardTicket


def report_hazard(
    *,
    school,
    actor,
    title,
    description="",
    place=None,
    level="general",
    photos=(),
    origin="safety.hazard",
    source=None,
    owner=None,
    deadline=None,
    measures="",
):
    """Report a hazard found by anyone on staff, a patrol or an inspection (``origin``); returns the
    :class:`Hazard`. Rule: anyone on staff may report (DOMAIN.md § Safety: sources patrols, inspections,
    reports)."""
    if not permissions.has_perm(actor, "safety.add_hazard", school):
        raise PermissionDenied(_("You may not report hazards in this school."))
    action = open_action(
        school=school,
        actor=actor,
        origin=origin,
        title=title,
        description=description,
        source=source,
        place=place,
        level=level,
        owner=owner,
        deadline=deadline,
        measures=measures,
        photos=photos,
    )
    return Hazard.objects.get(pk=action.pk)


def open_repair_ticket(hazard, user, *, room, trade, description=""):
    """Open a repair ticket for the hazard through the repairs app's service; the hazard shows its state."""
    from repairs import services as repairs

    if not permissions.has_perm(user, "safety.add_hazardticket", hazard.school_id):
        raise PermissionDenied(_("You may not open repair tickets for hazards."))
    with transaction.atomic():
        ticket = repairs.create_ticket(
            school=hazard.school,
            user=user,
            room=room,
            trade=trade,
            description=(description or "").strip() or f"{hazard.reference} {hazard.title}",
        )
        HazardTicket.objects.create(school_id=hazard.school_id, hazard_id=hazard.pk, ticket=ticket)
    return ticket


def tickets_of(hazard):
    return list(
        HazardTicket.objects.filter(school_id=hazard.school_id, hazard_id=hazard.pk)
        .select_related("ticket")
        .order_by("pk")
    )


REGISTER_HEADERS = [
    pgettext_lazy("hazard register", "No."),
    pgettext_lazy("hazard register", "reference"),
    pgettext_lazy("hazard register", "date found"),
    pgettext_lazy("hazard register", "place"),
    pgettext_lazy("hazard register", "hazard"),
    pgettext_lazy("hazard register", "level"),
    pgettext_lazy("hazard register", "found by"),
    pgettext_lazy("hazard register", "measures"),
    pgettext_lazy("hazard register", "responsible person"),
    pgettext_lazy("hazard register", "deadline"),
    pgettext_lazy("hazard register", "funding (yuan)"),
    pgettext_lazy("hazard register", "what was done"),
    pgettext_lazy("hazard register", "rectified"),
    pgettext_lazy("hazard register", "verified by"),
    pgettext_lazy("hazard register", "verified"),
    pgettext_lazy("hazard register", "status"),
]


def register_xlsx(school, queryset):
    """The hazard register (安全隐患排查整改台账) in the familiar layout: a title row, one row per hazard."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Hazard register")[:31]
    sheet.append([_("%(school)s: register of safety hazards found and rectified") % {"school": school.name}])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([_("Exported %(time)s") % {"time": f"{timezone.localtime():%Y-%m-%d %H:%M}"}])
    sheet.append([str(h) for h in REGISTER_HEADERS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)

    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for index, hazard in enumerate(queryset.iterator(chunk_size=500), start=1):
        sheet.append(
            [
                index,
                hazard.reference,
                timezone.localtime(hazard.found_at).date().isoformat(),
                hazard.place,
                " — ".join(filter(None, [hazard.title, hazard.description])),
                str(hazard.get_level_display()),
                str(hazard.found_by),
                hazard.measures,
                str(hazard.owner or ""),
                hazard.deadline.isoformat() if hazard.deadline else "",
                float(hazard.funding) if hazard.funding is not None else "",
                hazard.rectification,
                local(hazard.rectified_at),
                str(hazard.verified_by or ""),
                local(hazard.verified_at),
                str(hazard.get_status_display()),
            ]
        )
    for letter, width in zip(
        "ABCDEFGHIJKLMNOP", (6, 16, 12, 18, 36, 8, 10, 28, 10, 12, 12, 28, 16, 10, 16, 10), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
