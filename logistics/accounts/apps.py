from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "logistics.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from logistics import checks  # noqa: F401  (registers houqin.E001–E005: grants, menu, references)
