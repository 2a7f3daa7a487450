from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "logistics.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import services  # noqa: F401 — connects the unread count's forgetting to Notification's saves
