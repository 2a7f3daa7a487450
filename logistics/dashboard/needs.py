"""What needs me now (待我处理): the registry of items waiting for the current user's decision, and of
overdue items by area, shown first on the principal's dashboard.

Two kinds of providers, registered by the domain apps in their ``AppConfig.ready()``:

- :class:`Queue` — records waiting for a declared step (``logistics.workflow``) that *this* user may take
  now: a disposal waiting for the principal's approval, a fee board submitted to the principal, a major
  hazard rectified and waiting for verification. The rows are chosen with the step panel's own checks —
  the status is one the step may start from and the user holds the step's permission with its grant's row
  scope (``Model.objects.restrict(user, permission)``) — so the list shows exactly what the user could
  approve on the record's page, never a copy of the rules. One query per queue (two when more rows wait
  than are shown).
- :class:`Overdue` — a count per school of what is past its time in an area (repairs past their target,
  hazards past their deadline, missed patrol rounds…), computed for many schools in one query, with the
  filtered list behind it.

Both are kept in the cache for a short while (``DASHBOARD_NEEDS_SECONDS``, default 2 minutes; 0: never),
the queues per user and school, the overdue counts per school, under a **version of the school** that
any save or delete of a queue's model (or of a model it watches: the signatures of an expense, the
payments behind a refund, the school's memberships) moves on at once and again when its transaction
commits — so a step taken shows on the next page, and what is kept is at most that old when nothing of
the school changed (the page says as of when). ``fresh=True`` computes them again.
"""

import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from logistics.accounts import permissions
from logistics.accounts.roles import ALL
from logistics.workflow.steps import get_step, steps_of

__all__ = ["Overdue", "Queue", "overdue_counts", "overdues", "queues", "register", "waiting_for"]

_queues = []
_overdues = []

#: rows listed per queue (the rest are counted and reached through ``more_url``)
SHOWN = 5


@dataclass(eq=False)
class Queue:
    """Records of ``model`` waiting for one of ``steps`` that the user may take now.

    ``base(school)`` (optional) gives the records to start from (an app's own "awaiting the principal"
    queryset); ``condition`` narrows further (a ``Q`` or ``fn(user) → Q``: e.g. not what the user
    rectified themselves, when the step refuses that). ``more_url`` is the list with the same records
    (a URL name, or ``fn(school) → url``)."""

    code: str
    label: object
    model: str
    steps: tuple = ()
    area: object = ""
    order: int = 50
    condition: object = None
    base: object = None
    select_related: tuple = ()
    date_field: str = "created"
    more_url: object = None
    describe: object = None  # fn(obj) → text shown under the record's name
    #: fn(school, user) → the queue's title for this user, when it depends on who is asking (the principal
    #: signs an expense above the head's limit, the head gives the signature before it)
    label_for: object = None
    #: other models ("app.Model") whose changes may change what waits (the signatures of an expense)
    watch: tuple = ()

    def label_of(self, school, user):
        return self.label_for(school, user) if self.label_for else self.label

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def _steps(self):
        model = self.model_class
        if self.steps:
            return [get_step(model, name) for name in self.steps]
        return [s for s in steps_of(model) if not s.system]

    def queryset(self, school, user):
        """The records of ``school`` waiting for a step ``user`` may take now (not evaluated)."""
        model = self.model_class
        manager = model._default_manager
        specs = self._steps()
        by_perm = {}
        for spec in specs:
            by_perm.setdefault(spec.permission, set()).update(spec.sources)
        base = self.base(school) if self.base else manager.all()
        base = base.filter(school=school)
        if not by_perm:
            return base.none()
        status = specs[0].field_name
        if len(by_perm) == 1:
            ((perm, sources),) = by_perm.items()
            qs = base.filter(pk__in=manager.restrict(user, perm).filter(school=school).values("pk"))
            qs = qs.filter(**{f"{status}__in": sorted(sources, key=str)})
        else:
            condition = Q(pk__in=[])
            for perm, sources in by_perm.items():
                allowed = manager.restrict(user, perm).filter(school=school).values("pk")
                condition |= Q(**{f"{status}__in": sorted(sources, key=str)}) & Q(pk__in=allowed)
            qs = base.filter(condition)
        if self.condition is not None:
            extra = self.condition(user) if callable(self.condition) else self.condition
            qs = qs.filter(extra)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs.order_by(self.date_field, "pk")

    def step_label(self, obj):
        for spec in self._steps():
            if spec.allowed_from(getattr(obj, spec.field_name)):
                return spec.label
        return ""

    def link_more(self, school):
        if callable(self.more_url):
            return self.more_url(school)
        if self.more_url:
            try:
                return reverse(self.more_url)
            except NoReverseMatch:
                return ""
        return ""

    def waiting(self, school, user, limit=SHOWN):
        """{"queue", "label", "count", "items": [{"text", "detail", "url", "since", "step"}], "more"} or None when
        nothing waits."""
        rows = list(self.queryset(school, user)[: limit + 1])
        if not rows:
            return None
        count = len(rows) if len(rows) <= limit else self.queryset(school, user).count()
        items = []
        for obj in rows[:limit]:
            since = getattr(obj, self.date_field, None)
            items.append(
                {
                    "text": str(obj),
                    "detail": self.describe(obj) if self.describe else "",
                    "url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
                    "since": since,
                    "step": self.step_label(obj),
                }
            )
        return {
            "queue": self,
            "label": self.label_of(school, user),
            "count": count,
            "items": items,
            "more": self.link_more(school) if count > limit else "",
        }


