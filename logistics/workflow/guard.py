"""The service guard every declared step goes through: :func:`run`.

Inside one transaction: the row is locked, the actor's permission (with its grant's row scope) and the
status are checked again on the locked row, the step's service does its work, django-fsm-2 moves the
status, the row is saved (change record) and a timeline event is written. Nobody is acting for
nobody: ``actor=None`` is refused; scheduled tasks act as :func:`system_actor`.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from logistics.audit.context import change_context, current
from logistics.audit.recorder import record_event
from logistics.tenancy import querysets

from .errors import StepNotAllowed
from .steps import get_step, steps_of

SYSTEM_USERNAME = "houqin-system"


def system_actor():
    """The named actor of scheduled work (auto-confirmation, scans): a user who cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "display_name": _("Houqin (automatic)")}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system(user):
    return getattr(user, "username", None) == SYSTEM_USERNAME and not getattr(user, "is_active", True)


def perm_of(model, spec):
    return f"{model._meta.app_label}.{spec.permission}_{model._meta.model_name}"


def _scoped(model, permission, user):
    return model._default_manager.restrict(user, permission)


def may(user, obj, spec):
    """Whether ``user`` holds the step's permission on ``obj`` (the grant's row scope included)."""
    if user is None:
        return False
    if is_system(user):
        return spec.system
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    decided = querysets.decided_by_school(type(obj), spec.permission, user, obj)
    if decided is not None:
        return decided
    return _scoped(type(obj), spec.permission, user).filter(pk=obj.pk).exists()


def status_of(obj, spec):
    return getattr(obj, spec.field_name)


def status_label(obj, spec):
    display = getattr(obj, f"get_{spec.field_name}_display", None)
    return str(display()) if display else str(status_of(obj, spec))


def allowed_steps(user, obj, names=None):
    """The steps ``user`` may take on ``obj`` now, in the order the work goes — one query at most
    (one ``EXISTS`` per distinct permission among the steps the status allows that a row rule decides;
    none when the user's grants in the row's school decide them all)."""
    candidates = [
        s for s in steps_of(type(obj)) if s.allowed_from(status_of(obj, s)) and (names is None or s.name in names)
    ]
    if not candidates or user is None or not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return candidates
    model = type(obj)
    decided = {p: querysets.decided_by_school(model, p, user, obj) for p in {s.permission for s in candidates}}
    undecided = sorted(p for p, value in decided.items() if value is None)
    if undecided:
        annotations = {f"may_{p}": Exists(_scoped(model, p, user).filter(pk=OuterRef("pk"))) for p in undecided}
        row = model._base_manager.filter(pk=obj.pk).annotate(**annotations).values(*annotations).first()
        if row is None:
            return []
        decided.update({p: row[f"may_{p}"] for p in undecided})
    return [s for s in candidates if decided[s.permission] and offered(s, user, obj)]


def offered(spec, user, obj):
    """A step declared with ``offered="module.fn"`` is shown (buttons, panels) only when ``fn(user, obj)``
    says so — e.g. a leave pass's approve, not again to who has given their approval. The guard and the
    service still decide whether the step may run."""
    test = spec.extra.get("offered")
    if not test:
        return True
    if isinstance(test, str):
        from django.utils.module_loading import import_string

        test = import_string(test)
    return bool(test(user, obj))


def not_allowed(obj, spec):
    return StepNotAllowed(
        _("“%(step)s” is not possible while the status is “%(status)s”.")
        % {"step": spec.label, "status": status_label(obj, spec)},
        status=status_of(obj, spec),
    )


def forbidden(obj, spec):
    return PermissionDenied(
        _("You may not “%(step)s” this record; its status is “%(status)s”.")
        % {"step": spec.label, "status": status_label(obj, spec)}
    )


def check(obj, spec, user):
    """403 (``PermissionDenied``) unless ``user`` may take the step, else 409 (``StepNotAllowed``)
    unless the status allows it now; both messages name the current status."""
    if not may(user, obj, spec):
        raise forbidden(obj, spec)
    if not spec.allowed_from(status_of(obj, spec)):
        raise not_allowed(obj, spec)


def ensure(obj, name, actor):
    """The guard of a step-guarded action that is not a transition of its own (a scan during a
    stock-take, an explanation of a difference): 403 unless ``actor`` may take step ``name`` on
    ``obj``, 409 unless the status allows it now. No row lock — the action keeps its own."""
    if actor is None:
        raise ImproperlyConfigured("A step needs an acting user; scheduled work acts as system_actor().")
    check(obj, get_step(type(obj), name), actor)


def run(obj, name, actor, /, **data):
    """Take step ``name`` on ``obj`` as ``actor`` with the (already validated) ``data``.

    Returns what the step's service returned, or the object. The caller's ``obj`` is refreshed with the
    saved row. Raises ``PermissionDenied`` (403), ``StepNotAllowed`` (409) or ``ValidationError`` (400)
    and then nothing has changed.
    """
    if actor is None:
        raise ImproperlyConfigured("A step needs an acting user; scheduled work acts as system_actor().")
    model = type(obj)
    spec = get_step(model, name)
    ctx = current()
    user_for_record = actor if not is_system(actor) else None
    with transaction.atomic(), _acting(ctx, user_for_record):
        locked = model._base_manager.select_for_update().get(pk=obj.pk)
        check(locked, spec, actor)
        source = status_of(locked, spec)
        service = spec.service_function
        result = service(locked, actor, **data) if service is not None else None
        message = None
        if isinstance(result, StepResult):
            message, data_out, result = result.message, result.data, result.value
        else:
            data_out = None
        try:
            getattr(locked, spec.name)()
        except TransitionNotAllowed as exc:  # the service left a status the step does not allow
            raise not_allowed(locked, spec) from exc
        locked.save()
        target = status_of(locked, spec)
        event = spec.event or f"{model._meta.model_name}.{spec.name}"
        payload = {"step": spec.name, "from": source, "to": target, **(data_out or {})}
        record_event(locked, event, str(message or spec.label), payload)
    for field in model._meta.concrete_fields:
        obj.__dict__[field.attname] = locked.__dict__.get(field.attname)
    obj.__dict__.pop("_prefetched_objects_cache", None)
    return locked if result is None else result


class StepResult:
    """What a step's service may return: the timeline text, extra event data and the value returned."""

    __slots__ = ("message", "data", "value")

    def __init__(self, message=None, data=None, value=None):
        self.message, self.data, self.value = message, data, value


class _acting:
    """Record changes as the actor when no request context names one (tasks, shell)."""

    def __init__(self, ctx, user):
        self.manager = None
        if user is not None and (ctx is None or ctx.user is None):
            self.manager = change_context(user=user)

    def __enter__(self):
        if self.manager is not None:
            self.manager.__enter__()

    def __exit__(self, *exc):
        if self.manager is not None:
            return self.manager.__exit__(*exc)
        return False
