from django.contrib import admin

from .models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("reference", "school", "trade", "urgency", "status", "submitted_at")
    list_filter = ("status", "trade", "urgency", "kind")
    search_fields = ("reference", "description")
    raw_id_fields = ("room", "requester", "assignees", "plan", "asset")
    readonly_fields = ("status",)


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "trade", "recurrence", "interval", "next_due", "active")
    raw_id_fields = ("room", "assignees")


admin.site.register(DutySlot)
admin.site.register(WorkLog)
admin.site.register(PartUsage)
