from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "logistics.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from logistics import checks as platform_checks

        # --- system checks of what every app declares (houqin.E001–E005) ---
        checks.register(platform_checks.check_grants)
        checks.register(platform_checks.check_navigation, checks.Tags.urls)
        checks.register(platform_checks.check_references, checks.Tags.models)
