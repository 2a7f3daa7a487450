from django.contrib import admin

from .models import Meter, MeterReading, ReadingCorrection


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "campus", "building", "number", "active", "school")
    list_filter = ("kind", "active")
    search_fields = ("name", "number")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Readings and corrections are never edited or deleted here: entry and correction go through the
    services (the pages and the API)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeterReading)
class MeterReadingAdmin(ReadOnlyAdmin):
    list_display = ("meter", "month", "value", "consumption", "usual", "flagged", "status", "school")
    list_filter = ("flagged", "status")


@admin.register(ReadingCorrection)
class ReadingCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("reading", "old_consumption", "new_consumption", "reason", "corrected_by", "created")
