"""The one read path for domain data: ``Model.objects.restrict(user, action)``.

Every view, API viewset, export, form choice list and task reads through it (NetBox's
``RestrictedQuerySet``). It keeps rows of schools where the user holds
``<app>.<action>_<model>``, and for grants with a row rule (``own``, ``assigned``…) only the rows the
model's ``scope_q(scope, user)`` admits.
"""

from django.db import models
from django.db.models import Q

from logistics.accounts import permissions
from logistics.accounts.roles import ALL


def perm_name(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action="view"):
        """Rows of this queryset that ``user`` may ``action``; nothing for anonymous users."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        model = self.model
        scopes = permissions.scopes_for(user, perm_name(model, action))
        if not scopes:
            return self.none()
        field = getattr(model, "school_field", "school_id")
        condition = Q(pk__in=[])
        for scope, school_ids in scopes.items():
            in_schools = Q(**{f"{field}__in": sorted(school_ids)})
            if scope == ALL:
                condition |= in_schools
            else:
                condition |= in_schools & model.scope_q(scope, user)
        return self.filter(condition)

    def in_school(self, school):
        field = getattr(self.model, "school_field", "school_id")
        return self.filter(**{field: getattr(school, "pk", school)})


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
