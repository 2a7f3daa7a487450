"""The Django side of the benchmark servers, shared by ``bench/repairs_urls.py`` and
``bench/assets_urls.py``: the ``X-Queries`` middleware and the floor view factory. Used only by the
benchmarks — the floor is not part of the application's URLs."""

from django.db import connection
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import path

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


def floor_view(model, order_by, fields, doc):
    """A floor: the least a logged-in list of ``model`` costs. Session → user → the user's first school
    → the first 50 rows in ``order_by`` order, ``fields`` only, as JSON. ``doc`` is its docstring."""

    def floor(request):
        if not request.user.is_authenticated:
            return HttpResponseForbidden()
        school_ids = permissions.school_ids(request.user)
        rows = list(model.objects.filter(school_id__in=school_ids[:1]).order_by(*order_by).values(*fields)[:50])
        return JsonResponse({"results": rows})

    floor.__doc__ = doc
    return floor


def urlpatterns_with(floor):
    """The application's URLs plus ``floor`` at ``/bench/floor/``."""
    return [path("bench/floor/", floor), *application]
