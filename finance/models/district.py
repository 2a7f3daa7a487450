"""The finance figures of a district's schools: a permission without a table (like the dashboards')."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["FinanceFigures"]


class FinanceFigures(models.Model):
    """The district's finance figures page (各校收费情况): no rows — only its permission."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_district_financefigures", "Can see the finance figures of the district's schools")]
        verbose_name = _("finance figures")
        verbose_name_plural = _("finance figures")

    def __str__(self):
        return str(self._meta.verbose_name)
