"""Sets ``request.school``: the school the user works in now (switchable in the page header)."""

from django.utils.functional import SimpleLazyObject

from logistics.accounts import permissions

SESSION_KEY = "houqin_school_id"


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
    school_id = wanted if wanted in ids else ids[0]
    return School.objects.select_related("district").filter(pk=school_id).first()


class CurrentSchoolMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = SimpleLazyObject(lambda: current_school(request))
        return self.get_response(request)
