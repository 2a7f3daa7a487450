"""The assets benchmark server's URLs: the application's, plus the floor — a minimal logged-in view
that reads the same first page of asset cards with the ORM and returns JSON."""

from django.db import connection
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import path

from assets.models import Asset
from logistics.accounts import permissions
from logistics.urls import urlpatterns as application


class QueryCountMiddleware:
    """Counts the SQL queries of each request into the ``X-Queries`` response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count[0])
        return response


def floor(request):
    """Session → user → the user's school → the first 50 asset cards, as JSON: the least a list costs."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    school_ids = permissions.school_ids(request.user)
    rows = list(
        Asset.objects.filter(school_id__in=school_ids[:1])
        .order_by("-sequence", "-id")
        .values("id", "code", "name", "category_id", "unit_price", "purchase_date", "room_id", "status")[:50]
    )
    return JsonResponse({"results": rows})


urlpatterns = [path("bench/floor/", floor), *application]
