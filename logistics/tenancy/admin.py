from django.contrib import admin

from .models import Building, Campus, District, Membership, Room, School


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "code", "district")
    list_filter = ("district",)
    search_fields = ("name", "slug")


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ("name", "school")
    list_filter = ("school",)


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("name", "campus", "school")
    list_filter = ("school",)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "building", "kind", "school")
    list_filter = ("school", "kind")
    search_fields = ("name", "code")
    list_select_related = ("building", "school")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "district", "active")
    list_filter = ("role", "school", "district", "active")
    search_fields = ("user__username", "user__display_name")
    autocomplete_fields = ("user",)
