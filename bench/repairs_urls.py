"""The benchmark server's URLs: the application's, plus the floor — a minimal logged-in view that
reads the same first page of tickets with the ORM and returns JSON."""

from django.db import connection
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import path

from logistics.accounts import permissions
from logistics.urls import urlpatterns as application
from repairs.models import Ticket


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
    """Session → user → the user's school → the first 50 tickets, as JSON: the least any list costs."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    school_ids = permissions.school_ids(request.user)
    rows = list(
        Ticket.objects.filter(school_id__in=school_ids[:1])
        .order_by("-submitted_at", "-id")
        .values("id", "reference", "status", "trade", "urgency", "description", "submitted_at", "room_id")[:50]
    )
    return JsonResponse({"results": rows})


urlpatterns = [path("bench/floor/", floor), *application]
