"""Login protection on every login form (the site's, /admin/'s and the API token), by django-axes.

Policy (docs/deployment.md § Login protection): ``LOGIN_FAILURE_LIMIT`` failed attempts for one
username *from one address* within ``LOGIN_FAILURE_WINDOW`` seconds lock that (username, address)
pair until the window passes. A whole school sits behind one NAT address, so a lock keyed on the
address alone (or on the username alone) would let one pupil lock out everybody else's correct login;
keyed on the pair, a guesser only locks themselves out of the account they are guessing.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_message():
    return _("Too many failed attempts. Please wait %(minutes)s minutes and try again.") % {
        "minutes": max(1, settings.LOGIN_FAILURE_WINDOW // 60)
    }


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out attempt sees (axes' ``AXES_LOCKOUT_CALLABLE``): 429, in the user's language."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": locked_message()}, status=429)
    return render(request, "accounts/locked.html", {"message": locked_message()}, status=429)


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind ``NUM_PROXIES`` trusted proxies the address they saw."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    meta = request.META
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return meta.get("REMOTE_ADDR", "")
