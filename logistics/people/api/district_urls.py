from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("schools", views.DistrictSchoolViewSet, basename="district-school")
router.register("officers", views.DistrictOfficerViewSet, basename="district-officer")

urlpatterns = router.urls
