from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from .models import Attachment
from .validators import IMAGES, sniff

#: Files are shown in the page only when their content is a raster image; anything else downloads.
INLINE_TYPES = set(IMAGES)


def serve_file(field, filename=None, force_download=False):
    """A stored file as a response that can never run in the page: the type comes from the content,
    not the name; non-images download; a sandboxing CSP is attached. A missing file is 404."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    mime = sniff(handle) or "application/octet-stream"
    inline = mime in INLINE_TYPES and not force_download
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename or field.name.rsplit("/", 1)[-1],
        content_type=mime if mime in INLINE_TYPES or mime == "application/pdf" else "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def download(request, pk):
    """An attachment, for whoever may see the object it is attached to."""
    attachment = Attachment.objects.filter(pk=pk).select_related("content_type").first()
    if attachment is None:
        raise Http404
    model = attachment.content_type.model_class()
    manager = getattr(model, "objects", None)
    if manager is None or not hasattr(manager, "restrict"):
        raise Http404
    if not manager.restrict(request.user, "view").filter(pk=attachment.object_id).exists():
        raise Http404
    return serve_file(attachment.file)
