from django.urls import path

from logistics.ui.views import crud_urls

from . import views

app_name = "tenancy"
urlpatterns = [
    path("switch-school/", views.switch_school, name="switch_school"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    *crud_urls(
        "campus",
        views.CampusListView,
        views.CampusDetailView,
        views.CampusEditView,
        views.CampusDeleteView,
        prefix="campuses/",
    ),
    *crud_urls(
        "building",
        views.BuildingListView,
        views.BuildingDetailView,
        views.BuildingEditView,
        views.BuildingDeleteView,
    ),
    *crud_urls(
        "room",
        views.RoomListView,
        views.RoomDetailView,
        views.RoomEditView,
        views.RoomDeleteView,
    ),
]
