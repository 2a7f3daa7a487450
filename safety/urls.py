from django.urls import path

from logistics.ui.views import crud_urls

from . import views

app_name = "safety"
urlpatterns = [
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/new/", views.HazardCreateView.as_view(), name="hazard_add"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/repair-ticket/", views.HazardRepairTicketView.as_view(), name="hazard_repair_ticket"),
    path("hazards/<int:pk>/<str:step>/", views.HazardStepView.as_view(), name="hazard_step"),
    *crud_urls(
        "checkpoint",
        views.CheckpointListView,
        views.CheckpointDetailView,
        views.CheckpointEditView,
        views.CheckpointDeleteView,
    ),
    path("checkpoints/<int:pk>/poster.pdf", views.CheckpointPosterView.as_view(), name="checkpoint_poster"),
    path("checkpoints/<int:pk>/codes/", views.CodeSheetView.as_view(), name="checkpoint_codes"),
    path("routes/", views.RouteListView.as_view(), name="route_list"),
    *crud_urls("route", None, views.RouteDetailView, views.RouteEditView, None),
    *crud_urls("patrolschedule", None, None, views.ScheduleEditView, None, prefix="schedules/"),
    path("rounds/", views.PatrolRoundListView.as_view(), name="patrolround_list"),
    path("rounds/mine/", views.MyRoundsView.as_view(), name="my_rounds"),
    path("rounds/<int:pk>/", views.PatrolRoundDetailView.as_view(), name="patrolround_detail"),
    path("rounds/<int:pk>/walk/", views.WalkView.as_view(), name="walk"),
    path("rounds/<int:pk>/<str:step>/", views.PatrolRoundStepView.as_view(), name="patrolround_step"),
    path("c/<str:code>/", views.ScanShellView.as_view(), name="scan_code"),
    path("gate/", views.GateView.as_view(), name="gate"),
    path("visitors/", views.VisitorListView.as_view(), name="visitor_list"),
    path("visitors/<int:pk>/", views.VisitorDetailView.as_view(), name="visitor_detail"),
    path("visitors/<int:pk>/leave/", views.check_out_visitor, name="visitor_leave"),
    path("visitors/<int:pk>/id-number/", views.reveal_id_number, name="visitor_id_number"),
    path("visitors/<int:pk>/<str:step>/", views.VisitorStepView.as_view(), name="visitor_step"),
    *crud_urls("vehicleentry", views.VehicleListView, None, views.VehicleEditView, None, prefix="vehicles/"),
    path("vehicles/<int:pk>/leave/", views.check_out_vehicle, name="vehicle_leave"),
    *crud_urls("gategoods", views.GateGoodsListView, None, views.GateGoodsEditView, None, prefix="goods/"),
    path("passes/", views.LeavePassListView.as_view(), name="leavepass_list"),
    path("passes/new/", views.LeavePassCreateView.as_view(), name="leavepass_add"),
    path("passes/gate/", views.PassGateView.as_view(), name="pass_gate"),
    path("passes/<int:pk>/", views.LeavePassDetailView.as_view(), name="leavepass_detail"),
    path("passes/<int:pk>/<str:step>/", views.LeavePassStepView.as_view(), name="leavepass_step"),
    path("p/<str:token>/", views.PassScanView.as_view(), name="pass_scan"),
    *crud_urls("dutyleader", views.DutyLeaderListView, None, views.DutyLeaderEditView, None, prefix="duty/"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
