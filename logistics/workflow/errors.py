"""The error of a step that the object's current status does not allow (→ HTTP 409)."""


class StepNotAllowed(Exception):
    """A step that cannot be taken from the object's current status (→ HTTP 409, naming the status)."""

    def __init__(self, message, status=None):
        super().__init__(str(message))
        self.message = message
        self.status = status
