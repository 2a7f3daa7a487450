from django.urls import path

from . import views

app_name = "corrective"
urlpatterns = [
    path("", views.CorrectiveActionListView.as_view(), name="correctiveaction_list"),
    path("new/", views.CorrectiveActionCreateView.as_view(), name="correctiveaction_add"),
    path("<int:pk>/", views.CorrectiveActionDetailView.as_view(), name="correctiveaction_detail"),
    path("<int:pk>/<str:step>/", views.CorrectiveActionStepView.as_view(), name="correctiveaction_step"),
]
