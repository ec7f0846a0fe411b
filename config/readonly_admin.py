"""Admin pages for records that change only through their services."""

from django.contrib import admin


class ReadOnly:
    """Visible, never added, edited or deleted in the admin (a ModelAdmin or an inline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A read-only model page."""
