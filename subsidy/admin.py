"""Programme and category configuration for the city section's administrators."""

from django.contrib import admin

from .models import (
    Application,
    Attachment,
    Category,
    Organisation,
    Programme,
    ProgrammeCategory,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "lifecycle", "funding_rule", "cap", "fixed_amount",
                    "experts_required")
    list_filter = ("lifecycle", "funding_rule")
    search_fields = ("code", "name", "name_en")


class ProgrammeCategoryInline(admin.TabularInline):
    model = ProgrammeCategory
    extra = 0
    fields = ("category", "budget", "cap", "rate", "unit_amount", "fixed_amount")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "call_number", "status", "total_budget")
    list_filter = ("status", "year")
    inlines = [ProgrammeCategoryInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "org_type", "region")
    list_filter = ("org_type", "region")
    search_fields = ("name", "uscc")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("stage", "kind", "version", "original_name", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: states change only through the review desks and the API."""

    list_display = ("number", "title", "organisation", "category", "state", "requested_amount",
                    "approved_amount")
    list_filter = ("state", "category", "region", "programme")
    search_fields = ("number", "title", "organisation__name")
    list_select_related = ("organisation", "category")
    readonly_fields = ("number", "programme", "category", "organisation", "region", "created_by",
                       "lifecycle", "state", "returned_from", "approved_amount", "audit_seq",
                       "audit_head")
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
