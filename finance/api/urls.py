from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import bank_api, views

router = DefaultRouter()
router.register("fee-items", views.FeeItemViewSet, basename="finance-feeitem")
router.register("disclosures", views.FeeDisclosureViewSet, basename="finance-disclosure")
router.register("consents", views.ConsentViewSet, basename="finance-consent")
router.register("charges", views.ChargeViewSet, basename="finance-charge")
router.register("payments", views.PaymentViewSet, basename="finance-payment")
router.register("waivers", views.WaiverViewSet, basename="finance-waiver")
router.register("refunds", views.RefundViewSet, basename="finance-refund")
router.register("settlements", views.SettlementViewSet, basename="finance-settlement")
router.register("payment-imports", bank_api.PaymentImportViewSet, basename="finance-paymentimport")

urlpatterns = [path("", include(router.urls))]
