from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("schools", views.DistrictSchoolViewSet, basename="district-school")

urlpatterns = router.urls
