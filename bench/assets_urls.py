"""The assets benchmark server's URLs: the application's, plus the floor — a minimal logged-in view
that reads the same first page of asset cards with the ORM and returns JSON."""

from floor import floor_view, urlpatterns_with

from assets.models import Asset

floor = floor_view(
    Asset,
    order_by=("-sequence", "-id"),
    fields=("id", "code", "name", "category_id", "unit_price", "purchase_date", "room_id", "status"),
    doc="Session → user → the user's school → the first 50 asset cards, as JSON: the least a list costs.",
)

urlpatterns = urlpatterns_with(floor)
