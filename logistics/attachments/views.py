from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from .models import Attachment


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
    return FileResponse(attachment.file.open("rb"), filename=attachment.file.name.rsplit("/", 1)[-1])
