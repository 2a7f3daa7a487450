import uuid

from .context import ChangeContext, _current


class RequestContextMiddleware:
    """Gives each request an id (also sent back as ``X-Request-ID``) and records its user for audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        # The user is read from the request when a change is recorded (a DRF token sets it late).
        token = _current.set(ChangeContext(None, request.id, request))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = str(request.id)
        return response
