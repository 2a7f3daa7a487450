"""Finds the domain apps' URL modules, so that the platform never imports a domain app by name.

An installed app outside ``logistics.`` with an ``urls`` module is mounted at ``/<label>/``; with
``api/urls.py`` at ``/api/v1/<label>/``.
"""

from importlib.util import find_spec

from django.apps import apps


def _domain_apps():
    return [
        cfg
        for cfg in apps.get_app_configs()
        if not cfg.name.startswith(("logistics", "django", "rest_framework", "drf_", "django_"))
    ]


def _has(module):
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def page_includes():
    return [(cfg.label, f"{cfg.name}.urls") for cfg in _domain_apps() if _has(f"{cfg.name}.urls")]


def api_includes():
    return [(cfg.label, f"{cfg.name}.api.urls") for cfg in _domain_apps() if _has(f"{cfg.name}.api.urls")]


def public_includes():
    """Public pages (no login, no personal data) of the domain apps: ``<app>/public_urls.py`` mounted at
    ``/p/<school_slug>/``; each app's patterns begin with its own segment (``fees/``, ``canteen/menu/``)."""
    return [(cfg.label, f"{cfg.name}.public_urls") for cfg in _domain_apps() if _has(f"{cfg.name}.public_urls")]
