from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "logistics.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from . import checks  # noqa: F401  (registers the permission check)
        from .schema import name_choice_enums

        name_choice_enums()
