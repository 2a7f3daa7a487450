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
        return f"{self.prefix}.{csrf_secret_digest(self.request)}"


def layout_key(request):
    """What the layout's header and menu depend on besides the language and the CSRF secret: the user,
    the current school and the user's memberships (their roles decide the menu)."""
    user = request.user
    school = getattr(request, "school", None)
    # a digest, not hash(): str hashes differ between processes (each gunicorn worker kept its own copy)
    memberships = hashlib.md5(repr(sorted(permissions.memberships_of(user))).encode(), usedforsecurity=False)
    return f"{user.pk}.{getattr(school, 'pk', 0) if school else 0}.{memberships.hexdigest()[:16]}.{user.is_superuser}"


def csrf_secret_digest(request):
    """A digest of the CSRF secret this page's forms carry (set now if the visitor has none): a kept
    fragment or page holding forms is only reused under the same secret."""
    from django.middleware.csrf import get_token

    get_token(request)
    secret = request.META.get("CSRF_COOKIE") or ""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


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
    nav_cache_key = _FragmentKey(request, layout_key(request))
    return {
        "site_name": settings.SITE_NAME,
        "nav_cache_key": nav_cache_key,
        "current_school": school,
        "nav_menu": once(lambda: nav.menu_for(user, school)),
        "my_schools": once(schools),
        "unread_notifications": once(unread),
        "my_roles": once(roles),
    }
