from django.urls import path

from logistics.imports.views import import_urls
from logistics.ui.views import crud_urls

from .models import PeopleImport
from .views import classes, district, imports, join, staff, students

app_name = "people"
urlpatterns = [
    path("staff/", staff.StaffListView.as_view(), name="staff_list"),
    path("staff/add/", staff.StaffAddView.as_view(), name="staff_add"),
    path("staff/first-passwords/", staff.FirstPasswordsView.as_view(), name="staff_first_passwords"),
    path("staff/<int:pk>/", staff.StaffDetailView.as_view(), name="staff_detail"),
    *crud_urls("grade", classes.GradeListView, None, classes.GradeEditView),
    *crud_urls(
        "schoolclass",
        classes.SchoolClassListView,
        classes.SchoolClassDetailView,
        classes.SchoolClassEditView,
        prefix="classes/",
    ),
    path("classes/<int:pk>/invitations.pdf", classes.InvitationSheetView.as_view(), name="invitation_sheet"),
    path("classes/promote/", classes.PromotionView.as_view(), name="promote"),
    *crud_urls("student", students.StudentListView, students.StudentDetailView, students.StudentEditView),
    path("students/<int:pk>/photo/", students.student_photo, name="student_photo"),
    path("students/<int:pk>/id-number/", students.reveal_id_number, name="student_id_number"),
    path("students/<int:pk>/guardians/", students.add_guardian, name="guardian_add"),
    path("guardians/<int:pk>/end/", students.end_link, name="guardian_end"),
    *import_urls("peopleimport", model=PeopleImport, list_view=imports.PeopleImportListView),
    path("join/<slug:slug>/", join.join, name="join"),
    path("district/schools/", district.SchoolListView.as_view(), name="district_school_list"),
    path("district/schools/add/", district.SchoolCreateView.as_view(), name="district_school_add"),
]
