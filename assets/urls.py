from django.urls import path

from logistics.imports.views import import_urls
from logistics.ui.views import crud_urls

from .models import AssetImport
from .views import classrooms, consumables, damages, imports, labels, ledger, stocktake

app_name = "assets"
urlpatterns = [
    # ledger
    path("", ledger.AssetListView.as_view(), name="home"),
    path("assets/", ledger.AssetListView.as_view(), name="asset_list"),
    path("assets/add/", ledger.AssetAcquireView.as_view(), name="asset_add"),
    path("assets/<int:pk>/", ledger.AssetDetailView.as_view(), name="asset_detail"),
    path("assets/<int:pk>/edit/", ledger.AssetEditView.as_view(), name="asset_edit"),
    path("assets/<int:pk>/attachments/", ledger.upload_attachment, name="asset_attach"),
    # the steps declared on Asset: transfer/, lend/, return/, report-lost/, request-disposal/ …
    path("assets/<int:pk>/<slug:step>/", ledger.AssetStepView.as_view(), name="asset_step"),
    path("l/<str:code>/", ledger.asset_by_label, name="asset_label"),
    path("labels/", labels.labels_pdf, name="labels"),
    path("ledger/", ledger.LedgerSummaryView.as_view(), name="ledger"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    *crud_urls(
        "category",
        ledger.CategoryListView,
        ledger.CategoryDetailView,
        ledger.CategoryEditView,
        ledger.CategoryDeleteView,
        prefix="categories/",
    ),
    path("movements/", ledger.AssetMovementListView.as_view(), name="assetmovement_list"),
    path("loans/", ledger.AssetLoanListView.as_view(), name="assetloan_list"),
    path("disposals/", ledger.DisposalRequestListView.as_view(), name="disposalrequest_list"),
    path("disposals/<int:pk>/", ledger.DisposalRequestDetailView.as_view(), name="disposalrequest_detail"),
    path("disposals/<int:pk>/<slug:step>/", ledger.DisposalStepView.as_view(), name="disposalrequest_step"),
    # classroom inventory
    path("classrooms/", classrooms.classroom_list, name="classroom_list"),
    path("classrooms/<int:room_id>/", classrooms.classroom_detail, name="classroom_detail"),
    path("classrooms/<int:room_id>/confirm/", classrooms.classroom_confirm, name="classroom_confirm"),
    # consumables
    *crud_urls(
        "consumable",
        consumables.ConsumableListView,
        consumables.ConsumableDetailView,
        consumables.ConsumableEditView,
    ),
    path("consumables/<int:pk>/receive/", consumables.ReceiveView.as_view(), name="consumable_receive"),
    path("stock-movements/", consumables.StockMovementListView.as_view(), name="stockmovement_list"),
    *crud_urls(
        "issuerequest",
        consumables.IssueRequestListView,
        consumables.IssueRequestDetailView,
        consumables.IssueRequestAddView,
        prefix="issue-requests/",
    ),
    path("issue-requests/<int:pk>/<slug:step>/", consumables.IssueRequestStepView.as_view(), name="issuerequest_step"),
    # stock-takes
    path("stocktakes/", stocktake.StockTakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/add/", stocktake.StockTakeStartView.as_view(), name="stocktake_add"),
    path("stocktakes/<int:pk>/", stocktake.StockTakeDetailView.as_view(), name="stocktake_detail"),
    path("stocktakes/<int:pk>/lines/", stocktake.StockTakeLineListView.as_view(), name="stocktake_lines"),
    path("stocktakes/<int:pk>/scan/", stocktake.scan_page, name="stocktake_scan"),
    path("stocktakes/<int:pk>/scan/record/", stocktake.scan_post, name="stocktake_scan_record"),
    path("stocktakes/<int:pk>/unledgered/", stocktake.unledgered_post, name="stocktake_unledgered"),
    path("stocktakes/<int:pk>/lines/<int:line_pk>/unscan/", stocktake.unscan_post, name="stocktake_unscan"),
    path("stocktakes/<int:pk>/lines/<int:line_pk>/explain/", stocktake.explain_post, name="stocktake_explain"),
    path("stocktakes/<int:pk>/<slug:step>/", stocktake.StockTakeStepView.as_view(), name="stocktake_step"),
    # damages
    *crud_urls(
        "damagerecord",
        damages.DamageRecordListView,
        damages.DamageRecordDetailView,
        damages.DamageRecordEditView,
        damages.DamageRecordDeleteView,
        prefix="damages/",
    ),
    path("damages/<int:pk>/receipt/", damages.damage_receipt, name="damagerecord_receipt"),
    path("damages/<int:pk>/<slug:step>/", damages.DamageStepView.as_view(), name="damagerecord_step"),
    # imports
    *import_urls(
        "assetimport",
        model=AssetImport,
        importer="assets.ledger",
        list_view=imports.AssetImportListView,
        views=imports.VIEWS,
    ),
]
