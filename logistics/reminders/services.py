"""The reminder scan: ask every provider for what is due, notify once, escalate once."""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.audit.context import change_context
from logistics.notifications.models import Notification
from logistics.notifications.services import deliver_now, notify

from . import registry

log = logging.getLogger(__name__)


def _due_key(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y%m%d%H%M")
    return value.strftime("%Y%m%d")


def item_key(provider, item, kind):
    ct = ContentType.objects.get_for_model(item.obj)
    return f"rem:{provider.code}:{ct.pk}:{item.obj.pk}:{_due_key(item.due_at)}:{kind}"


def _is_past(moment, now):
    if moment is None:
        return False
    if isinstance(moment, datetime.datetime):
        return moment <= now
    return moment < timezone.localdate(now)


def scan(now=None):
    """One pass over all providers. Returns (reminders sent, escalations sent). Safe to run twice."""
    now = now or timezone.now()
    sent = escalated = 0
    with change_context(user=None):
        for provider in registry.providers():
            try:
                with transaction.atomic():
                    provider.process(now)
            except Exception:
                log.exception("reminder provider %s failed to process", provider.code)
            try:
                items = list(provider.due_items(now))
            except Exception:
                log.exception("reminder provider %s failed to list due items", provider.code)
                continue
            for item in items:
                try:
                    with transaction.atomic():
                        a, b = _remind(provider, item, now)
                except Exception:
                    log.exception("reminder %s failed for %r", provider.code, getattr(item, "obj", item))
                    continue
                sent += a
                escalated += b
    # Deliveries whose enqueue failed (broker down) go out now, oldest first.
    stale = Notification.objects.filter(emailed_at__isnull=True, created__lt=now - datetime.timedelta(minutes=2))
    pending = list(stale.order_by("created", "pk").values_list("pk", flat=True)[:500])
    if pending:
        deliver_now(pending)
    return sent, escalated


def _remind(provider, item, now):
    """Notify the item's recipients once; escalate once when overdue. Returns (sent, escalated)."""
    sent = len(
        notify(
            item.recipients,
            item.title,
            item.body,
            obj=item.obj,
            url=item.url,
            key=item_key(provider, item, "due"),
            level="warning",
        )
    )
    escalated = 0
    if item.escalate_to and _is_past(item.overdue_at, now):
        escalated = len(
            notify(
                item.escalate_to,
                item.escalation_title or _("Overdue: %(title)s") % {"title": item.title},
                item.body,
                obj=item.obj,
                url=item.url,
                key=item_key(provider, item, "escalation"),
                level="danger",
            )
        )
    return sent, escalated
