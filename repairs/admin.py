from django.contrib import admin

from logistics.workflow.admin import ReadOnlyWhenFinalMixin

from .models import DutySlot, MaintenancePlan, PartUsage, Ticket, WorkLog


@admin.register(Ticket)
class TicketAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    """A confirmed, rejected or cancelled ticket is read-only; the status moves only by steps."""

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
