from django.db import models
from django.utils.translation import pgettext_lazy


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", pgettext_lazy("import status", "Uploaded")
    VALIDATING = "validating", pgettext_lazy("import status", "Checking")
    VALIDATED = "validated", pgettext_lazy("import status", "Validated")
    INVALID = "invalid", pgettext_lazy("import status", "Has errors")
    RUNNING = "running", pgettext_lazy("import status", "Importing")
    DONE = "done", pgettext_lazy("import status", "Imported")
    FAILED = "failed", pgettext_lazy("import status", "Failed")


IMPORT_COLOURS = {
    ImportStatus.UPLOADED: "secondary",
    ImportStatus.VALIDATING: "warning",
    ImportStatus.VALIDATED: "info",
    ImportStatus.INVALID: "danger",
    ImportStatus.RUNNING: "warning",
    ImportStatus.DONE: "success",
    ImportStatus.FAILED: "danger",
}

#: statuses in which a worker is busy with the record (the page polls its progress)
BUSY = (ImportStatus.VALIDATING, ImportStatus.RUNNING)
