from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import DocumentSequence, Notice


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Read-only: notices are drafted, signed off and issued on the desk."""

    list_display = ("title", "kind", "status", "year", "serial", "issued_on")
    list_filter = ("kind", "status", "year")
    search_fields = ("title",)


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    list_display = ("prefix", "year", "last")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
