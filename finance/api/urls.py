from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("fee-items", views.FeeItemViewSet, basename="finance-feeitem")
router.register("disclosures", views.FeeDisclosureViewSet, basename="finance-disclosure")
router.register("consents", views.ConsentViewSet, basename="finance-consent")

urlpatterns = [path("", include(router.urls))]
