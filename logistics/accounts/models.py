"""Users of Houqin. Roles are not on the user: they are Memberships (tenancy)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["User"]


class User(AbstractUser):
    """A person who signs in: staff of a school, a parent, or a district officer (用户)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    #: never copied into change records
    audit_exclude = ("password", "last_login")
    #: the columns ``__str__`` reads (rows read with ``values()``: ``logistics.api.rows``)
    str_columns = ("display_name", "first_name", "last_name", "username")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def label(self):
        return str(self)
