"""Base viewsets: every action declares its permission, and it is enforced before anything else.

- ``list``/``retrieve`` need ``view``, ``create`` ``add``, ``update`` ``change``, ``destroy`` ``delete``;
  the queryset is ``restrict()``-ed by that permission (others' objects are 404).
- A custom ``@action`` declares ``permission_action="scan"`` (or ``{"GET": "view", "POST": "scan"}``):
  the object is looked up among those the user may see (404 otherwise), then the declared permission's
  scope must admit it (403). ``STEP`` means a declared workflow step, checked by the workflow guard.
  An action that declares nothing is refused (403) — and ``manage.py check`` reports it
  (``logistics.api.checks``).
- Writes happen inside a transaction and the result must stay within the action's scope.
- A record in a terminal state of its workflow (disposed, written off, paid, closed) refuses
  ``PUT``/``PATCH``/``DELETE`` with 409, before the body is read.

Fast reads (``list_rows`` / ``detail_rows``): a viewset that sets ``list_rows = ValuesRows(S)``
(``logistics.api.rows``) lists ids first — the capped count and the page's ids on the bare table —
then reads the page's rows with ``values()`` in the shape of the declared serializer ``S``;
``detail_rows`` does the same for one object. The FilterSet is built only when a filter parameter is
given (``LazyFilterBackend``).
"""

import hashlib
import json

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from logistics.accounts import permissions
from logistics.ui.pagination import ids_of
from logistics.workflow import ensure_editable

from .filters import LazyFilterBackend
from .permissions import RestrictedPermission

#: the permission of each standard action
STANDARD_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
    "metadata": "view",
}
#: a declared workflow step: the guard checks its permission (logistics.workflow.guard)
STEP = "step"


