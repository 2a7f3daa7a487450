"""ChangeRecord: every create, update and delete of a domain object, and readable domain events."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.tenancy.querysets import RestrictedQuerySet

__all__ = ["ChangeAction", "ChangeRecord"]


class ChangeAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("change record action", "Created")
    UPDATE = "update", pgettext_lazy("change record action", "Updated")
    DELETE = "delete", pgettext_lazy("change record action", "Deleted")
    EVENT = "event", pgettext_lazy("change record action", "Event")


class ChangeRecordQuerySet(RestrictedQuerySet):
    """Reads only: bulk updates and deletes raise (PostgreSQL also refuses them with a trigger)."""

    def update(self, **kwargs):
        raise PermissionDenied("Change records are never edited.")

    def delete(self):
        raise PermissionDenied("Change records are never deleted.")

    def bulk_update(self, *args, **kwargs):
        raise PermissionDenied("Change records are never edited.")


class ChangeRecord(models.Model):
    """One change of one object (变更记录): who, when, which request, before and after.

    Written only by ``logistics.audit``; never edited or deleted (save of an existing row and
    delete raise). Domain events (a ticket assigned, an asset transferred) are rows with
    ``action=event`` and an ``event`` code, so one timeline shows both.
    """

    school = models.ForeignKey(
        "tenancy.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    time = models.DateTimeField(_("time"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    event = models.CharField(_("event"), max_length=50, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(
                fields=["school", "content_type", "object_id", "-time"],
                name="change_object",
            ),
            models.Index(fields=["school", "-time"], name="change_school_time"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    @classmethod
    def scope_q(cls, scope, user):
        return Q(pk__in=[])

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionDenied("Change records are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Change records are never deleted.")

    @property
    def changes(self):
        """[(field, before, after)] for an update; every field for create/delete."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
