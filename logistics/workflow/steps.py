"""Business steps declared once, on the model, with django-fsm-2 as the state-machine core.

A model with a status declares it as ``FSMField`` and each step as a method decorated with
:func:`step`::

    status = FSMField(_("status"), choices=TicketStatus.choices, default=TicketStatus.SUBMITTED)

    @step(
        status,
        source=[S.IN_PROGRESS],
        target=S.DONE,
        permission="progress",              # → repairs.progress_ticket, with its grant's scope
        label=pgettext_lazy("repair step", "Complete"),
        form="repairs.forms.CompleteForm",  # dotted paths: resolved when first used
        serializer="repairs.api.serializers.CompleteSerializer",
        service="repairs.services.complete",
        order=40,
    )
    def complete(self):
        pass

django-fsm-2 checks the source status and sets the target (``target`` may also be a mapping
``{source: target}`` or ``RETURN_VALUE(...)``, the method then returns the target). What django-fsm-2
lacks is added here and in :mod:`.guard`: the permission with its row scope, the input form and
serializer, labels and confirmation text, the order of the buttons, the service with the side effects,
the row lock, the timeline event, and the API action (:mod:`.api`) and page (:mod:`.views`) built
from the same declaration.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.module_loading import import_string
from django_fsm import transition

__all__ = [
    "Step",
    "ensure_editable",
    "get_step",
    "is_read_only",
    "status_field_of",
    "step",
    "steps_of",
    "terminal_states",
]

_REGISTRY = {}


@dataclass(eq=False)
class Step:
    """One declared step. ``name`` is the model method; ``url_name`` its path segment in URLs and the API."""

    name: str
    field_name: str
    sources: tuple
    targets: dict
    permission: str
    label: object
    form: object = None
    serializer: object = None
    service: object = None
    confirm: object = None
    description: object = ""
    reason: bool = False
    danger: bool = False
    system: bool = False
    order: int = 100
    primary: bool = False
    event: str = ""
    url_name: str = ""
    extra: dict = field(default_factory=dict)

    def _resolve(self, value):
        return import_string(value) if isinstance(value, str) else value

    @cached_property
    def form_class(self):
        return self._resolve(self.form)

    @cached_property
    def serializer_class(self):
        if self.serializer is None:
            from .serializers import NoInputSerializer

            return NoInputSerializer
        return self._resolve(self.serializer)

    @cached_property
    def service_function(self):
        return self._resolve(self.service)

    def allowed_from(self, status):
        return status in self.sources

    @cached_property
    def response_serializer_class(self):
        """The serializer of the API answer when the step answers something else than the record
        (``response="app.api.serializers.X"`` in the declaration renders the service's value)."""
        return self._resolve(self.extra.get("response"))

    @property
    def has_page(self):
        """Whether the step has a page of its own: not one taken only by another service (declared
        ``hidden`` and ``api=False``, e.g. an asset's write-off by its disposal), nor ``page=False``."""
        if self.extra.get("page") is False:
            return False
        return not (self.extra.get("hidden") and self.extra.get("api") is False)

    @property
    def changes_status(self):
        return any(target is not None for target in self.targets.values())


def step(
    state_field,
    *,
    source,
    target=None,
    permission,
    label,
    form=None,
    serializer=None,
    service=None,
    confirm=None,
    description="",
    reason=False,
    danger=False,
    system=False,
    order=100,
    primary=False,
    event="",
    url_name="",
    conditions=None,
    **extra,
):
    """Declare a step on a model method (see the module docstring). ``source`` is a status or a list;
    ``target`` a status, ``None`` (unchanged), a ``{source: target}`` mapping, or a django-fsm
    ``RETURN_VALUE``."""
    sources = tuple(source) if isinstance(source, list | tuple | set | frozenset) else (source,)
    targets = dict(target) if isinstance(target, dict) else {s: target for s in sources}
    if set(targets) != set(sources):
        raise ValueError("A target mapping must name every source status.")

    def decorate(func):
        spec = Step(
            name=func.__name__,
            field_name=getattr(state_field, "name", None) or "",
            sources=sources,
            targets=targets,
            permission=permission,
            label=label,
            form=form,
            serializer=serializer,
            service=service,
            confirm=confirm,
            description=description,
            reason=reason,
            danger=danger,
            system=system,
            order=order,
            primary=primary,
            event=event,
            url_name=url_name or func.__name__.replace("_", "-"),
            extra=extra,
        )
        wrapped = func
        by_target = {}
        for src, tgt in targets.items():
            by_target.setdefault(_key(tgt), (tgt, []))[1].append(src)
        for tgt, srcs in by_target.values():
            wrapped = transition(
                field=state_field, source=srcs, target=tgt, conditions=conditions, custom={"step": spec}
            )(wrapped)
        wrapped._houqin_step = spec
        return wrapped

    return decorate


def _key(target):
    return ("obj", id(target)) if hasattr(target, "get_state") else ("value", target)


def _collect(model):
    specs = {}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            spec = getattr(value, "_houqin_step", None)
            if spec is not None:
                if not spec.field_name:
                    spec.field_name = value._django_fsm.field.name
                specs[name] = spec
    return sorted(specs.values(), key=lambda s: (s.order, s.name))


def steps_of(model):
    """The model's declared steps, in the order the work goes."""
    model = model if isinstance(model, type) else type(model)
    if model not in _REGISTRY:
        _REGISTRY[model] = _collect(model)
    return _REGISTRY[model]


def get_step(model, name):
    """The step called ``name`` (method name or URL name) of ``model``; ``KeyError`` if none."""
    for spec in steps_of(model):
        if name in (spec.name, spec.url_name):
            return spec
    raise KeyError(name)


def status_field_of(model):
    specs = steps_of(model)
    return specs[0].field_name if specs else None


def terminal_states(model):
    """Statuses no declared step leaves — read-only everywhere (API, pages, admin). A model may name
    more with ``read_only_states``."""
    model = model if isinstance(model, type) else type(model)
    explicit = getattr(model, "read_only_states", None)
    if explicit is not None:
        return frozenset(explicit)
    name = status_field_of(model)
    if not name:
        return frozenset()
    choices = [value for value, _label in model._meta.get_field(name).choices or ()]
    leaving = {src for spec in steps_of(model) for src in spec.sources}
    return frozenset(c for c in choices if c not in leaving)


def is_read_only(obj):
    """Whether ``obj`` is in a terminal state (its record can no longer be edited or deleted)."""
    name = status_field_of(type(obj))
    return bool(name) and getattr(obj, name) in terminal_states(type(obj))


def read_only_label(obj):
    """The label of ``obj``'s current status (as in the 409 answers)."""
    name = status_field_of(type(obj))
    display = getattr(obj, f"get_{name}_display", None)
    return str(display()) if display else str(getattr(obj, name))


def ensure_editable(obj):
    """Raise :class:`StepNotAllowed` (409, naming the status) when ``obj`` is in a terminal state:
    a disposed asset card, a written-off disposal, a paid damage record, a closed ticket."""
    if obj is None or getattr(obj, "pk", None) is None or not is_read_only(obj):
        return
    from django.utils.translation import gettext as _

    from .errors import StepNotAllowed

    raise StepNotAllowed(
        _("“%(object)s” is “%(status)s”: it can no longer be changed or deleted.")
        % {"object": obj, "status": read_only_label(obj)},
        status=getattr(obj, status_field_of(type(obj))),
    )
