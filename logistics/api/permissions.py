from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from logistics.accounts import permissions
from logistics.tenancy.querysets import perm_name

ACTION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RestrictedPermission(BasePermission):
    """Built on ``restrict()``: reads and writes of existing objects go through the restricted
    queryset (others' objects are 404); a create — or a custom collection action — needs its
    permission in some school (the serializer or service checks the target school); an action that
    declares no permission is refused."""

    message = _("You do not have permission to perform this action.")

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        declared = getattr(view, "permission_for_action", None)
        perm = declared() if declared else ACTION_BY_METHOD.get(request.method, "view")
        if perm is None:
            return False
        if not getattr(view, "detail", False) and perm not in ("view", "step"):
            model = view.queryset.model
            return permissions.has_perm(request.user, perm_name(model, perm))
        return True
