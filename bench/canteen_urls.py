"""The canteen benchmark server's URLs: the application's, plus the floor — a minimal logged-in view that
reads the same first page of food samples with the ORM and returns JSON."""

from floor import floor_view, urlpatterns_with

from canteen.models import FoodSample

floor = floor_view(
    FoodSample,
    order_by=("-sampled_at", "-id"),
    fields=("id", "reference", "date", "meal_kind", "dish_name", "weight_grams", "sampled_at", "status"),
    doc="Session → user → the user's school → the first 50 food samples, as JSON: the least any list costs.",
)

urlpatterns = urlpatterns_with(floor)
