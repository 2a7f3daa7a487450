from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .registry import api_includes

router = DefaultRouter()
router.register("schools", views.SchoolViewSet)
router.register("campuses", views.CampusViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("rooms", views.RoomViewSet)

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="api-token"),
    path("v1/me/", views.MeView.as_view(), name="api-me"),
    path("v1/", include(router.urls)),
    path("v1/people/", include("logistics.people.api.urls")),
    path("v1/districts/", include("logistics.people.api.district_urls")),
    path("v1/corrective/", include("logistics.corrective.api.urls")),
    path("v1/dashboard/", include("logistics.dashboard.api_urls")),
    path("v1/", include("logistics.reports.api")),
    *[path(f"v1/{prefix}/", include(module)) for prefix, module in api_includes()],
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]
