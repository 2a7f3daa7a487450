from django.urls import path

from . import api

urlpatterns = [
    path("needs/", api.NeedsView.as_view(), name="api-dashboard-needs"),
    path("district/", api.DistrictView.as_view(), name="api-dashboard-district"),
]
