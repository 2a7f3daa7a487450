from celery import shared_task

from . import services


@shared_task(name="logistics.notifications.tasks.deliver")
def deliver(notification_ids, email=True):
    services.deliver_now(notification_ids, email)
