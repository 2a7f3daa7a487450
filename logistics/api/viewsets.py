"""Base viewsets: the queryset is ``restrict()``-ed for the action; unknown or other schools'
objects are 404; writes happen inside a transaction and the result must stay visible; a record in
a terminal state of its workflow refuses ``PUT``/``PATCH``/``DELETE`` with 409."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter

from logistics.workflow import ensure_editable

from .permissions import ACTION_BY_METHOD, RestrictedPermission


class RestrictedViewSetMixin:
    permission_classes = [RestrictedPermission]
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    queryset = None

    def get_queryset(self):
        action = ACTION_BY_METHOD.get(self.request.method, "view") if self.request else "view"
        if action == "add":
            action = "view"
        return self.queryset.restrict(self.request.user, action)

    def get_object(self):
        obj = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            ensure_editable(obj)  # 409 before the body is even read
        return obj

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
        # a record in a terminal state (disposed, written off, paid, closed) is read-only: 409
        ensure_editable(serializer.instance)
        with transaction.atomic():
            obj = serializer.save()
            self._check_visible(obj)

    def perform_destroy(self, instance):
        ensure_editable(instance)
        super().perform_destroy(instance)

    def _check_visible(self, obj):
        if not type(obj).objects.restrict(self.request.user, "view").filter(pk=obj.pk).exists():
            raise PermissionDenied("You would not be allowed to see the result; nothing was saved.")


class SchoolScopedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Create, read, update, delete a school's objects."""


class SchoolScopedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read a school's objects."""


class SchoolScopedCreateReadViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create and read; changes go through action endpoints (one per business step)."""
