from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through their services: visible, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only view of the audit log."""

    list_display = ("subject", "seq", "transition", "source", "target", "actor", "at")
    list_filter = ("transition", "target")
    search_fields = ("subject__number", "comment")
    list_select_related = ("actor",)
