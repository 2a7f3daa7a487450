import hashlib

from django.conf import settings

from logistics.accounts import permissions

from . import nav


def once(fn):
    """A template callable that computes its value at most once per request (the layout uses some twice)."""
    result = []

    def call():
        if not result:
            result.append(fn())
        return result[0]

    return call


class _FragmentKey:
    """The cached header and menu hold forms with a CSRF token: a fragment may only be reused under the same
    CSRF secret (the browser's cookie, new at each sign-in). Read when the ``{% cache %}`` tag renders —
    after the page has asked for its token, so a first visit's new secret counts too."""

    def __init__(self, request, prefix):
        self.request, self.prefix = request, prefix

    def __str__(self):
        from django.middleware.csrf import get_token

        get_token(self.request)  # the secret this page's forms carry (set now if the visitor has none)
        secret = self.request.META.get("CSRF_COOKIE") or ""
        return f"{self.prefix}.{hashlib.sha256(secret.encode()).hexdigest()[:16]}"


def platform(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # the language switcher's form (in the cached header) carries this visitor's own token
        return {"site_name": settings.SITE_NAME, "nav_cache_key": _FragmentKey(request, "anonymous")}
    school = getattr(request, "school", None)
    school = school if school else None

    def schools():
        from logistics.tenancy.models import School

        ids = permissions.school_ids(user)
        if user.is_superuser and not ids:
            return list(School.objects.order_by("name")[:200])
        return list(School.objects.filter(pk__in=ids).order_by("name"))

    def unread():
        from logistics.notifications.services import unread_count

        return unread_count(user)

    def roles():
        from logistics.accounts.roles import Role

        return (
            [Role(r).label if r in Role.values else r for r in sorted(permissions.roles_in(user, school))]
            if school
            else []
        )

    # The header and menu are cached per user, school and memberships (and language, in the template).
    memberships = permissions.memberships_of(user)
    nav_cache_key = _FragmentKey(
        request, f"{user.pk}.{getattr(school, 'pk', 0)}.{hash(tuple(sorted(memberships)))}.{user.is_superuser}"
    )
    return {
        "site_name": settings.SITE_NAME,
        "nav_cache_key": nav_cache_key,
        "current_school": school,
        "nav_menu": once(lambda: nav.menu_for(user, school)),
        "my_schools": once(schools),
        "unread_notifications": once(unread),
        "my_roles": once(roles),
    }
