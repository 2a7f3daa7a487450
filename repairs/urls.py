from django.urls import path

from logistics.ui.views import crud_urls

from . import views

app_name = "repairs"
urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="ticket_list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket_add"),
    path("tickets/mine/", views.MyTicketsView.as_view(), name="my_tickets"),
    path("jobs/", views.MyJobsView.as_view(), name="my_jobs"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/<str:step>/", views.TicketStepView.as_view(), name="ticket_step"),
    path("r/<int:pk>/", views.scan_room, name="scan_room"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("qr/", views.RoomPostersView.as_view(), name="qr_posters"),
    path("qr/rooms.pdf", views.RoomQRSheetView.as_view(), name="qr_sheet"),
    path("qr/rooms/<int:pk>/poster.pdf", views.RoomPosterView.as_view(), name="qr_poster"),
    *crud_urls(
        "maintenanceplan",
        views.MaintenancePlanListView,
        views.MaintenancePlanDetailView,
        views.MaintenancePlanEditView,
        views.MaintenancePlanDeleteView,
        prefix="plans/",
    ),
    *crud_urls(
        "dutyslot",
        views.DutySlotListView,
        views.DutySlotDetailView,
        views.DutySlotEditView,
        views.DutySlotDeleteView,
        prefix="rota/",
    ),
]
