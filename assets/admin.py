"""Admin of the assets records with declared steps: a record in a terminal state (a disposed card,
a written-off disposal, a paid damage record…) is read-only here too, and statuses move only by steps."""

from django.contrib import admin

from logistics.workflow.admin import ReadOnlyWhenFinalMixin

from .models import Asset, DamageRecord, DisposalRequest, IssueRequest, StockTake


@admin.register(Asset)
class AssetAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    list_display = ("code", "name", "school", "status", "purchase_date")
    list_filter = ("status",)
    search_fields = ("code", "name")
    raw_id_fields = ("category", "room", "custodian")


@admin.register(DisposalRequest)
class DisposalRequestAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    list_display = ("reference", "school", "status", "method")
    list_filter = ("status",)
    raw_id_fields = ("assets", "requested_by", "head_approved_by", "principal_approved_by")


@admin.register(StockTake)
class StockTakeAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    list_display = ("reference", "name", "school", "status", "started_on")
    list_filter = ("status",)
    raw_id_fields = ("rooms", "approved_by")


@admin.register(IssueRequest)
class IssueRequestAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    list_display = ("reference", "school", "consumable", "quantity", "status")
    list_filter = ("status",)
    raw_id_fields = ("consumable", "requester", "store", "decided_by")


@admin.register(DamageRecord)
class DamageRecordAdmin(ReadOnlyWhenFinalMixin, admin.ModelAdmin):
    list_display = ("reference", "school", "amount", "paid")
    list_filter = ("paid",)
    raw_id_fields = ("asset", "room", "responsible_class", "responsible_student")
