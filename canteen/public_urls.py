"""The canteen's public pages, mounted by the platform at ``/p/<school-slug>/``, under ``canteen/`` (no login)."""

from django.urls import path

from . import public

app_name = "canteen_public"
urlpatterns = [
    path("canteen/menu/", public.MenuView.as_view(), name="menu"),
    path("canteen/sources/", public.SourcesView.as_view(), name="sources"),
    path("canteen/accounts/", public.AccountsView.as_view(), name="accounts"),
]
