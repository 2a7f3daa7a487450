from django.contrib import admin

from .models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only: change records are never added, edited or deleted by hand."""

    list_display = ("time", "school", "user_name", "action", "event", "object_repr")
    list_filter = ("action", "school")
    search_fields = ("object_repr", "user_name", "message")
    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
