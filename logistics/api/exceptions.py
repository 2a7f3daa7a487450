"""API errors have one shape (``logistics.workflow.serializers.ErrorSerializer``)::

    {"detail": "readable message", "status": "<current status, 409 only>", "errors": {"field": ["…"]}}

Django ValidationErrors → 400, a workflow step not allowed from the current status → 409 (naming the
status), a protected delete → 409; field errors of a 400 are kept under ``errors`` and summed up in
``detail``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from logistics.workflow.errors import StepNotAllowed


def _messages(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _messages(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _messages(item)
    elif value not in (None, ""):
        yield str(value)


def _field_errors(data):
    if isinstance(data, list):
        return {"non_field_errors": [str(m) for m in _messages(data)]}
    return {str(name): list(_messages(value)) for name, value in data.items()}


def exception_handler(exc, context):
    if isinstance(exc, StepNotAllowed):
        body = {"detail": str(exc.message)}
        if exc.status is not None:  # a yes/no status (paid) reads "true"/"false"
            body["status"] = str(exc.status).lower() if isinstance(exc.status, bool) else str(exc.status)
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("This object is still in use and cannot be deleted.")}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    if isinstance(exc, Http404):  # Django's text names the model in English ("No Asset matches …")
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("You do not have permission to perform this action.")
        return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) <= {"detail", "status"} and "detail" in data:
        response.data = {key: str(value) for key, value in data.items()}
        return response
    errors = _field_errors(data)
    messages = [m for values in errors.values() for m in values]
    response.data = {"detail": "；".join(dict.fromkeys(messages)) or _("The request is not valid."), "errors": errors}
    return response
