from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("actions", views.CorrectiveActionViewSet, basename="corrective-action")

urlpatterns = [path("", include(router.urls))]
