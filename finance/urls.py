from django.urls import include, path

from logistics.imports.views import import_urls
from logistics.ui.views import crud_urls

from . import bank_views, costs, district, settlement_statements, views
from .models import PaymentImport, StudentCostImport

app_name = "finance"
urlpatterns = [
    *crud_urls(
        "feeitem",
        views.FeeItemListView,
        views.FeeItemDetailView,
        views.FeeItemEditView,
        views.FeeItemDeleteView,
        prefix="items/",
    ),
    path("items/<int:pk>/consents/", views.OpenConsentsView.as_view(), name="feeitem_open_consents"),
    *crud_urls(
        "feedisclosure",
        views.FeeDisclosureListView,
        views.FeeDisclosureDetailView,
        views.FeeDisclosureEditView,
        prefix="board/",
    ),
    path("board/<int:pk>/<str:step>/", views.FeeDisclosureStepView.as_view(), name="feedisclosure_step"),
    *crud_urls("consent", views.ConsentListView, views.ConsentDetailView, prefix="consents/"),
    path("consents/remind/", views.RemindConsentsView.as_view(), name="consent_remind"),
    path("consents/<int:pk>/form/", views.ConsentFormView.as_view(), name="consent_form"),
    path("consents/<int:pk>/<str:step>/", views.ConsentStepView.as_view(), name="consent_step"),
    path("items/<int:pk>/charges/", views.GenerateChargesView.as_view(), name="feeitem_charge"),
    *crud_urls("charge", views.ChargeListView, views.ChargeDetailView, prefix="charges/"),
    path("charges/<int:pk>/<str:kind>/", views.ChargeMoneyView.as_view(), name="charge_money"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("payments/<int:pk>/receipt.pdf", views.PaymentReceiptView.as_view(), name="payment_receipt"),
    path("payments/<int:pk>/<str:step>/", views.PaymentStepView.as_view(), name="payment_step"),
    path("waivers/<int:pk>/<str:step>/", views.WaiverStepView.as_view(), name="waiver_step"),
    path("refunds/<int:pk>/<str:step>/", views.RefundStepView.as_view(), name="refund_step"),
    *crud_urls(
        "settlement",
        views.SettlementListView,
        views.SettlementDetailView,
        views.SettlementEditView,
        prefix="settlements/",
    ),
    path("settlements/<int:pk>/<str:step>/", views.SettlementStepView.as_view(), name="settlement_step"),
    *import_urls(
        "paymentimport", model=PaymentImport, importer="finance.payments", list_view=bank_views.PaymentImportListView
    ),
    path("settlement-costs/<int:pk>/", costs.StudentCostView.as_view(), name="settlement_costs"),
    # the import of the costs of one settlement (upload and template take ``?settlement=``)
    path(
        "settlement-costs/",
        include(
            import_urls(
                "studentcostimport",
                model=StudentCostImport,
                importer="finance.student_costs",
                views={"add": costs.CostImportUploadView, "template": costs.CostImportTemplateView},
            )
        ),
    ),
    path("settlement-statements/", settlement_statements.StatementListView.as_view(), name="settlementstatement_list"),
    path(
        "settlement-statements/<int:student>/pdf/",
        settlement_statements.StatementPdfView.as_view(),
        name="settlementstatement_pdf",
    ),
    path("district/", district.DistrictFiguresView.as_view(), name="district_figures"),
]

# Spending approval, budgets, collective decisions and the staff statement (finance/expense_views.py)
from . import expense_views as ev  # noqa: E402

urlpatterns += [
    *crud_urls("expense", ev.ExpenseListView, ev.ExpenseDetailView, ev.ExpenseEditView, ev.ExpenseDeleteView,
               prefix="expenses/"),
    path("expenses/<int:pk>/invoices/", ev.ExpenseInvoiceView.as_view(), name="expense_invoices"),
    path("expenses/<int:pk>/<str:step>/", ev.ExpenseStepView.as_view(), name="expense_step"),
    *crud_urls("collectivedecision", ev.CollectiveDecisionListView, ev.CollectiveDecisionDetailView,
               ev.CollectiveDecisionEditView, prefix="decisions/"),
    path("budgets/", ev.BudgetListView.as_view(), name="budget_list"),
    path("budgets/add/", ev.BudgetEditView.as_view(), name="budget_add"),
    path("budgets/<int:pk>/", ev.BudgetDetailView.as_view(), name="budget_detail"),
    path("budgets/<int:pk>/edit/", ev.BudgetEditView.as_view(), name="budget_edit"),
    *crud_urls("staffstatement", ev.StaffStatementListView, ev.StaffStatementDetailView, ev.StaffStatementEditView,
               prefix="statements/"),
    path("statements/<int:pk>/statement.pdf", ev.StaffStatementPdfView.as_view(), name="staffstatement_pdf"),
    path("statements/<int:pk>/<str:step>/", ev.StaffStatementStepView.as_view(), name="staffstatement_step"),
]  # fmt: skip
