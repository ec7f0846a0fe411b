from django.contrib import admin

from .models import AcceptanceBatch, Objection, PublicityBatch


@admin.register(PublicityBatch)
class PublicityBatchAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "start_date", "end_date", "status")
    list_filter = ("kind", "status")
    readonly_fields = ("status", "published_at", "closed_at", "end_date")


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("application", "name", "status", "outcome", "submitted_at")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AcceptanceBatch)
class AcceptanceBatchAdmin(admin.ModelAdmin):
    list_display = ("programme", "number", "created_at")