@dataclass(eq=False)
class Overdue:
    """What is past its time in an area, counted per school: ``count(school_ids) → {school_id: n}`` (one
    query for any number of schools), seen by holders of ``perm``, with the filtered list ``url``
    (``fn(school) → url``)."""

    code: str
    label: object
    area: object
    perm: str
    count: object
    url: object = None
    order: int = 50
    extra: dict = field(default_factory=dict)


def register(provider):
    """Register a :class:`Queue` or an :class:`Overdue` (in an app's ``ready()``)."""
    target = _queues if isinstance(provider, Queue) else _overdues
    if any(p.code == provider.code for p in target):
        raise ValueError(f"A dashboard provider {provider.code!r} is already registered.")
    target.append(provider)
    _watched_labels.clear()
    return provider


def unregister(code):
    for target in (_queues, _overdues):
        target[:] = [p for p in target if p.code != code]
    _watched_labels.clear()


def queues():
    return sorted(_queues, key=lambda q: (q.order, q.code))


def overdues():
    return sorted(_overdues, key=lambda o: (o.order, o.code))


def needs_seconds():
    return getattr(settings, "DASHBOARD_NEEDS_SECONDS", 120)


def _version_key(school_id):
    return f"dashboard:needs-version:{school_id}"


def school_version(school_id):
    return cache.get(_version_key(school_id)) or 0


def bump(school_id):
    """What waits in ``school_id`` may have changed: what was kept is not read again."""
    cache.set(_version_key(school_id), uuid.uuid4().hex, None)  # never an earlier value (nor a frozen clock's)


_watched_labels = []  # [frozenset of "app.model"], worked out on the first save after the registrations


def _watched():
    if not _watched_labels:
        labels = {"tenancy.Membership"}
        for queue in _queues:
            labels.add(queue.model)
            labels.update(queue.watch)
        _watched_labels.append(frozenset(label.lower() for label in labels))
    return _watched_labels[0]


def _changed(sender, instance, **kwargs):
    if sender._meta.label_lower not in _watched():
        return
    school_id = getattr(instance, "school_id", None)
    if school_id is None:
        return
    bump(school_id)
    # and once committed: a page computed meanwhile from the rows before the change is not kept beyond it
    transaction.on_commit(lambda: bump(school_id))


post_save.connect(_changed, dispatch_uid="dashboard-needs-changed")
post_delete.connect(_changed, dispatch_uid="dashboard-needs-changed-delete")


def _kept(key, compute, fresh):
    """(value, computed_at) from the cache or computed now and kept ``DASHBOARD_NEEDS_SECONDS``."""
    from .figures import _kept as kept

    return kept(key, compute, fresh=fresh, seconds=needs_seconds())


def waiting_for(school, user, limit=SHOWN, fresh=False, with_time=False):
    """Every queue with something waiting for ``user`` in ``school``, in order (and the time it was
    computed, ``with_time``). Kept per user and school under the school's version (see the module)."""
    if not school or not getattr(user, "is_authenticated", False):
        return ([], None) if with_time else []

    def compute():
        found = []
        for queue in queues():
            entry = queue.waiting(school, user, limit)
            if entry:
                # kept without the queue itself (its functions are not stored): found again by code
                found.append({**entry, "queue": queue.code, "label": str(entry["label"])})
        return found

    key = (
        f"dashboard:needs:{school.pk}:{school_version(school.pk)}:{user.pk}:{limit}:{translation.get_language() or ''}"
    )
    stored, at = _kept(key, compute, fresh)
    by_code = {q.code: q for q in queues()}
    entries = [{**entry, "queue": by_code[entry["queue"]]} for entry in stored if entry["queue"] in by_code]
    return (entries, at) if with_time else entries


def sees_all(user, perm, school):
    """Whether ``user`` holds ``perm`` over every row of ``school`` (scope ``all``), not only a row rule's."""
    if user.is_superuser:
        return True
    return school.pk in permissions.scopes_for(user, perm).get(ALL, ())


def overdue_counts(school, user, fresh=False):
    """[{"provider", "count", "url"}] of the overdue counts ``user`` may see in ``school`` (zeros left out):
    a count covers the whole school, so only a holder of the permission over all its rows sees it (a
    teacher who sees their own tickets never learns how many of the school's are late). The counts are
    kept per school under its version and for ``DASHBOARD_NEEDS_SECONDS``; who sees which is checked on
    every request."""
    if not school or not getattr(user, "is_authenticated", False):
        return []
    shown = [p for p in overdues() if sees_all(user, p.perm, school)]
    if not shown:
        return []
    key = f"dashboard:overdue:{school.pk}:{school_version(school.pk)}:" + ",".join(sorted(p.code for p in shown))
    counts, _at = _kept(key, lambda: {p.code: p.count([school.pk]).get(school.pk, 0) for p in shown}, fresh)
    found = []
    for provider in shown:
        n = counts.get(provider.code, 0)
        if n:
            found.append({"provider": provider, "count": n, "url": provider.url(school) if provider.url else ""})
    return found
