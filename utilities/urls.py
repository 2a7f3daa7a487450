from django.urls import path

from logistics.imports.views import import_urls
from logistics.ui.views import crud_urls

from . import views
from .models import MeterReadingImport

app_name = "utilities"
urlpatterns = [
    path("enter/", views.ReadingEntryView.as_view(), name="reading_entry"),
    *crud_urls(
        "meter",
        views.MeterListView,
        views.MeterDetailView,
        views.MeterEditView,
        views.MeterDeleteView,
        prefix="meters/",
    ),
    path("readings/", views.MeterReadingListView.as_view(), name="meterreading_list"),
    path("readings/<int:pk>/", views.MeterReadingDetailView.as_view(), name="meterreading_detail"),
    path("readings/<int:pk>/<str:step>/", views.MeterReadingStepView.as_view(), name="meterreading_step"),
    *import_urls(
        "meterreadingimport",
        model=MeterReadingImport,
        importer="utilities.readings",
        list_view=views.MeterReadingImportListView,
    ),
]
