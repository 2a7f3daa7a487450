"""Base viewsets: the queryset is ``restrict()``-ed for the action; unknown or other schools'
objects are 404; writes happen inside a transaction and the result must stay visible.

Fast reads (``list_rows`` / ``detail_rows``): a viewset that sets ``list_rows = ValuesRows(S)``
(``logistics.api.rows``) lists ids first — the capped count and the page's ids on the bare table —
then reads the page's rows with ``values()`` in the shape of the declared serializer ``S``;
``detail_rows`` does the same for one object. The FilterSet is built only when a filter parameter is
given (``LazyFilterBackend``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from logistics.ui.pagination import ids_of

from .filters import LazyFilterBackend
from .permissions import ACTION_BY_METHOD, RestrictedPermission


class RestrictedViewSetMixin:
    permission_classes = [RestrictedPermission]
    filter_backends = [LazyFilterBackend, SearchFilter, OrderingFilter]
    queryset = None
    #: ``ValuesRows(ListSerializer)``: the list read ids first, rows with ``values()``
    list_rows = None
    #: ``ValuesRows(DetailSerializer)``: ``retrieve`` read with ``values()``
    detail_rows = None

    def list(self, request, *args, **kwargs):
        if self.list_rows is None:
            return super().list(request, *args, **kwargs)
        ids = ids_of(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(ids)
        context = self.get_serializer_context()
        if page is None:
            return Response(self.list_rows.fetch(ids, context))
        return self.get_paginated_response(self.list_rows.fetch(page, context))

    def retrieve(self, request, *args, **kwargs):
        if self.detail_rows is None:
            return super().retrieve(request, *args, **kwargs)
        return Response(self.retrieve_data(self.kwargs[self.lookup_url_kwarg or self.lookup_field]))

    def retrieve_data(self, pk):
        """The object ``pk`` as ``detail_rows`` gives it, if the user may see it (else 404)."""
        try:
            queryset = self.filter_queryset(self.get_queryset()).filter(**{self.lookup_field: pk})
            rows = self.detail_rows.fetch_queryset(queryset, self.get_serializer_context())
        except (TypeError, ValueError, ValidationError) as exc:
            raise Http404 from exc
        if not rows:
            raise Http404
        return rows[0]

    def get_queryset(self):
        action = ACTION_BY_METHOD.get(self.request.method, "view") if self.request else "view"
        if action == "add":
            action = "view"
        return self.queryset.restrict(self.request.user, action)

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
        with transaction.atomic():
            obj = serializer.save()
            self._check_visible(obj)

    def _check_visible(self, obj):
        if not type(obj).objects.restrict(self.request.user, "view").filter(pk=obj.pk).exists():
            raise PermissionDenied("You would not be allowed to see the result; nothing was saved.")


class SchoolScopedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Create, read, update, delete a school's objects."""


class SchoolScopedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read a school's objects."""


class SchoolScopedCreateReadViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create and read; changes go through action endpoints (one per business step)."""
