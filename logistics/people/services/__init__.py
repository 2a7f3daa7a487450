"""People's business actions: the only place staff, roles, guardians and classes change state."""

from contextlib import contextmanager

from logistics.audit import context


@contextmanager
def acting(actor):
    """Record changes as ``actor`` (kept in the current request's id when there is one)."""
    current = context.current()
    with context.change_context(user=actor, request_id=getattr(current, "request_id", None)):
        yield
