from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "logistics.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from logistics.accounts import roles

        from . import recorder

        recorder.connect_all()

        # --- who sees and does what ---
        roles.grant(
            [
                roles.Role.PRINCIPAL,
                roles.Role.LOGISTICS_HEAD,
                roles.Role.DISTRICT_OFFICER,
            ],
            "audit.view_changerecord",
        )
