"""``notify()``: the one way anything tells a person something."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation

from logistics.ui.links import absolute

from .models import Notification

log = logging.getLogger(__name__)


def _may_see(user, obj):
    if obj is None or not hasattr(type(obj).objects, "restrict"):
        return True
    return type(obj).objects.restrict(user, "view").filter(pk=obj.pk).exists()


def notify(
    recipients,
    title,
    body="",
    obj=None,
    url="",
    key="",
    school=None,
    level="info",
    email=True,
):
    """Tell each recipient ``title``/``body`` about ``obj``.

    - recipients who may not see ``obj`` (``restrict``) are dropped;
    - with ``key``, a recipient gets it at most once ever (``(recipient, key)`` is unique);
    - each notification is also emailed (when the user has an address) and POSTed to the school's
      webhook, after commit.
    Returns the notifications created.
    """
    if obj is not None and not url and hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    if school is None and obj is not None:
        school_id = getattr(obj, "school_id", None)
    else:
        school_id = getattr(school, "pk", school)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    created = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if not _may_see(user, obj):
            continue
        if key and Notification.objects.filter(recipient=user, dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    school_id=school_id,
                    recipient=user,
                    title=str(title)[:200],
                    body=str(body),
                    url=url[:300],
                    level=level,
                    content_type=content_type,
                    object_id=getattr(obj, "pk", None),
                    dedupe_key=key[:200],
                )
        except IntegrityError:  # a concurrent scan sent it first
            continue
        created.append(note)
    if created:
        ids = [n.pk for n in created]
        from .tasks import deliver

        transaction.on_commit(lambda: enqueue(deliver, ids, email))
    return created


def enqueue(task, *args):
    """Send a task to the broker; if the broker is down, log it (the next periodic run picks it up).

    One connection attempt with a short timeout and no publish retry (settings: ``CELERY_TASK_PUBLISH_RETRY``,
    ``CELERY_BROKER_TRANSPORT_OPTIONS``), so a request never waits on a dead broker."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        log.warning(
            "could not enqueue %s; it will be picked up by the next periodic run",
            task.name,
            exc_info=True,
        )


def deliver_now(notification_ids, email=True):
    """Email and webhook delivery of stored notifications, each at most once.

    A notification is claimed (``emailed_at`` set) before it is sent, so the task and the scan's
    catch-up never both send it; a failing mail server is logged, not retried forever.
    """
    for note in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient", "school"
    ):
        claimed = Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed:
            continue
        user = note.recipient
        if email and user.email:
            with translation.override(settings.LANGUAGE_CODE):
                link = f"\n\n{absolute(note.url)}" if note.url else ""
                try:
                    send_mail(note.title, f"{note.body}{link}", settings.DEFAULT_FROM_EMAIL, [user.email])
                except Exception:  # noqa: BLE001
                    log.warning("email to %s failed", user.email, exc_info=True)
        if note.school and note.school.webhook_url:
            post_webhook(note)


def post_webhook(note):
    import json
    import urllib.request

    payload = json.dumps(
        {
            "title": note.title,
            "body": note.body,
            "url": note.url,
            "recipient": note.recipient.username,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 — a URLField: http(s) only
        note.school.webhook_url,
        data=payload,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
    except Exception:
        log.warning("webhook %s failed", note.school.webhook_url, exc_info=True)


#: seconds the page header's unread count is kept per user; every write of a notification forgets it
#: (``forget_unread``), so this bounds only a change made outside the model (a bulk write, a shell)
UNREAD_SECONDS = 60


def _unread_key(user_id):
    return f"houqin:unread:{user_id}"


def unread_count(user):
    """The bell's count, kept per user (one query a page less): ``forget_unread`` on every change."""
    if not user.is_authenticated:
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(user_id):
    """Forget a user's kept unread count now and again when the transaction commits (a page read
    between the two would otherwise keep the count from before the commit)."""
    key = _unread_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@receiver([post_save, post_delete], sender=Notification)
def _notification_changed(sender, instance, **kwargs):
    forget_unread(instance.recipient_id)
