from django.contrib import admin

from .models import Grade, GuardianLink, SchoolClass, Student


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "school")
    list_filter = ("school",)


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ("name", "grade", "head_teacher", "room", "school")
    list_filter = ("school",)


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ("student_number", "name", "school_class", "boarding", "school")
    list_filter = ("school", "boarding")
    search_fields = ("name", "student_number")


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    list_display = ("guardian", "student", "relation", "school")
    raw_id_fields = ("student", "guardian")
