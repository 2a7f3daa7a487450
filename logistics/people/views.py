import django_filters
from django.utils.translation import gettext_lazy as _

from logistics.ui.filtersets import BaseFilterSet
from logistics.ui.tables import Column, Table
from logistics.ui.views import ObjectDetailView, ObjectListView, crud_urls

from .models import SchoolClass, Student


class StudentFilterSet(BaseFilterSet):
    search_fields = ("name", "student_number")
    school_class = django_filters.ModelChoiceFilter(queryset=SchoolClass.objects.all(), label=_("class"))

    class Meta:
        model = Student
        fields = ["school", "school_class", "boarding"]


class StudentTable(Table):
    columns = [
        Column("student_number", _("student number"), link=True),
        Column("name", _("name"), link=True),
        Column("school_class.grade.name", _("grade"), order_by="school_class__grade__order"),
        Column("school_class.name", _("class")),
        Column("boarding", _("boarder")),
    ]


class StudentListView(ObjectListView):
    queryset = Student.objects.select_related("school_class", "school_class__grade")
    filterset = StudentFilterSet
    table = StudentTable


class StudentDetailView(ObjectDetailView):
    queryset = Student.objects.select_related("school_class")
    fields = ("name", "student_number", "school_class", "boarding")


app_name = "people"
urlpatterns = crud_urls("student", StudentListView, StudentDetailView)
