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
    queryset (others' objects are 404); a create needs the ``add`` permission in some school
    (the serializer checks the target school)."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if getattr(view, "action", None) == "create" or (
            request.method == "POST" and not getattr(view, "detail", False)
        ):
            model = view.get_queryset().model
            return permissions.has_perm(request.user, perm_name(model, "add"))
        return True
