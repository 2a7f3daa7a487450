"""The finance benchmark server's URLs: the application's, plus the floor — a minimal logged-in view
that reads the first 50 charges of the user's school with the ORM and returns JSON."""

from floor import floor_view, urlpatterns_with

from finance.models import Charge

floor = floor_view(
    Charge,
    order_by=("-reference_number", "-id"),
    fields=("id", "reference", "amount", "due_date", "student_id", "fee_item_id"),
    doc="Session → user → the user's school → the first 50 charges, as JSON: the least any list costs.",
)

urlpatterns = urlpatterns_with(floor)
