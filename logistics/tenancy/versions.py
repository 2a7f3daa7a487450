"""Data versions: one token per (school, model) that changes whenever a row of that model in that
school is saved, deleted or bulk-written — the cheapest proof that a kept page or response is still
what the database would give.

A kept list page is normally keyed by its rows (the page's ids and each row's change time: the
filter, the count, the page's ids and their times — three queries and the filter form's work on every
request). Keyed by the versions of the models it shows instead (``versions_key``), a kept page is found
with one cache read and no query beyond the session, the user and their memberships.

- **Bumped** by the change records (``logistics.audit.recorder``: every save and delete of an audited
  model, ``record_bulk_create``, ``recorded_update``, ``record_event``) and by ``m2m_changed`` of an
  audited model's relations — the same writes that are on the record, so a write that bypasses them is
  already refused by ``tests/test_audit_writes.py`` (the two raw writes, a round's counters and a
  stock-take line, bump it themselves). Bumped once when the transaction commits (one ``set_many`` for
  all its writes), and before a read of versions inside the same transaction, which sees its own
  writes. Another process reads the version before the commit with the rows before it, and after it
  the new version: a page is never kept under a version newer than its rows (the version is read
  before the rows).
- **Read** with one ``get_many``; a version the cache has lost (evicted, flushed) is set to a new token
  then, so it never reads as a value it had before.
- **Only where every process shares the cache** (``KEPT_BY_VERSION``, default: the cache is Redis). With
  the in-process cache each gunicorn worker would hold its own versions and miss another's writes.
- **Visibility**: a page kept by versions is served again to the same user with the same memberships
  (in the key). For a grant with a row rule (``own``, ``children``…) what the user sees depends on other
  rows too: the model lists what each rule reads in ``scope_watch`` (``{"children":
  ("people.guardianlink",)}``); a rule not listed there is not kept this way (``watched_labels`` → None).
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from logistics.accounts import permissions
from logistics.accounts.roles import ALL

ANY_SCHOOL = "*"


def enabled():
    """Whether pages and responses may be kept by data versions (``KEPT_BY_VERSION``)."""
    return bool(getattr(settings, "KEPT_BY_VERSION", False))


def label_of(model):
    return model._meta.concrete_model._meta.label_lower


def _key(label, school_id):
    return f"data-version:{label}:{school_id}"


def _bump(pairs):
    cache.set_many({_key(label, school_id): uuid.uuid4().hex for label, school_id in pairs}, None)


class _OnCommit:
    """The bump run when the transaction commits, one per transaction for all its changes; ``dirty``: the
    changes a read in the same transaction has not seen bumped yet (``versions`` bumps them first)."""

    def __init__(self):
        self.pairs, self.dirty = set(), set()

    def __call__(self):
        _bump(self.pairs)


def _pending(connection, create=False):
    """The transaction's ``_OnCommit`` registered at this savepoint or outside it (an inner savepoint's
    goes with its rollback), made when ``create``."""
    current = set(connection.savepoint_ids)
    for sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _OnCommit) and sids <= current:
            return func
    if create:
        func = _OnCommit()
        transaction.on_commit(func)
        return func
    return None


def changed(label, school_id=None):
    """Rows of ``label`` ("app.model") in ``school_id`` (None: a school not known) changed: bumped now when
    the write is committed already (autocommit), else when the transaction commits — and before a read of
    versions in the same transaction (which sees its own writes)."""
    if not enabled():
        return
    pair = (label, ANY_SCHOOL if school_id is None else school_id)
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        _bump([pair])
        return
    pending = _pending(connection, create=True)
    pending.pairs.add(pair)
    pending.dirty.add(pair)


def _flush_own_writes():
    """Bump what this connection's open transaction changed and no read has seen bumped yet."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _OnCommit) and func.dirty:
            _bump(func.dirty)
            func.dirty = set()


def versions(labels, school_ids):
    """One text of the versions of ``labels`` in ``school_ids`` (and of their unknown-school version)."""
    _flush_own_writes()
    keys = [_key(label, school) for label in sorted(labels) for school in [ANY_SCHOOL, *sorted(school_ids)]]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)  # never read as a value it had before
        found.update(cache.get_many(missing))
    return ".".join(str(found.get(key, "")) for key in keys)


def watched_labels(user, model, action, school_ids, labels=()):
    """The labels a view of ``model`` shown to ``user`` in ``school_ids`` depends on: ``model``'s,
    ``labels``, and what the row rules of the user's grant read (``model.scope_watch``). None: a row
    rule with nothing declared — not kept by versions."""
    from .querysets import perm_name

    watched = {label_of(model), *labels}
    if getattr(user, "is_superuser", False):
        return watched
    wanted = set(school_ids)
    declared = getattr(model, "scope_watch", {})
    for scope, schools in permissions.scopes_for(user, perm_name(model, action)).items():
        if scope == ALL or not wanted & set(schools):
            continue
        if scope not in declared:
            return None
        watched.update(declared[scope])
    return watched
