"""Who is changing things, within which request: read by the change recorder.

Views get it from the middleware; services and tasks running outside a request wrap their work in
``with change_context(user=..., request_id=...)``.
"""

import contextvars
import uuid
from contextlib import contextmanager

_current = contextvars.ContextVar("houqin_change_context", default=None)


class ChangeContext:
    __slots__ = ("_user", "request", "request_id")

    def __init__(self, user=None, request_id=None, request=None):
        self._user = user if getattr(user, "is_authenticated", False) else None
        self.request = request
        self.request_id = request_id or uuid.uuid4()

    @property
    def user(self):
        """The acting user: given explicitly, or the request's (also when a DRF token set it late)."""
        if self._user is not None:
            return self._user
        user = getattr(self.request, "user", None)
        return user if getattr(user, "is_authenticated", False) else None


def current():
    return _current.get()


def current_user():
    ctx = _current.get()
    return ctx.user if ctx else None


@contextmanager
def change_context(user=None, request_id=None):
    token = _current.set(ChangeContext(user, request_id))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
