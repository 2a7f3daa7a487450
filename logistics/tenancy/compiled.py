"""Reads through querysets built and compiled once per process and key — an object by its primary key,
a relation of it, its timeline — run again with new values in place of the marked ones.

A detail page reads its object with what the page shows of it in one query: the ticket with its room,
building, requester, plan and school joined, the user's restriction, and the latest times of its
timeline, work logs, parts and photos (what the kept page is keyed by). Building that queryset and
compiling it to SQL costs ~4 ms of CPU; running it and making the objects ~0.7 ms. ``read_one`` builds
and compiles it once per ``key`` — which must name everything the SQL depends on but the primary key:
the view, the user's restriction as SQL (``restriction_sql``: the same for every user with the same
grants), the database — and then runs the kept SQL with the new primary key, making the objects with
Django's own iterable (``select_related`` objects and annotations as ``list(queryset)`` gives them).

Django's compiler is driven from outside here (its ``select``/``klass_info`` state kept, ``as_sql``
answered from the kept SQL): the tests compare every field and joined object with the ORM's own read
(tests/repairs/test_compiled_read.py), and Django is pinned (requirements.txt).
"""

import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models.query import ModelIterable

#: values no row has (this one, one more…), marking the parameters of the compiled SQL a read replaces —
#: inside every integer field's range (a lookup outside it compiles to no SQL at all), far above any id
_MARK = 2_147_480_000
_BIGINT = (-(2**63), 2**63 - 1)
#: compiled reads kept per process (each a few kB: the query, its SQL and its compiler's column state)
KEPT = 500
_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")

_kept = OrderedDict()
_lock = threading.Lock()


class _Compiled:
    __slots__ = ("query", "db", "model", "sql", "params", "index", "state")


def read_one(key, build, pk):
    """The object ``pk`` of the queryset ``build()`` (None when it has no such row). ``build`` is called
    once per ``key`` (and whenever the kept read was dropped): everything it builds on but the primary
    key must be in ``key``."""
    found = rows(("one", key), lambda mark: build().filter(pk=mark).order_by(), pk)
    return found[0] if found else None


def rows(key, build, *values):
    """The objects of the queryset ``build(*marks)`` with ``values`` in place of the marks (each used once
    in the query's parameters: a primary key, a foreign key's value…). ``build`` is called once per ``key``
    (and whenever the kept query was dropped): everything it builds on but the values must be in ``key``."""
    if any(type(value) is int and not _BIGINT[0] <= value <= _BIGINT[1] for value in values):
        return list(build(*values))  # beyond every column (a typed URL): the ORM finds no row, as it should
    compiled = _kept.get(key)
    if compiled is None:
        compiled = _compile(build, len(values))
        with _lock:
            while len(_kept) >= KEPT:
                _kept.popitem(last=False)
            _kept[key] = compiled
    else:
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
    if compiled is False:  # the marks are not each one parameter of the SQL: read it as usual
        return list(build(*values))
    params = list(compiled.params)
    for index, value in zip(compiled.index, values, strict=True):
        params[index] = value
    compiler = compiled.query.get_compiler(using=compiled.db)
    for name, value in compiled.state.items():
        setattr(compiler, name, value)
    compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
    return list(ModelIterable(_Source(compiled, compiler)))


def _compile(build, count):
    marks = [_MARK + number for number in range(count)]
    queryset = build(*marks)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):  # no SQL to keep (e.g. an empty restriction): read it as usual
        return False
    where = [[index for index, value in enumerate(params) if type(value) is int and value == mark] for mark in marks]
    if any(len(found) != 1 for found in where):
        return False
    compiled = _Compiled()
    compiled.query, compiled.db, compiled.model = queryset.query, queryset.db, queryset.model
    compiled.sql, compiled.params, compiled.index = sql, tuple(params), tuple(found[0] for found in where)
    compiled.state = {name: getattr(compiler, name) for name in _STATE}
    return compiled


def prefetch(obj, lookup, key):
    """Fill ``obj``'s prefetch cache for ``lookup`` — a many-to-many or reverse foreign key relation of
    ``obj`` (``"assignees"``), with forward foreign keys of the related rows joined (``"work_logs__worker"``)
    or as a ``Prefetch`` with its own queryset — by one query compiled once per ``key``. False (nothing
    done) for a lookup of another shape: prefetch it as usual."""
    from django.db.models import Prefetch, QuerySet
    from django.db.models.fields.related_descriptors import ManyToManyDescriptor, ReverseManyToOneDescriptor

    model = type(obj)
    path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
    name, *joined = path.split("__")
    descriptor = getattr(model, name, None)
    if not isinstance(descriptor, ReverseManyToOneDescriptor | ManyToManyDescriptor) or obj.pk is None:
        return False
    if isinstance(descriptor, ManyToManyDescriptor):
        related = descriptor.rel.model if descriptor.reverse else descriptor.rel.related_model
    else:
        related = descriptor.rel.related_model
    if joined and not _forward_path(related, joined):
        return False
    base = lookup.queryset if isinstance(lookup, Prefetch) else None

    def build(mark):
        manager = getattr(model(pk=mark), name)
        queryset = manager.get_queryset() if base is None else manager._apply_rel_filters(base)
        return queryset.select_related("__".join(joined)) if joined else queryset

    found = rows(("prefetch", key, repr(lookup)), build, obj.pk)
    if not isinstance(descriptor, ManyToManyDescriptor):  # each row's own foreign key to obj, as Django sets it
        for row in found:
            descriptor.rel.field.set_cached_value(row, obj)
    kept = QuerySet(model=related)
    kept._result_cache, kept._prefetch_done = found, True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = kept
    return True


def _forward_path(model, names):
    """Whether ``names`` are forward foreign keys (or one-to-ones) from ``model`` on (select_related can join)."""
    for name in names:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 — not a field: not joinable
            return False
        if not (field.is_relation and (field.many_to_one or field.one_to_one) and not field.auto_created):
            return False
        model = field.related_model
    return True


class _Source:
    """What ``ModelIterable`` reads of a queryset: its query's compiler (the prepared one), the database,
    the model and the related objects known beforehand (none)."""

    def __init__(self, compiled, compiler):
        self.db, self.model, self._compiler = compiled.db, compiled.model, compiler
        self._known_related_objects = {}

    @property
    def query(self):
        return self

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


def forget():
    """Drop every kept read (tests; a change of the code's querysets needs a new process anyway)."""
    _kept.clear()
