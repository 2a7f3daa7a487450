"""Users of Houqin. Roles are not on the user: they are Memberships (tenancy)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .roles import Role

__all__ = ["StaffRole", "User"]

#: the roles a school gives its staff (district officers come from the district, parents from invitations);
#: one named enum in the API schema (StaffRoleEnum)
StaffRole = models.TextChoices(
    "StaffRole",
    [(r.name, (r.value, r.label)) for r in Role if r not in (Role.DISTRICT_OFFICER, Role.PARENT)],
    module=__name__,
)


class User(AbstractUser):
    """A person who signs in: staff of a school, a parent, or a district officer (用户)."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = PhoneNumberField(_("phone"), region="CN", blank=True, help_text=_("A mobile number, e.g. 138 0013 8000."))
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when a first or reset password was given: the next sign-in asks for a new one."),
    )

    #: never copied into change records
    audit_exclude = ("password", "last_login")
    #: the columns ``__str__`` reads (rows read with ``values()``: ``logistics.api.rows``)
    str_columns = ("display_name", "first_name", "last_name", "username")

    @staticmethod
    def str_expression(prefix=""):
        """``__str__`` as an SQL expression over the columns under ``prefix`` (``logistics.api.sqlrows``):
        the display name, else the full name, else the username."""
        from django.db.models import F, Value
        from django.db.models.functions import Coalesce, Concat, NullIf, Trim

        full = Trim(
            Concat(F(f"{prefix}first_name"), Value(" "), F(f"{prefix}last_name"), output_field=models.TextField())
        )
        return Coalesce(
            NullIf(F(f"{prefix}display_name"), Value("")),
            NullIf(full, Value("")),
            F(f"{prefix}username"),
            output_field=models.TextField(),
        )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def label(self):
        return str(self)
