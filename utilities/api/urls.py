from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("meters", views.MeterViewSet, basename="utilities-meter")
router.register("readings", views.MeterReadingViewSet, basename="utilities-reading")

urlpatterns = [path("", include(router.urls))]