class RestrictedViewSetMixin:
    permission_classes = [RestrictedPermission]
    filter_backends = [LazyFilterBackend, SearchFilter, OrderingFilter]
    queryset = None
    #: ``ValuesRows(ListSerializer)``: the list read ids first, rows with ``values()``
    list_rows = None
    #: ``ValuesRows(DetailSerializer)``: ``retrieve`` read with ``values()``
    detail_rows = None
    #: the permission of a custom action (set through ``@action(..., permission_action=...)``)
    permission_action = None
    #: seconds each row's JSON text (the SQL path of ``list_rows``/``detail_rows``) is kept, keyed by the
    #: row's ``row_stamps`` time (0: built each time); see ``ValuesRows.json_texts``
    keep_rows = 0
    #: labels ("app.model") of the other models whose rows the list shows figures of (a charge's payments):
    #: a kept list is found by their data versions too (``versions_key``)
    watch = ()

    def permission_for_action(self):
        """The permission (action code, e.g. ``view``, ``scan``, or ``STEP``) this request needs, or
        ``None`` when the action declares none (refused)."""
        if self.action in STANDARD_ACTIONS or self.action is None:
            return STANDARD_ACTIONS.get(self.action, "view")
        declared = self.permission_action
        if isinstance(declared, dict):
            declared = declared.get(self.request.method)
        return declared

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, self.restrict_action())

    def restrict_action(self):
        """The permission whose rows this request's objects are looked up among."""
        action = self.permission_for_action() if self.request else "view"
        if action in (None, STEP, "add") or self.action not in STANDARD_ACTIONS:
            action = "view"  # custom actions look the object up among those the user sees
        return action

    def get_object(self):
        obj = super().get_object()
        if self.action not in STANDARD_ACTIONS:
            perm = self.permission_for_action()
            if perm is None:
                raise PermissionDenied(_("This action declares no permission; it is refused."))
            if perm not in (STEP, "view") and not (
                self.queryset.model._default_manager.restrict(self.request.user, perm).filter(pk=obj.pk).exists()
            ):
                raise PermissionDenied(_("You do not have permission to perform this action."))
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            ensure_editable(obj)  # 409 before the body is even read
        return obj

    def list(self, request, *args, **kwargs):
        if self.list_rows is None:
            return super().list(request, *args, **kwargs)
        by_version = self.versions_key()
        if by_version:
            body = cache.get(by_version)
            if body is not None:
                return _json_response(body)
        queryset = self.filter_queryset(self.get_queryset())
        ids = ids_of(queryset)
        page = self.paginate_queryset(ids)
        texts = self._json_texts(self.list_rows, ids if page is None else page)
        if texts is not None:  # the SQL path: each row's JSON built by PostgreSQL, joined unparsed
            body = "[" + ",".join(texts) + "]" if page is None else self.paginator.paginated_json(texts)
            if by_version:
                cache.set(by_version, body, self.keep_rows)
            return _json_response(body)
        context = self.get_serializer_context()
        if page is None:
            return Response(self.list_rows.fetch(ids, context))
        return self.get_paginated_response(self.list_rows.fetch(page, context))

    def retrieve(self, request, *args, **kwargs):
        if self.detail_rows is None:
            return super().retrieve(request, *args, **kwargs)
        pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if self._json_wanted() and self.detail_rows.sql_expression() is not None:
            try:
                found = self._visible(pk)
            except (TypeError, ValueError, ValidationError) as exc:
                raise Http404 from exc
            texts = self._json_texts(self.detail_rows, found, keep=False)
            if not texts:
                raise Http404
            return _json_response(texts[0])
        return Response(self.retrieve_data(pk))

    def _visible(self, pk):
        """``[pk]`` if the user may see the object ``pk``, else ``[]``. With no query string (no filter to
        apply) over the class's own unfiltered queryset: one prepared statement over the user's restriction
        compiled once (``restriction_sql``) — an API detail's first look-up, and a cheap one; otherwise the
        restricted, filtered queryset."""
        from django.db import connection

        from logistics.system import prepared
        from logistics.tenancy.querysets import restriction_sql

        model = self.queryset.model
        plain = (
            not self.request.query_params
            and self.lookup_field in ("pk", model._meta.pk.name)
            and type(self).get_queryset is RestrictedViewSetMixin.get_queryset
            and not self.queryset.query.has_filters()
        )
        if not plain:
            return list(ids_of(self.filter_queryset(self.get_queryset()).filter(**{self.lookup_field: pk}))[:1])
        field = model._meta.pk
        value = field.get_prep_value(field.to_python(pk))
        if isinstance(value, int):  # a key beyond the column's range names no row (the ORM answers so too)
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                return []
        restriction = restriction_sql(model, self.request.user, self.restrict_action())
        if restriction is None:
            return []
        condition, params = restriction
        table, column = (
            connection.ops.quote_name(model._meta.db_table),
            connection.ops.quote_name(model._meta.pk.column),
        )
        with connection.cursor() as cursor:  # names and the compiled restriction; the values are parameters
            sql = f"SELECT {table}.{column} FROM {table} WHERE {table}.{column} = %s AND {condition}"  # noqa: S608
            prepared.execute(cursor, sql, [value, *params])
            return [row[0] for row in cursor.fetchall()]

    def versions_key(self):
        """The key of this whole list response kept by data versions (``logistics.tenancy.versions``):
        found with no query of the list's own (filter, count, ids, change times). Keyed by the path and
        query string, the host (the page links), the user and their memberships, the language, the time
        zone and today's date, and the versions of the model, ``watch`` and what the user's row rules
        read in each of the user's schools. None: not kept this way (``keep_rows`` 0, ``KEPT_BY_VERSION``
        off, not the JSON of the SQL path, a superuser, a row rule with nothing declared)."""
        from logistics.tenancy import versions

        request, user = self.request, self.request.user
        if not self.keep_rows or not versions.enabled() or user.is_superuser or not self._json_wanted():
            return None
        if self.list_rows.sql_expression() is None:
            return None
        schools = permissions.school_ids(user)
        labels = versions.watched_labels(user, self.queryset.model, "view", schools, self.watch)
        if not schools or labels is None:
            return None
        parts = [
            type(self).__qualname__,
            request.get_full_path(),
            request.get_host(),
            request.scheme,
            user.pk,
            sorted(permissions.memberships_of(user)),
            get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate(),
            versions.versions(labels, schools),
        ]
        digest = hashlib.md5("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
        return f"kept-api.{digest}"

    def _json_wanted(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "json"

    def _json_texts(self, rows, ids, keep=True):
        """The JSON text of each of ``ids`` built by PostgreSQL (``logistics.api.sqlrows``), after the
        serializer's per-user adjuster if it has one; None when this response cannot take that path.
        ``keep``: the rows' texts kept ``keep_rows`` seconds under their change times — for a list; one
        object's text is built at once (one query, where a kept one costs its change time's query and a
        cache read: a detail is mostly opened once)."""
        if not self._json_wanted():
            return None
        ids = list(ids)
        seconds = self.keep_rows if keep else 0
        stamps = self.row_stamps(ids) if seconds and rows.sql_expression() is not None else None
        texts = rows.json_texts(ids, stamps, seconds)
        if texts is None:
            return None
        adjuster = rows.plan.adjuster
        adjust = adjuster(self.get_serializer_context()) if adjuster is not None else None
        if adjust is None:
            return texts
        return [json.dumps(adjust(json.loads(text)), ensure_ascii=False, separators=(",", ":")) for text in texts]

    def row_stamps(self, ids):
        """{pk: the time the row last changed} of ``ids`` (one query, by primary key): the rows'
        ``updated``. A viewset whose rows show figures of other records (a charge's balance: its
        payments) takes the latest of those records' times too."""
        from .rows import change_times

        return change_times(self.queryset.model, ids)

    def retrieve_data(self, pk):
        """The object ``pk`` as ``detail_rows`` gives it, if the user may see it (else 404): the
        restricted queryset of ``retrieve`` narrowed to ``pk``, read with ``values()``."""
        try:
            queryset = self.filter_queryset(self.get_queryset()).filter(**{self.lookup_field: pk})
            rows = self.detail_rows.fetch_queryset(queryset, self.get_serializer_context())
        except (TypeError, ValueError, ValidationError) as exc:
            raise Http404 from exc
        if not rows:
            raise Http404
        return rows[0]

    def initial(self, request, *args, **kwargs):
        request._request.is_api = True
        super().initial(request, *args, **kwargs)

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = self.create_object(serializer)
            self._check_visible(obj)

    def create_object(self, serializer):
        return serializer.save()

    def perform_update(self, serializer):
        ensure_editable(serializer.instance)
        with transaction.atomic():
            obj = serializer.save()
            self._check_visible(obj)

    def perform_destroy(self, instance):
        ensure_editable(instance)
        super().perform_destroy(instance)

    def _check_visible(self, obj):
        """After a write, the result must still be within the scope of the action's permission (a
        teacher cannot file a ticket in someone else's name; an edit cannot move a record out of reach)."""
        perm = self.permission_for_action()
        perm = perm if perm not in (None, STEP) else "view"
        if not type(obj).objects.restrict(self.request.user, perm).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("You would not be allowed to see the result; nothing was saved."))


def _json_response(body):
    return HttpResponse(body, content_type="application/json")


class SchoolScopedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Create, read, update, delete a school's objects."""


class SchoolScopedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read a school's objects."""


class SchoolScopedCreateReadViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create and read; changes go through action endpoints (one per business step)."""
