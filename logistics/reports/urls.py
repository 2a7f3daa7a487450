from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("generate/", views.ReportGenerateView.as_view(), name="report_generate"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("<int:pk>/step/<str:step>/", views.ReportStepView.as_view(), name="report_step"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/<str:fmt>/", views.ReportFileView.as_view(), name="report_file"),
    path("<int:pk>/versions/<int:version>/<str:fmt>/", views.ReportFileView.as_view(), name="report_version_file"),
]
