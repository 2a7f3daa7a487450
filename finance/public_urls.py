"""Public pages of the finance app, mounted at ``/p/<school_slug>/`` (no login)."""

from django.urls import path

from . import public

app_name = "finance_public"
urlpatterns = [
    path("fees/", public.board, name="board"),
    path("fees/v<int:number>/", public.version, name="version"),
    path("fees/poster.pdf", public.poster, name="poster"),
    path("fees/spending/<int:pk>/", public.spending, name="spending"),
]
