"""Login throttling: after LOGIN_FAILURE_LIMIT failures for a username or an address within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window passes."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username, address):
    name = hashlib.sha256((username or "").lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{name}", f"login-fail:addr:{address or '-'}"]


def is_locked(username, address):
    limit = settings.LOGIN_FAILURE_LIMIT
    user_key, addr_key = _keys(username, address)
    return cache.get(user_key, 0) >= limit or cache.get(addr_key, 0) >= limit * 4


def record_failure(username, address):
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def reset(username, address):
    cache.delete(_keys(username, address)[0])


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind ``NUM_PROXIES`` trusted proxies the address they saw."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
