from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("tickets", views.TicketViewSet, basename="repairs-ticket")
router.register("plans", views.MaintenancePlanViewSet, basename="repairs-plan")
router.register("rota", views.DutySlotViewSet, basename="repairs-rota")

urlpatterns = [
    path("stats/", views.StatsView.as_view(), name="repairs-stats"),
    path("", include(router.urls)),
]
