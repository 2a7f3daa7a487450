"""Abstract models every domain model inherits: tenancy, audit and permissions for free.

``PrimaryModel`` = ``SchoolScopedModel`` (non-null ``school``, restricted manager)
+ ``ChangeLoggedModel`` (timestamps, created/updated by; every save and delete recorded by
``logistics.audit``). Domain models lead their indexes with ``school``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .querysets import RestrictedManager

__all__ = ["ChangeLoggedModel", "PrimaryModel", "SchoolScopedModel"]


class SchoolScopedModel(models.Model):
    """A row that belongs to exactly one school (每条记录属于一所学校)."""

    school = models.ForeignKey(
        "tenancy.School",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )

    objects = RestrictedManager()

    #: field holding the school id, used by restrict(); School itself uses "pk".
    school_field = "school_id"

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope, user):
        """The row rule behind a scoped grant (e.g. ``own`` → ``Q(requester=user)``).

        Models that grant anything narrower than ``all`` override this; an unknown scope admits
        nothing, so a missing rule fails closed.
        """
        return Q(pk__in=[])


class ChangeLoggedModel(models.Model):
    """Timestamps and authors; ``logistics.audit`` records every change of a subclass."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )

    #: fields left out of the change record's before/after
    audit_exclude = ("created", "updated", "updated_by")

    class Meta:
        abstract = True


class PrimaryModel(SchoolScopedModel, ChangeLoggedModel):
    """The base of every domain model."""

    class Meta:
        abstract = True
