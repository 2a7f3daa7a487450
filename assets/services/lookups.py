"""What other apps may pick from assets (choice fields of their forms and API bodies) — read-only querysets,
so that they never import ``assets.models`` (repairs → assets through services only)."""

from ..models import Asset, Consumable


def assets_for_choice(user=None, school=None, action="view"):
    """The assets ``user`` may see in ``school``; without a user, every asset (a serializer's base queryset,
    narrowed to the school and the user by the platform's ``restrict_relations``)."""
    queryset = Asset.objects.all()
    if user is not None:
        queryset = queryset.restrict(user, action)
    if school is not None:
        queryset = queryset.in_school(school)
    return queryset


def consumables_for_choice(user=None, school=None, action="view"):
    """The consumables of the school's stock that ``user`` may see (same rules as :func:`assets_for_choice`)."""
    queryset = Consumable.objects.all()
    if user is not None:
        queryset = queryset.restrict(user, action)
    if school is not None:
        queryset = queryset.in_school(school)
    return queryset.order_by("name")
