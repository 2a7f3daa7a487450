"""Photos of a corrective action (platform attachments): what was found, and the result."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from logistics.attachments.models import Attachment
from logistics.attachments.validators import validate_image

MAX_PHOTOS = 10


def photos_of(action):
    ct = ContentType.objects.get_for_model(type(action))
    return list(Attachment.objects.filter(school_id=action.school_id, content_type=ct, object_id=action.pk))


def attach_photo(action, photo, user, kind):
    """Store one photo on the action (checked by content, not by name); at most ``MAX_PHOTOS``."""
    ct = ContentType.objects.get_for_model(type(action))
    count = Attachment.objects.filter(school_id=action.school_id, content_type=ct, object_id=action.pk).count()
    if count >= MAX_PHOTOS:
        raise ValidationError({"photo": _("At most %(n)s photos per corrective action.") % {"n": MAX_PHOTOS}})
    validate_image(photo)
    return Attachment.objects.create(
        school_id=action.school_id, content_type=ct, object_id=action.pk, file=photo, kind=kind
    )
