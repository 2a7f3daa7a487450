from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("meals", views.MealServiceViewSet, basename="canteen-meal")
router.register("samples", views.FoodSampleViewSet, basename="canteen-sample")

urlpatterns = [path("", include(router.urls))]
