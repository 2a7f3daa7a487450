"""Absolute links that work where they are used: printed QR posters, labels, emails.

The public address is ``SITE_URL`` when set (``make run`` sets it from HOST and PORT; a deployment
sets its domain); otherwise the address the request came in on. Posters printed with a loopback
address point nowhere from a phone — :func:`is_loopback` lets pages warn about it."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

FALLBACK = "http://127.0.0.1:8000"


def public_base(request=None):
    """``https://school.example`` — no trailing slash."""
    configured = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return FALLBACK


def absolute(path, request=None):
    return f"{public_base(request)}{path}"


def is_loopback(base):
    """Whether ``base`` only works on the server itself (127.0.0.1, ::1, localhost)."""
    host = (urlsplit(base).hostname or "").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
