"""Base viewsets: every action declares its permission, and it is enforced before anything else.

- ``list``/``retrieve`` need ``view``, ``create`` ``add``, ``update`` ``change``, ``destroy`` ``delete``;
  the queryset is ``restrict()``-ed by that permission (others' objects are 404).
- A custom ``@action`` declares ``permission_action="scan"`` (or ``{"GET": "view", "POST": "scan"}``):
  the object is looked up among those the user may see (404 otherwise), then the declared permission's
  scope must admit it (403). ``STEP`` means a declared workflow step, checked by the workflow guard.
  An action that declares nothing is refused (403) — and ``manage.py check`` reports it
  (``logistics.api.checks``).
- Writes happen inside a transaction and the result must stay within the action's scope.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter

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
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    queryset = None
    #: the permission of a custom action (set through ``@action(..., permission_action=...)``)
    permission_action = None

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
        action = self.permission_for_action() if self.request else "view"
        if action in (None, STEP, "add") or self.action not in STANDARD_ACTIONS:
            action = "view"  # custom actions look the object up among those the user sees
        return self.queryset.restrict(self.request.user, action)

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
        with transaction.atomic():
            obj = serializer.save()
            self._check_visible(obj)

    def _check_visible(self, obj):
        """After a write, the result must still be within the scope of the action's permission (a
        teacher cannot file a ticket in someone else's name; an edit cannot move a record out of reach)."""
        perm = self.permission_for_action()
        perm = perm if perm not in (None, STEP) else "view"
        if not type(obj).objects.restrict(self.request.user, perm).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("You would not be allowed to see the result; nothing was saved."))


class SchoolScopedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Create, read, update, delete a school's objects."""


class SchoolScopedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read a school's objects."""


class SchoolScopedCreateReadViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create and read; changes go through action endpoints (one per business step)."""
