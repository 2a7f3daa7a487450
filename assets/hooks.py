"""Extension points other apps fill without assets importing them (arrows: repairs → assets).

``asset_panels``: callables ``fn(asset, request) -> dict | None`` returning
``{"title": str, "rows": [(text, url)], "add_url": str | None}``; each becomes a panel on the asset page
(e.g. repairs appends "Repair history"). When no app registered one, the asset page looks for
``repairs.Ticket`` with an ``asset`` field itself (guarded: nothing happens when it does not exist).
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

asset_panels = []


def register_asset_panel(fn):
    asset_panels.append(fn)
    return fn


def report_fault_url(asset):
    """``/repairs/tickets/add/?asset=<id>&room=<id>`` when repairs is installed, else None (and None for
    a card that is read-only: a disposed or written-off asset is repaired no more)."""
    from logistics.workflow import is_read_only

    if is_read_only(asset):
        return None
    try:
        url = reverse("repairs:ticket_add")
    except NoReverseMatch:
        return None
    query = f"?asset={asset.pk}"
    if asset.room_id:
        query += f"&room={asset.room_id}"
    return url + query


def _ticket_panel(asset, request):
    try:
        ticket_model = apps.get_model("repairs", "Ticket")
    except LookupError:
        return None
    if not any(f.name == "asset" for f in ticket_model._meta.get_fields()):
        return None
    manager = ticket_model.objects
    queryset = manager.restrict(request.user, "view") if hasattr(manager, "restrict") else manager.none()
    tickets = list(queryset.filter(asset=asset).order_by("-pk")[:20])
    rows = []
    for ticket in tickets:
        url = ticket.get_absolute_url() if hasattr(ticket, "get_absolute_url") else ""
        status = ticket.get_status_display() if hasattr(ticket, "get_status_display") else ""
        rows.append((f"{ticket} {status}".strip(), url))
    return {"title": _("Repair history"), "rows": rows, "add_url": report_fault_url(asset)}


def panels_for(asset, request):
    found = [panel for fn in asset_panels if (panel := fn(asset, request))]
    if not asset_panels:
        panel = _ticket_panel(asset, request)
        if panel is not None:
            found.append(panel)
    return found
