from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import bank_api, cost_api, views

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
router.register("student-cost-imports", cost_api.StudentCostImportViewSet, basename="finance-studentcostimport")

urlpatterns = [path("", include(router.urls))]

# Spending approval, budgets and the staff statement (finance/api/expense_views.py)
from . import expense_views  # noqa: E402

router.register("expenses", expense_views.ExpenseViewSet, basename="finance-expense")
router.register("collective-decisions", expense_views.CollectiveDecisionViewSet, basename="finance-decision")
router.register("budgets", expense_views.BudgetViewSet, basename="finance-budget")
router.register("statements", expense_views.StaffStatementViewSet, basename="finance-statement")
urlpatterns = [path("", include(router.urls))]
