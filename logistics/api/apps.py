from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "logistics.api"
    label = "api"
    verbose_name = "API"
