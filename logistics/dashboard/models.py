"""The dashboards' permissions: a model without a table, so that the permissions the role map grants
(``dashboard.view_school_dashboard``, ``dashboard.view_district_dashboard``) exist as Django
permissions like every other one (the ``houqin.E001`` system check requires it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Dashboard"]


class Dashboard(models.Model):
    """The principal's and the district's dashboards (看板); no rows, no table — only permissions."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_school_dashboard", "Can see the school dashboard"),
            ("view_district_dashboard", "Can see the district dashboard"),
        ]
        verbose_name = _("dashboard")
        verbose_name_plural = _("dashboards")

    def __str__(self):
        return str(self._meta.verbose_name)
