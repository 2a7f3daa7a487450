from django.urls import path

from logistics.ui.views import crud_urls

from . import views, views_accompanied, views_inspections

app_name = "canteen"
urlpatterns = [
    path("today/", views.ChecklistView.as_view(), name="today"),
    path("meals/<int:pk>/checklist/", views.ChecklistView.as_view(), name="meal_checklist"),
    path("dishes/<int:dish>/sample/", views.RecordSampleView.as_view(), name="record_sample"),
    path("samples/", views.FoodSampleListView.as_view(), name="foodsample_list"),
    path("samples/due/", views.DiscardDueView.as_view(), name="discard_due"),
    path("samples/<int:pk>/", views.FoodSampleDetailView.as_view(), name="foodsample_detail"),
    path("samples/<int:pk>/<str:step>/", views.FoodSampleStepView.as_view(), name="foodsample_step"),
    *crud_urls(
        "mealservice",
        views.MealServiceListView,
        views.MealServiceDetailView,
        views.MealServiceEditView,
        prefix="meals/",
    ),
    *crud_urls(
        "supplier", views.SupplierListView, views.SupplierDetailView, views.SupplierEditView, prefix="suppliers/"
    ),
    *crud_urls("supplierlicence", edit_view=views.SupplierLicenceEditView, prefix="licences/"),
    *crud_urls(
        "productcategory",
        views.ProductCategoryListView,
        edit_view=views.ProductCategoryEditView,
        prefix="categories/",
    ),
    *crud_urls(
        "healthcertificate",
        views.HealthCertificateListView,
        edit_view=views.HealthCertificateEditView,
        prefix="health-certificates/",
    ),
    path("morning-checks/", views.MorningCheckListView.as_view(), name="morningcheck_list"),
    path("morning-checks/today/", views.TeamCheckView.as_view(), name="team_check"),
    path("morning-checks/<int:pk>/", views.MorningCheckDetailView.as_view(), name="morningcheck_detail"),
    path("today/from-menu/", views.MealsFromMenuView.as_view(), name="meals_from_menu"),
    *crud_urls(
        "weeklymenu",
        views.WeeklyMenuListView,
        views.WeeklyMenuDetailView,
        views.WeeklyMenuEditView,
        prefix="menus/",
    ),
    path("menus/<int:pk>/<str:step>/", views.WeeklyMenuStepView.as_view(), name="weeklymenu_step"),
    *crud_urls(
        "disinfection", views.DisinfectionListView, edit_view=views.DisinfectionEditView, prefix="disinfections/"
    ),
    *crud_urls("coldstore", views.ColdStoreListView, edit_view=views.ColdStoreEditView, prefix="cold-stores/"),
    path("cold-chain/", views.ColdReadingListView.as_view(), name="coldreading_list"),
    path("cold-chain/episodes/", views.ColdEpisodeListView.as_view(), name="coldepisode_list"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("deliveries/add/", views.DeliveryCreateView.as_view(), name="delivery_add"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(), name="delivery_detail"),
    path("deliveries/<int:pk>/<str:step>/", views.DeliveryStepView.as_view(), name="delivery_step"),
    # hygiene self-inspections, schedules, duty roster (views_inspections)
    *crud_urls(
        "checklisttemplate",
        views_inspections.ChecklistTemplateListView,
        views_inspections.ChecklistTemplateDetailView,
        views_inspections.ChecklistTemplateEditView,
        prefix="checklists/",
    ),
    path("checklists/standard/", views_inspections.StandardChecklistsView.as_view(), name="checklist_standard"),
    path("checklists/<int:pk>/inspect/", views_inspections.InspectView.as_view(), name="inspect"),
    path("inspections/", views_inspections.HygieneInspectionListView.as_view(), name="hygieneinspection_list"),
    path("inspections/schedule/", views_inspections.InspectionScheduleView.as_view(), name="inspection_schedule"),
    path(
        "inspections/<int:pk>/",
        views_inspections.HygieneInspectionDetailView.as_view(),
        name="hygieneinspection_detail",
    ),
    path(
        "inspections/<int:pk>/items/<int:result>/action/",
        views_inspections.ItemActionView.as_view(),
        name="inspection_item_action",
    ),
    path("roster/", views_inspections.RosterView.as_view(), name="roster"),
    path("roster/<int:pk>/withdraw/", views_inspections.RosterWithdrawView.as_view(), name="roster_withdraw"),
    # 陪餐, monthly accounts, corrections
    path("accompanied/", views_accompanied.AccompaniedMealListView.as_view(), name="accompaniedmeal_list"),
    path("accompanied/add/", views_accompanied.AccompaniedMealCreateView.as_view(), name="accompaniedmeal_add"),
    path("accompanied/<int:pk>/", views_accompanied.AccompaniedMealDetailView.as_view(), name="accompaniedmeal_detail"),
    path(
        "accompanied/<int:pk>/<str:step>/",
        views_accompanied.AccompaniedMealStepView.as_view(),
        name="accompaniedmeal_step",
    ),
    *crud_urls(
        "monthlyaccount",
        views_accompanied.MonthlyAccountListView,
        views_accompanied.MonthlyAccountDetailView,
        views_accompanied.MonthlyAccountEditView,
        prefix="accounts/",
    ),
    path(
        "accounts/<int:pk>/<str:step>/", views_accompanied.MonthlyAccountStepView.as_view(), name="monthlyaccount_step"
    ),
    path("corrections/<str:kind>/<int:pk>/", views_accompanied.CorrectionView.as_view(), name="correction"),
]
