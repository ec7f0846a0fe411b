"""The admin shows batches; it changes only what cannot defeat a publicity period.

Batches are built, edited and published on the desk (公示与验收批次). Here a draft's title,
start date, working days and objection terms may be corrected, checked by the same rules;
the end date is always counted (never typed); a published batch is read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import AcceptanceBatch, Objection, PublicityBatch
from .services import check_period

#: What the admin may change in a draft; everything else is set by the desk's services.
DRAFT_EDITABLE = ("title", "start_date", "workdays", "objection_contact")


class PublicityBatchForm(forms.ModelForm):
    class Meta:
        model = PublicityBatch
        fields = DRAFT_EDITABLE

    def clean(self):
        data = super().clean()
        start, workdays = data.get("start_date"), data.get("workdays")
        if start is not None and workdays is not None:
            try:
                check_period(start, workdays)
            except ValidationError as invalid:
                for field, messages in invalid.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(PublicityBatch)
class PublicityBatchAdmin(admin.ModelAdmin):
    form = PublicityBatchForm
    list_display = ("title", "kind", "start_date", "end_date", "status")
    list_filter = ("kind", "status")
    actions = None  # a bulk delete would pass by the rule that published batches stay
    fields = ("title", "programme", "kind", "start_date", "workdays", "end_date",
              "objection_contact", "status", "acceptance_batch", "applications",
              "created_by", "created_at", "published_at", "closed_at")

    def has_add_permission(self, request):
        return False  # built on the desk, from the applications ready for publicity

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_draft:
            return tuple(f for f in self.fields if f not in DRAFT_EDITABLE)
        return self.fields


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("receipt", "application", "name", "status", "outcome", "submitted_at")
    list_filter = ("status",)
    search_fields = ("receipt", "application__number", "name")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AcceptanceBatch)
class AcceptanceBatchAdmin(admin.ModelAdmin):
    """Read-only: numbers are given in order on the desk and never reused."""

    list_display = ("programme", "number", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
