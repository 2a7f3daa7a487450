"""Upload validation for every app: size, and type judged by the file's content, not its name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

IMAGES = ("image/jpeg", "image/png", "image/webp", "image/gif")
DOCUMENTS = ("application/pdf",)
SPREADSHEETS = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
)
ZIP_BASED = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(upload):
    """The MIME type read from the first bytes of the upload (None when unknown)."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        head.decode("utf-8")
    except (UnicodeDecodeError, AttributeError):
        try:
            head.decode("gb18030")
        except (UnicodeDecodeError, AttributeError):
            return None
    return "text/csv" if str(getattr(upload, "name", "")).lower().endswith(".csv") else "text/plain"


@deconstructible
class FileValidator:
    """``FileValidator(IMAGES)`` rejects files over ``max_bytes`` or whose content is not one of ``types``."""

    def __init__(self, types=IMAGES + DOCUMENTS, max_bytes=None):
        self.types = tuple(types)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        limit = self.max_bytes or settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": round(upload.size / 1048576, 1),
                    "limit": round(limit / 1048576, 1),
                },
                code="file_too_large",
            )
        mime = sniff(upload)
        if (
            mime == "application/zip"
            and "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in self.types
        ):
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if mime not in self.types:
            raise ValidationError(
                _("This kind of file is not accepted here (%(kind)s). Accepted: %(accepted)s.")
                % {
                    "kind": mime or _("unknown"),
                    "accepted": ", ".join(t.split("/")[-1] for t in self.types),
                },
                code="file_type",
            )

    def __eq__(self, other):
        return isinstance(other, FileValidator) and (self.types, self.max_bytes) == (
            other.types,
            other.max_bytes,
        )


validate_image = FileValidator(IMAGES)
validate_document = FileValidator(IMAGES + DOCUMENTS)
