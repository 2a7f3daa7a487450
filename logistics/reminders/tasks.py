from celery import shared_task


@shared_task(name="logistics.reminders.tasks.scan")
def scan():
    """Every 15 minutes (beat): everything due and not yet reminded."""
    from . import services

    sent, escalated = services.scan()
    return {"sent": sent, "escalated": escalated}


@shared_task(name="logistics.reminders.tasks.housekeeping")
def housekeeping():
    """Nightly: drop expired sessions and read notifications older than a year (except reminder
    notifications, whose keys keep a reminder from going out twice)."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from logistics.notifications.models import Notification

    now = timezone.now()
    Session.objects.filter(expire_date__lt=now).delete()
    Notification.objects.filter(read_at__lt=now - datetime.timedelta(days=365), dedupe_key="").delete()
