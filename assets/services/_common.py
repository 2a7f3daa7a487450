"""Helpers shared by the assets services."""

from django.contrib.contenttypes.models import ContentType


def source_fields(source):
    """``source_type``/``source_id`` for a generic link to any model instance (or None)."""
    if source is None:
        return {"source_type": None, "source_id": None}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def staff_with(school_id, *roles):
    """Active users holding any of ``roles`` in the school (for notifications)."""
    from django.contrib.auth import get_user_model

    school_id = getattr(school_id, "pk", school_id)
    return list(
        get_user_model()
        .objects.filter(
            memberships__school_id=school_id,
            memberships__role__in=[str(r) for r in roles],
            memberships__active=True,
        )
        .distinct()
    )
