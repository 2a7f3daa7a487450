"""Sets ``request.school``: the school the user works in now (switchable in the page header).

The school's row (with its district) is kept in the cache for ``SCHOOL_SECONDS`` — every page reads
it and it rarely changes; a save or delete of the school or of its district forgets it
(``forget_school``). Which school a user may work in is never cached: it is decided from the user's
memberships on every request.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

from logistics.accounts import permissions

SESSION_KEY = "houqin_school_id"
SCHOOL_SECONDS = 300


def _school_key(school_id):
    return f"houqin:school:{school_id}"


def school_row(school_id):
    """The school ``school_id`` with its district, from the cache or one query (None: no such school)."""
    from .models import School

    key = _school_key(school_id)
    school = cache.get(key)
    if school is None:
        school = School.objects.select_related("district").filter(pk=school_id).first()
        if school is not None:
            cache.set(key, school, SCHOOL_SECONDS)
    return school


def forget_school(school_id):
    """Forget a kept school now and when the transaction commits."""
    key = _school_key(school_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def current_school(request):
    from .models import School

    user = request.user
    if not user.is_authenticated:
        return None
    wanted = request.session.get(SESSION_KEY)
    ids = permissions.school_ids(user)
    if user.is_superuser and not ids:
        school = School.objects.filter(pk=wanted).first() if wanted else None
        return school or School.objects.order_by("pk").first()
    if not ids:
        return None
    return school_row(wanted if wanted in ids else ids[0])


class CurrentSchoolMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = SimpleLazyObject(lambda: current_school(request))
        return self.get_response(request)
