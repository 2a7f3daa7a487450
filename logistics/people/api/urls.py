from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("staff", views.StaffViewSet, basename="people-staff")
router.register("grades", views.GradeViewSet, basename="people-grade")
router.register("classes", views.SchoolClassViewSet, basename="people-class")
router.register("students", views.StudentViewSet, basename="people-student")
router.register("guardians", views.GuardianViewSet, basename="people-guardian")
router.register("invitations", views.InvitationViewSet, basename="people-invitation")
router.register("imports", views.PeopleImportViewSet, basename="people-import")

urlpatterns = router.urls
