from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("hazards", views.HazardViewSet, basename="safety-hazard")
router.register("checkpoints", views.CheckpointViewSet, basename="safety-checkpoint")
router.register("routes", views.RouteViewSet, basename="safety-route")
router.register("schedules", views.ScheduleViewSet, basename="safety-schedule")
router.register("rounds", views.PatrolRoundViewSet, basename="safety-round")
router.register("scans", views.ScanViewSet, basename="safety-scan")
router.register("visitors", views.VisitorViewSet, basename="safety-visitor")
router.register("vehicles", views.VehicleViewSet, basename="safety-vehicle")
router.register("equipment", views.EquipmentViewSet, basename="safety-equipment")
router.register("inspections", views.InspectionViewSet, basename="safety-inspection")
router.register("drills", views.SafetyEventViewSet, basename="safety-drill")
router.register("leave-passes", views.LeavePassViewSet, basename="safety-leave-pass")

urlpatterns = [path("", include(router.urls))]
