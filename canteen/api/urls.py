from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import accompanied, inspections, views

router = DefaultRouter()
router.register("meals", views.MealServiceViewSet, basename="canteen-meal")
router.register("samples", views.FoodSampleViewSet, basename="canteen-sample")
router.register("suppliers", views.SupplierViewSet, basename="canteen-supplier")
router.register("licences", views.SupplierLicenceViewSet, basename="canteen-licence")
router.register("product-categories", views.ProductCategoryViewSet, basename="canteen-category")
router.register("deliveries", views.DeliveryViewSet, basename="canteen-delivery")
router.register("disinfections", views.DisinfectionViewSet, basename="canteen-disinfection")
router.register("cold-stores", views.ColdStoreViewSet, basename="canteen-cold-store")
router.register("cold-readings", views.ColdReadingViewSet, basename="canteen-cold-reading")
router.register("cold-episodes", views.ColdEpisodeViewSet, basename="canteen-cold-episode")
router.register("menus", views.WeeklyMenuViewSet, basename="canteen-menu")
router.register("health-certificates", views.HealthCertificateViewSet, basename="canteen-certificate")
router.register("morning-checks", views.MorningCheckViewSet, basename="canteen-morning-check")
router.register("accompanied-meals", accompanied.AccompaniedMealViewSet, basename="canteen-accompanied-meal")
router.register("accounts", accompanied.MonthlyAccountViewSet, basename="canteen-account")

# hygiene self-inspections, checklists, duty roster (canteen/api/inspections.py)
router.register("inspection-templates", inspections.ChecklistTemplateViewSet, basename="canteen-inspection-template")
router.register("inspections", inspections.HygieneInspectionViewSet, basename="canteen-inspection")
router.register("roster", inspections.DutyAssignmentViewSet, basename="canteen-roster")

urlpatterns = [path("", include(router.urls))]
