from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Assets")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import grants, settings_rules

        settings_rules.register()
        grants.register()
        from logistics.tenancy import demo

        from . import reminders, report, widgets  # noqa: F401 — register providers, section, widget
        from .demo import seed

        demo.register(seed)
