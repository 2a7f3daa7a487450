"""API errors are JSON with a readable ``detail``: Django ValidationErrors → 400, a workflow step
not allowed from the current status → 409 (naming the status), a protected delete → 409."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from logistics.workflow import StepNotAllowed


def exception_handler(exc, context):
    if isinstance(exc, StepNotAllowed):
        return Response(
            {"detail": str(exc.message), "status": exc.status},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("This object is still in use and cannot be deleted.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("You do not have permission to perform this action.")
        return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
