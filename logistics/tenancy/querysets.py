"""The one read path for domain data: ``Model.objects.restrict(user, action)``.

Every view, API viewset, export, form choice list and task reads through it (NetBox's
``RestrictedQuerySet``). It keeps rows of schools where the user holds
``<app>.<action>_<model>``, and for grants with a row rule (``own``, ``assigned``…) only the rows the
model's ``scope_q(scope, user)`` admits.
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, models, router
from django.db.models import Q
from django.utils import timezone

from logistics.accounts import permissions
from logistics.accounts.roles import ALL


def perm_name(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def decided_by_school(model, action, user, obj):
    """Whether ``user`` may ``action`` ``obj`` when the school alone decides it — without a query:
    True when a grant without a row rule covers ``obj``'s school, False when no grant covers it; None
    when a row rule (``own``, ``assigned``…) must be asked of the database, or when the school is not
    a column of the row itself, or the default manager narrows rows (then ``restrict()`` decides)."""
    field = getattr(model, "school_field", "school_id")
    if "__" in field or model._default_manager.get_queryset().query.has_filters():
        return None
    scopes = permissions.scopes_for(user, perm_name(model, action))
    school_id = getattr(obj, field, None)
    if school_id in scopes.get(ALL, ()):
        return True
    if not any(school_id in school_ids for school_ids in scopes.values()):
        return False
    return None


def holds(user, obj, action, queryset=None):
    """Whether ``user`` may ``action`` ``obj`` (``restrict(user, action)`` admits it): decided without a
    query when the user's grants in the row's school decide it (``decided_by_school``), else one
    ``EXISTS``. ``queryset`` narrows further (e.g. a view's own queryset); None: the default manager."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    model = type(obj)
    if queryset is None or not queryset.query.has_filters():
        if user.is_superuser:
            return True
        decided = decided_by_school(model, action, user, obj)
        if decided is not None:
            return decided
    manager = queryset if queryset is not None else model._default_manager
    return manager.restrict(user, action).filter(pk=obj.pk).exists()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action="view"):
        """Rows of this queryset that ``user`` may ``action``; nothing for anonymous users."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        model = self.model
        scopes = permissions.scopes_for(user, perm_name(model, action))
        if not scopes:
            return self.none()
        field = getattr(model, "school_field", "school_id")
        condition = Q(pk__in=[])
        for scope, school_ids in scopes.items():
            in_schools = Q(**{f"{field}__in": sorted(school_ids)})
            if scope == ALL:
                condition |= in_schools
            else:
                condition |= in_schools & model.scope_q(scope, user)
        return self.filter(condition)

    def in_school(self, school):
        field = getattr(self.model, "school_field", "school_id")
        return self.filter(**{field: getattr(school, "pk", school)})


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


#: {(model, action, user, grants, database): (sql, params) or None} — see ``restriction_sql``
_restrictions = {}
_RESTRICTIONS_KEPT = 20_000


def restriction_sql(model, user, action="view"):
    """The condition ``model.objects.restrict(user, action)`` adds, as ``(sql, params)`` over the model's
    table by its own name — for a query written by hand on a hot path (a guard's scan: building and
    compiling the restricted queryset costs more CPU than the rest of the request) — or None when the user
    may ``action`` no row.

    Compiled by the ORM once per process for each model, action, user, grants (``scopes_for``) and time
    zone and date: the SQL of a row rule is the same while those are, because ``scope_q`` builds lazy
    conditions on the user's id (subqueries included) and reads no rows, a rule on the date of a time
    compiles the zone in, and a rule may name today's date. A rule that joins other tables is kept as ``pk IN (…)``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    scopes = {} if user.is_superuser else permissions.scopes_for(user, perm_name(model, action))
    if not user.is_superuser and not scopes:
        return None
    alias = router.db_for_read(model)
    grants = tuple(sorted((scope, tuple(sorted(ids))) for scope, ids in scopes.items()))
    zone = timezone.get_current_timezone_name()  # ``leave_at__date`` compiles the zone into the SQL
    # and a rule may name today (the guard's leave passes): compiled again on a new day
    key = (model._meta.label_lower, action, user.pk, user.is_superuser, grants, alias, zone, timezone.localdate())
    try:
        return _restrictions[key]
    except KeyError:
        pass
    found = _compile_restriction(model, user, action, alias)
    if len(_restrictions) >= _RESTRICTIONS_KEPT:
        _restrictions.clear()
    _restrictions[key] = found
    return found


def _compile_restriction(model, user, action, alias):
    query = model._default_manager.restrict(user, action).order_by().values("pk").query
    if query.is_empty():
        return None
    connection = connections[alias]
    compiler = query.get_compiler(connection=connection)
    joined = [name for name, count in query.alias_refcount.items() if count and name != query.base_table]
    quote = connection.ops.quote_name
    if joined:
        sql, params = compiler.as_sql()
        return f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)} IN ({sql})", list(params)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1 = 1", []
    return f"({sql})", list(params)
