"""The system page (admins only): the broker, and each periodic duty's last success."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import duties, health


@login_required
def system_page(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    return render(
        request,
        "system/system.html",
        {"title": _("System"), "duties": duties.state(), "broker_ok": health.broker_ok()},
    )
