from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("assets", views.AssetViewSet, basename="assets-asset")
router.register("categories", views.CategoryViewSet, basename="assets-category")
router.register("movements", views.MovementViewSet, basename="assets-movement")
router.register("loans", views.LoanViewSet, basename="assets-loan")
router.register("disposals", views.DisposalViewSet, basename="assets-disposal")
router.register("consumables", views.ConsumableViewSet, basename="assets-consumable")
router.register("issue-requests", views.IssueRequestViewSet, basename="assets-issuerequest")
router.register("stocktakes", views.StockTakeViewSet, basename="assets-stocktake")
router.register("damages", views.DamageRecordViewSet, basename="assets-damage")
router.register("imports", views.ImportViewSet, basename="assets-import")

urlpatterns = router.urls
