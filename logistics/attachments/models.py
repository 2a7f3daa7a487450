"""Photos and documents attached to any domain object (附件)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from logistics.tenancy.base import PrimaryModel

from .validators import validate_document

__all__ = ["Attachment"]


def upload_to(instance, filename):
    return f"attachments/{instance.school_id}/{instance.content_type.model}/{instance.object_id}/{filename}"


class Attachment(PrimaryModel):
    """A file on an object: a photo of a broken tap, an invoice scan. Visible to whoever sees the object."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    parent = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=upload_to, validators=[validate_document])
    kind = models.CharField(_("kind"), max_length=30, blank=True, help_text=_("e.g. before, after, invoice"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["school", "content_type", "object_id"], name="attachment_object")]

    def __str__(self):
        return self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_image(self):
        return self.file.name.lower().rsplit(".", 1)[-1] in {
            "jpg",
            "jpeg",
            "png",
            "webp",
            "gif",
        }
