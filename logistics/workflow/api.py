"""API actions built from the declared steps: ``POST <list>/{id}/<step>/`` for every step of the
viewset's model, each with its own request serializer and the real responses in OpenAPI."""

from django.utils.encoding import force_str
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from logistics.api.docs import internal_doc

from . import guard
from .serializers import ErrorSerializer
from .steps import get_step, steps_of

STEP_ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def _make_action(spec, response):
    def handler(self, request, pk=None):
        obj = self.get_object()
        result = self.take_step(obj, spec.name)
        return self.step_response(spec, obj, result)

    handler.__name__ = spec.name
    handler.__doc__ = force_str(spec.description or spec.label)
    description = (
        f"{force_str(spec.description or spec.label)}\n\n"
        "Refused with 409 (naming the current status) when the status does not allow the step now, "
        "403 when the user may not take it, 404 when the user cannot see the record; nothing changes then."
    )
    handler._houqin_step = spec
    # ``action`` first: it resets ``handler.kwargs``, where ``extend_schema`` keeps the schema
    handler = action(
        detail=True, methods=["post"], url_path=spec.url_name, url_name=spec.url_name, permission_action="step"
    )(handler)
    return extend_schema(
        summary=force_str(spec.label),
        description=description,
        request=spec.serializer_class,
        responses={200: response, **STEP_ERRORS},
    )(handler)


@internal_doc
class WorkflowViewSetMixin:
    """Mix into a school-scoped viewset: every declared step of ``queryset.model`` becomes an action.

    ``step_response_serializer`` documents (and by default renders) the answer: the record after the
    step. Override :meth:`step_response` / :meth:`step_input` where an app answers or maps differently.
    """

    step_response_serializer = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        queryset = getattr(cls, "queryset", None)
        if queryset is None:
            return
        default = cls.step_response_serializer or cls.serializer_class
        for spec in steps_of(queryset.model):
            if spec.name in vars(cls) or spec.extra.get("api") is False:
                continue
            setattr(cls, spec.name, _make_action(spec, spec.response_serializer_class or default))

    def take_step(self, obj, name):
        """403 unless the user may take the step on ``obj``; 409 with the current status when the status
        does not allow it now (before the body is read: a closed record answers the same whatever was
        sent); then the body is validated by the step's serializer (400) and the step runs through the
        guard (which checks the status again under the row lock)."""
        spec = get_step(type(obj), name)
        if not guard.may(self.request.user, obj, spec):
            raise guard.forbidden(obj, spec)
        if not spec.allowed_from(guard.status_of(obj, spec)):
            raise guard.not_allowed(obj, spec)
        serializer = spec.serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), "object": obj, "step": spec}
        )
        serializer.is_valid(raise_exception=True)
        return guard.run(obj, spec.name, self.request.user, **self.step_input(spec, obj, serializer.validated_data))

    def step_input(self, spec, obj, data):
        return dict(data)

    def step_response(self, spec, obj, result):
        """The record after the step — or, for a step declared with ``response=``, what its service
        returned (e.g. the disposal request a "request disposal" opened), in that serializer."""
        if spec.response_serializer_class is not None:
            return Response(spec.response_serializer_class(result, context=self.get_serializer_context()).data)
        serializer_class = self.step_response_serializer or self.serializer_class
        fresh = self.get_queryset().model._default_manager.filter(pk=obj.pk).first() or obj
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data)
