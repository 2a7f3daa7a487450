"""The dashboard benchmark server's URLs: the application's, plus the floor — a minimal logged-in view
that reads the first page of the school's repair tickets with the ORM and returns JSON."""

from floor import floor_view, urlpatterns_with

from repairs.models import Ticket

floor = floor_view(
    Ticket,
    order_by=("-submitted_at", "-id"),
    fields=("id", "reference", "status", "trade", "urgency", "description", "submitted_at", "room_id"),
    doc="Session → user → the user's school → the first 50 tickets, as JSON: the least any page costs.",
)

urlpatterns = urlpatterns_with(floor)
